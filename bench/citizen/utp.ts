// uTP against libtorrent's own (issue 9): `utp_MBps` is our Node engine, over the WebSocket link and
// a gateway process, downloading the bench torrent from a uTP-only libtorrent seeder (seed mode)
// found through a tracker — the engine dials it over uTP first and remembers that; and
// `libtorrent_utp_MBps` is a uTP-only libtorrent leecher downloading the same torrent from the same
// kind of seeder. Each run gets a fresh tracker and seeder; the median of `runs` is reported.
// Target: utp_MBps ≥ libtorrent_utp_MBps. MB = 10^6 bytes.
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { startLibtorrentLeecher, startLibtorrentSeeder, type LibtorrentPeer } from '../../test/helpers/libtorrent.ts';
import { makeTorrent, type MadeTorrent } from '../../test/helpers/make-torrent.ts';
import { makeTempDir } from '../../test/helpers/temp.ts';
import { startTracker, type TestTracker } from '../../test/helpers/tracker.ts';
import { downloadWithEngine } from '../engine-download.ts';
import { medianOf } from '../median.ts';
import type { CitizenBenchOptions } from './index.ts';

export interface UtpFigures {
  utp_MBps: number | null;
  libtorrent_utp_MBps: number | null;
}

const MB = 1e6;
const LEECH_TIMEOUT_MS = 10 * 60_000;

interface UtpSwarm {
  torrent: MadeTorrent;
  tracker: TestTracker;
  seeder: LibtorrentPeer;
  workDir: string;
}

async function startUtpSwarm(options: CitizenBenchOptions, label: string): Promise<UtpSwarm> {
  const workDir = await makeTempDir(label);
  const tracker = await startTracker();
  const torrent = await makeTorrent({
    sourcePath: join(options.seedDir, options.fileName), outFile: join(workDir, `${options.fileName}.torrent`),
    pieceLengthExp: options.pieceLengthExp, trackers: [tracker.httpAnnounceUrl],
  });
  const seeder = await startLibtorrentSeeder({ torrentPath: torrent.torrentPath, dataDir: options.seedDir, seedMode: true, utpOnly: true });
  return { torrent, tracker, seeder, workDir };
}

async function stopUtpSwarm(swarm: UtpSwarm): Promise<void> {
  await swarm.seeder.stop();
  await swarm.tracker.close();
  await rm(swarm.workDir, { recursive: true, force: true });
}

async function oursOverUtp(options: CitizenBenchOptions): Promise<{ mbps: number }> {
  const swarm = await startUtpSwarm(options, 'bench-utp-ours');
  try {
    const result = await downloadWithEngine({
      torrentPath: swarm.torrent.torrentPath, trackerUrl: swarm.tracker.httpAnnounceUrl, seederPort: swarm.seeder.port, link: 'websocket',
    });
    const mbps = result.bytes / result.seconds / MB;
    options.log(`ours over uTP (WebSocket link): ${mbps.toFixed(1)} MB/s (${result.bytes} bytes in ${result.seconds.toFixed(2)} s)`);
    return { mbps };
  } finally {
    await stopUtpSwarm(swarm);
  }
}

/** libtorrent ← libtorrent over uTP; timed from the leecher's ready line (torrent added) to finished. */
async function libtorrentOverUtp(options: CitizenBenchOptions): Promise<{ mbps: number }> {
  const swarm = await startUtpSwarm(options, 'bench-utp-libtorrent');
  try {
    const leechDir = join(swarm.workDir, 'leech');
    const leecher = await startLibtorrentLeecher({
      torrentPath: swarm.torrent.torrentPath, dataDir: leechDir, utpOnly: true, connectTo: [`127.0.0.1:${swarm.seeder.port}`],
    });
    const started = performance.now();
    try {
      await leecher.waitForEvent('finished', LEECH_TIMEOUT_MS);
    } finally {
      await leecher.stop();
    }
    const seconds = (performance.now() - started) / 1000;
    const mbps = swarm.torrent.totalLength / seconds / MB;
    options.log(`libtorrent over uTP: ${mbps.toFixed(1)} MB/s (${swarm.torrent.totalLength} bytes in ${seconds.toFixed(2)} s)`);
    return { mbps };
  } finally {
    await stopUtpSwarm(swarm);
  }
}

export async function utpFigures(options: CitizenBenchOptions): Promise<UtpFigures> {
  const ours = await medianOf(options.runs, options.log, 'ours over uTP', () => oursOverUtp(options));
  const libtorrent = await medianOf(options.runs, options.log, 'libtorrent over uTP', () => libtorrentOverUtp(options));
  return { utp_MBps: round(ours?.mbps ?? null), libtorrent_utp_MBps: round(libtorrent?.mbps ?? null) };
}

function round(value: number | null): number | null {
  return value === null ? null : Number(value.toFixed(2));
}
