// upload_MBps: a libtorrent leecher (TCP) downloading the bench torrent from our Node engine, which
// seeds it from the bench's data file (bench/engine-seed-child.ts) through a gateway process's
// inbound peer port; timed from the leecher's start to its `finished`. For comparison, the log line
// also gives libtorrent → libtorrent the same way (a seed-mode libtorrent seeder, same leecher).
// Median of `runs`; MB = 10^6 bytes.
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { startGatewayProcess } from '../../test/helpers/gateway-process.ts';
import { startLibtorrentLeecher, startLibtorrentSeeder } from '../../test/helpers/libtorrent.ts';
import { makeTorrent, type MadeTorrent } from '../../test/helpers/make-torrent.ts';
import { spawnManaged } from '../../test/helpers/proc.ts';
import { makeTempDir } from '../../test/helpers/temp.ts';
import { medianOf } from '../median.ts';
import type { CitizenBenchOptions } from './index.ts';

export interface UploadFigures {
  upload_MBps: number | null;
}

const MB = 1e6;
const SEED_READY_TIMEOUT_MS = 60_000;
const DOWNLOAD_TIMEOUT_MS = 10 * 60_000;

export async function uploadFigures(options: CitizenBenchOptions): Promise<UploadFigures> {
  const workDir = await makeTempDir('bench-upload');
  try {
    // No tracker: the leecher dials the seeder's port itself.
    const torrent = await makeTorrent({
      sourcePath: join(options.seedDir, options.fileName), outFile: join(workDir, `${options.fileName}.torrent`), pieceLengthExp: options.pieceLengthExp,
    });
    const ours = await medianOf(options.runs, options.log, 'upload', () => oursOnce(options, torrent));
    const baseline = await medianOf(options.runs, options.log, 'upload (libtorrent → libtorrent)', () => libtorrentOnce(options, torrent));
    options.log(`upload: libtorrent ← our engine through the gateway's inbound port ${ours ? ours.mbps.toFixed(1) : '?'} MB/s; ` +
      `libtorrent ← libtorrent ${baseline ? baseline.mbps.toFixed(1) : '?'} MB/s (TCP, leecher start to finished)`);
    return { upload_MBps: ours ? Math.round(ours.mbps * 10) / 10 : null };
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

/** A fresh libtorrent leecher dialling `port` on 127.0.0.1; MB/s from its start to `finished`. */
async function leechOnce(torrent: MadeTorrent, port: number): Promise<{ mbps: number; seconds: number }> {
  const leechDir = await makeTempDir('bench-upload-leech');
  try {
    const started = performance.now();
    const leecher = await startLibtorrentLeecher({ torrentPath: torrent.torrentPath, dataDir: leechDir, tcpOnly: true, connectTo: [`127.0.0.1:${port}`] });
    try {
      await leecher.waitForEvent('finished', DOWNLOAD_TIMEOUT_MS);
      const seconds = (performance.now() - started) / 1000;
      return { mbps: torrent.totalLength / seconds / MB, seconds };
    } finally {
      await leecher.stop();
    }
  } finally {
    await rm(leechDir, { recursive: true, force: true });
  }
}

async function oursOnce(options: CitizenBenchOptions, torrent: MadeTorrent): Promise<{ mbps: number }> {
  const gateway = await startGatewayProcess({ allowPrivate: true });
  try {
    // BENCH_CPU_PROF=DIR profiles the seeding engine (BENCH_GATEWAY_CPU_PROF the gateway); BENCH_UPLOAD_LINK=websocket
    // seeds over the WebSocket link instead of WebRTC (the link's share of the time).
    const profile = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];
    const link = process.env.BENCH_UPLOAD_LINK === 'websocket' ? ['websocket'] : [];
    const child = spawnManaged(process.execPath, [...profile, '--import', 'tsx', 'bench/engine-seed-child.ts', torrent.torrentPath, gateway.url, gateway.token, join(options.seedDir, options.fileName), ...link],
      { label: 'engine seed', stdinPipe: true });
    try {
      await child.waitForLine(/^SEEDING /, SEED_READY_TIMEOUT_MS);
      const result = await leechOnce(torrent, gateway.peerPort);
      options.log(`upload, ours: ${result.mbps.toFixed(1)} MB/s (${torrent.totalLength} bytes in ${result.seconds.toFixed(2)} s)`);
      return result;
    } finally {
      child.child.stdin?.end();
      await child.stop();
    }
  } finally {
    await gateway.stop();
  }
}

async function libtorrentOnce(options: CitizenBenchOptions, torrent: MadeTorrent): Promise<{ mbps: number }> {
  const seeder = await startLibtorrentSeeder({ torrentPath: torrent.torrentPath, dataDir: options.seedDir, seedMode: true, tcpOnly: true });
  try {
    const result = await leechOnce(torrent, seeder.port);
    options.log(`upload, libtorrent → libtorrent: ${result.mbps.toFixed(1)} MB/s (${result.seconds.toFixed(2)} s)`);
    return result;
  } finally {
    await seeder.stop();
  }
}
