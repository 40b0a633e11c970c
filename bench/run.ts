// The benchmark: one torrent of BENCH_MB MiB (default 256, one file, 256 KiB pieces) on 127.0.0.1,
// seeded by libtorrent (seed mode) and found through a bittorrent-tracker; downloaded (a) by aria2c,
// the baseline, and (b) by our engine (bench/engine-download.ts). Each client gets a freshly started
// tracker and seeder so neither inherits the other's connections or the seeder's warmed state; the
// data file itself stays in the page cache for both. Each client runs BENCH_RUNS times (default 3);
// the median run by speed is reported. aria2c's time runs from process start to "download complete".
//
// Units: MB = 10^6 bytes, MB/s = 10^6 bytes per second; the torrent size is BENCH_MB MiB (2^20 bytes).
// The last line printed is one JSON object with the figures (null where a client failed).
import { existsSync } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { aria2Download } from '../test/helpers/aria2.ts';
import { writeDataFile } from '../test/helpers/data-files.ts';
import { startLibtorrentSeeder } from '../test/helpers/libtorrent.ts';
import { makeTorrent, type MadeTorrent } from '../test/helpers/make-torrent.ts';
import { stopAllProcesses } from '../test/helpers/proc.ts';
import { makeTempDir, removeTempDirs } from '../test/helpers/temp.ts';
import { startTracker } from '../test/helpers/tracker.ts';
import { downloadWithEngine } from './engine-download.ts';
import { browserFigures, type BrowserFigures } from './browser/index.ts';
import { citizenFigures, type CitizenFigures } from './citizen/index.ts';
import { targetLines } from './targets.ts';
import { medianOf } from './median.ts';

const TORRENT_MIB = Number(process.env.BENCH_MB ?? 256);
const PIECE_LENGTH_EXP = 18; // 256 KiB: 1024 pieces for 256 MiB; libtorrent and aria2 are at home here
const CACHE_DIR = '/tmp/tabtorrent-bench';
const DOWNLOAD_TIMEOUT_MS = 10 * 60_000;
const MB = 1e6;
const RUNS = Math.max(1, Number(process.env.BENCH_RUNS ?? 3));
/** BENCH_ONLY=citizen runs only the swarm-citizen figures (bench/citizen); unset runs everything. */
const ONLY = process.env.BENCH_ONLY;
const runs = (part: 'download' | 'browser' | 'citizen'): boolean => !ONLY || ONLY.split(',').includes(part);

interface Swarm {
  torrent: MadeTorrent;
  trackerUrl: string;
  seederPort: number;
  stop(): Promise<void>;
}

/** The data file, made once and kept under CACHE_DIR (content is deterministic, so reuse is safe). */
async function benchData(): Promise<{ seedDir: string; fileName: string }> {
  const fileName = `bench-${TORRENT_MIB}MiB.bin`;
  const seedDir = join(CACHE_DIR, 'seed');
  const path = join(seedDir, fileName);
  const bytes = TORRENT_MIB * 2 ** 20;
  if (!existsSync(path) || (await stat(path)).size !== bytes) {
    await mkdir(seedDir, { recursive: true });
    log(`making ${path} (${TORRENT_MIB} MiB)`);
    await writeDataFile(`${path}.partial`, bytes, 'tabtorrent-bench', fileName);
    await rename(`${path}.partial`, path);
  }
  return { seedDir, fileName };
}

/** A fresh tracker and libtorrent seeder; the torrent is made anew because it names the tracker's port. */
async function startSwarm(seedDir: string, fileName: string, workDir: string): Promise<Swarm> {
  const tracker = await startTracker();
  const torrent = await makeTorrent({
    sourcePath: join(seedDir, fileName),
    outFile: join(workDir, `${fileName}.torrent`),
    pieceLengthExp: PIECE_LENGTH_EXP,
    trackers: [tracker.httpAnnounceUrl],
  });
  const seeder = await startLibtorrentSeeder({ torrentPath: torrent.torrentPath, dataDir: seedDir, seedMode: true, tcpOnly: true });
  return {
    torrent,
    trackerUrl: tracker.httpAnnounceUrl,
    seederPort: seeder.port,
    stop: async () => {
      await seeder.stop();
      await tracker.close();
    },
  };
}

interface Aria2Figures {
  mbps: number;
  wallMbps: number;
}

async function benchAria2Once(seedDir: string, fileName: string): Promise<Aria2Figures> {
  const workDir = await makeTempDir('bench-aria2');
  const swarm = await startSwarm(seedDir, fileName, workDir);
  try {
    const result = await aria2Download({ torrentPath: swarm.torrent.torrentPath, outDir: join(workDir, 'out'), timeoutMs: DOWNLOAD_TIMEOUT_MS });
    const got = (await stat(join(workDir, 'out', fileName))).size;
    if (got !== swarm.torrent.totalLength) throw new Error(`aria2c wrote ${got} bytes, expected ${swarm.torrent.totalLength}`);
    const mbps = result.bytes / result.seconds / MB;
    const wallMbps = result.bytes / result.wallSeconds / MB;
    log(`aria2c: ${mbps.toFixed(1)} MB/s (${result.bytes} bytes in ${result.seconds.toFixed(2)} s from start to complete; ` +
        `${wallMbps.toFixed(1)} MB/s counting to process exit, ${result.wallSeconds.toFixed(2)} s)`);
    return { mbps, wallMbps };
  } finally {
    await swarm.stop();
    await rm(workDir, { recursive: true, force: true });
  }
}

interface OursFigures {
  mbps: number;
  seconds: number;
  engineRssMB: number;
  gatewayRssMB: number;
}

async function benchOursOnce(seedDir: string, fileName: string, link: 'webrtc' | 'websocket' = 'webrtc'): Promise<OursFigures> {
  const workDir = await makeTempDir('bench-ours');
  const swarm = await startSwarm(seedDir, fileName, workDir);
  try {
    const result = await downloadWithEngine({ torrentPath: swarm.torrent.torrentPath, trackerUrl: swarm.trackerUrl, seederPort: swarm.seederPort, link });
    const mbps = result.bytes / result.seconds / MB;
    log(`ours${link === 'websocket' ? ' (WebSocket link)' : ''}: ${mbps.toFixed(1)} MB/s (${result.bytes} bytes in ${result.seconds.toFixed(2)} s; ` +
        `peak RSS engine ${result.engineRssMB.toFixed(0)} MB, gateway ${result.gatewayRssMB.toFixed(0)} MB)`);
    return { mbps, seconds: result.seconds, engineRssMB: result.engineRssMB, gatewayRssMB: result.gatewayRssMB };
  } finally {
    await swarm.stop();
    await rm(workDir, { recursive: true, force: true });
  }
}

function log(line: string): void {
  process.stdout.write(`${line}\n`);
}

function round(value: number | null, digits = 2): number | null {
  return value === null ? null : Number(value.toFixed(digits));
}

async function main(): Promise<void> {
  log(`bench: ${TORRENT_MIB} MiB single-file torrent, ${2 ** PIECE_LENGTH_EXP / 1024} KiB pieces, libtorrent seeder on 127.0.0.1 (MB = 10^6 bytes)`);
  const { seedDir, fileName } = await benchData();
  const aria2 = runs('download') ? await medianOf(RUNS, log, 'aria2c', () => benchAria2Once(seedDir, fileName)) : null;
  const ours = runs('download') ? await medianOf(RUNS, log, 'ours', () => benchOursOnce(seedDir, fileName)) : null;
  // The same engine over the WebSocket link: what the engine does when the data channel is not the limit.
  const oursWs = runs('download') ? await medianOf(RUNS, log, 'ours (WebSocket link)', () => benchOursOnce(seedDir, fileName, 'websocket')) : null;
  // Browser figures (bench/browser/): the raw Node→Chromium data channel, the tab's IndexedDB ceiling
  // behind a WebSocket, the app in Chromium over each link, WebTorrent's browser build, and watching a
  // video while it downloads (stream_first_frame_ms, stream_seek_ms). Null where a figure failed;
  // BENCH_BROWSER=0 skips them.
  const browser: Partial<BrowserFigures> = runs('browser') ? await browserFigures({ seedDir, fileName, torrentMiB: TORRENT_MIB, pieceLengthExp: PIECE_LENGTH_EXP, runs: RUNS, log }) : {};
  const citizenOptions = { seedDir, fileName, pieceLengthExp: PIECE_LENGTH_EXP, runs: RUNS, log };
  // Issue 9's figures: uploads through the inbound port, uTP, encryption, magnet latency.
  const citizen: Partial<CitizenFigures> = runs('citizen') ? await citizenFigures(citizenOptions) : {};
  const summary = {
    ours_MBps: round(ours?.mbps ?? null),
    aria2c_MBps: round(aria2?.mbps ?? null),
    ratio: ours && aria2 ? round(ours.mbps / aria2.mbps, 3) : null,
    peak_rss_MB: ours ? round(Math.max(ours.engineRssMB, ours.gatewayRssMB), 1) : null,
    engine_peak_rss_MB: round(ours?.engineRssMB ?? null, 1),
    gateway_peak_rss_MB: round(ours?.gatewayRssMB ?? null, 1),
    ours_seconds: round(ours?.seconds ?? null),
    ours_ws_MBps: round(oursWs?.mbps ?? null),
    aria2c_wall_MBps: round(aria2?.wallMbps ?? null),
    runs_per_client: RUNS,
    torrent_MB: TORRENT_MIB,
    torrent_bytes: TORRENT_MIB * 2 ** 20,
    piece_length: 2 ** PIECE_LENGTH_EXP,
    units: 'MBps = 10^6 bytes/s; RSS in 10^6 bytes; torrent_MB is the size in MiB (2^20 bytes)',
    seeder: 'libtorrent 2.0 seed_mode, TCP, fresh tracker+seeder per client',
    ...browser,
    ...citizen,
  };
  for (const line of targetLines(summary)) log(line);
  // Flat in torrent size: compare these with a BENCH_MB=1024 run.
  log(`memory at ${TORRENT_MIB} MiB: tab heap ${summary.browser_heap_MB ?? '?'} MB, gateway peak RSS ${summary.gateway_peak_rss_MB ?? '?'} MB (Node engine run)`);
  log(JSON.stringify(summary));
}

try {
  await main();
} finally {
  await stopAllProcesses();
  await removeTempDirs();
}
