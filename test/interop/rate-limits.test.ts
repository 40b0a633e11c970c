// Rate limits against real libtorrent peers through the gateway: a 256 KiB/s download limit holds
// against a libtorrent seeder and a 256 KiB/s upload limit against a libtorrent leecher (each an
// average over 4 s, within a loose band), and lifting the limit mid-transfer lets it run clearly
// faster at once.
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { useInteropBed } from '../support/interop-bed.ts';
import { makeTempDir } from '../helpers/temp.ts';
import { writeDataFiles } from '../helpers/data-files.ts';
import { makeTorrent, type MadeTorrent } from '../helpers/make-torrent.ts';
import { magnetFor } from '../helpers/torrent-file.ts';
import { startLibtorrentLeecher, startLibtorrentSeeder } from '../helpers/libtorrent.ts';
import { startEngine, waitForComplete } from '../support/engine-harness.ts';
import type { Torrent } from '../../web/worker/torrent/torrent.ts';

const bed = useInteropBed();
const KiB = 1024;
const LIMIT_KIBPS = 256;
const WINDOW_MS = 4_000;

async function fixture(name: string, size: number): Promise<{ torrent: MadeTorrent; dataDir: string }> {
  const dataDir = await makeTempDir(`limit-${name}`);
  await writeDataFiles(dataDir, [{ path: `${name}.bin`, size }], name);
  const torrent = await makeTorrent({
    sourcePath: join(dataDir, `${name}.bin`), outFile: join(await makeTempDir('torrent'), `${name}.torrent`),
    pieceLengthExp: 15, trackers: [bed.tracker.httpAnnounceUrl],
  });
  return { torrent, dataDir };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until `count()` moved (the transfer is under way), then measures its rate over WINDOW_MS. */
async function measure(count: () => number, what: string): Promise<number> {
  const deadline = Date.now() + 30_000;
  while (count() < 64 * KiB) {
    if (Date.now() > deadline) throw new Error(`${what}: never started`);
    await sleep(100);
  }
  const before = count();
  const startedAt = Date.now();
  await sleep(WINDOW_MS);
  return (count() - before) / ((Date.now() - startedAt) / 1000);
}

/** How fast the rest goes once the limit is lifted. */
async function timeToFinish(count: () => number, total: number, timeoutMs: number): Promise<number> {
  const left = total - count();
  const startedAt = Date.now();
  while (count() < total) {
    if (Date.now() - startedAt > timeoutMs) throw new Error(`not finished after the limit was lifted (${count()} of ${total})`);
    await sleep(50);
  }
  return left / Math.max(0.05, (Date.now() - startedAt) / 1000);
}

describe('rate limits', () => {
  it(`holds a ${LIMIT_KIBPS} KiB/s download limit against a libtorrent seeder, and runs clearly faster once it is lifted`, async () => {
    const f = await fixture('downlimit', 4 * 1024 * KiB);
    const seeder = await startLibtorrentSeeder({ torrentPath: f.torrent.torrentPath, dataDir: f.dataDir, tcpOnly: true });
    const harness = await startEngine({ gatewayUrl: bed.gateway.url, token: bed.gateway.token });
    try {
      harness.engine.setLimits({ downloadKiBps: LIMIT_KIBPS });
      const hex = await harness.engine.addTorrentFile(f.torrent.bytes);
      const torrent = harness.engine.get(hex)!;
      const limited = await measure(() => torrent.downloadedBytes, 'download');
      const shown = torrent.downloadRate.bytesPerSecond; // what the UI shows
      console.log(`download: ${(limited / KiB).toFixed(0)} KiB/s at a ${LIMIT_KIBPS} KiB/s limit (shown ${(shown / KiB).toFixed(0)} KiB/s)`);
      expect(limited).toBeGreaterThan(0.5 * LIMIT_KIBPS * KiB);
      expect(limited).toBeLessThan(1.35 * LIMIT_KIBPS * KiB);
      expect(shown).toBeLessThan(1.5 * LIMIT_KIBPS * KiB);

      harness.engine.setLimits({});
      const unlimited = await timeToFinish(() => torrent.verifiedBytes, f.torrent.totalLength, 30_000);
      console.log(`download: the rest at ${(unlimited / KiB).toFixed(0)} KiB/s without the limit`);
      expect(unlimited).toBeGreaterThan(3 * LIMIT_KIBPS * KiB);
    } finally {
      await harness.close();
      await seeder.stop();
    }
  });

  it(`holds a ${LIMIT_KIBPS} KiB/s upload limit against a libtorrent leecher, and runs clearly faster once it is lifted`, async () => {
    const f = await fixture('uplimit', 4 * 1024 * KiB);
    const seeder = await startLibtorrentSeeder({ torrentPath: f.torrent.torrentPath, dataDir: f.dataDir, tcpOnly: true });
    const harness = await startEngine({ gatewayUrl: bed.gateway.url, token: bed.gateway.token });
    try {
      const hex = await harness.engine.addTorrentFile(f.torrent.bytes);
      await waitForComplete(harness.engine, hex, 30_000);
      await seeder.stop(); // from now on only our engine has the data
      harness.engine.setLimits({ uploadKiBps: LIMIT_KIBPS });
      const torrent: Torrent = harness.engine.get(hex)!;
      const leecher = await startLibtorrentLeecher({
        magnet: magnetFor(f.torrent), dataDir: await makeTempDir('leech'), tcpOnly: true, connectTo: [`127.0.0.1:${bed.gateway.peerPort}`],
      });
      try {
        const limited = await measure(() => torrent.uploadedBytes, 'upload');
        console.log(`upload: ${(limited / KiB).toFixed(0)} KiB/s at a ${LIMIT_KIBPS} KiB/s limit (shown ${(torrent.uploadRate.bytesPerSecond / KiB).toFixed(0)} KiB/s)`);
        expect(limited).toBeGreaterThan(0.5 * LIMIT_KIBPS * KiB);
        expect(limited).toBeLessThan(1.35 * LIMIT_KIBPS * KiB);

        harness.engine.setLimits({});
        const unlimited = await timeToFinish(() => torrent.uploadedBytes, f.torrent.totalLength, 30_000);
        console.log(`upload: the rest at ${(unlimited / KiB).toFixed(0)} KiB/s without the limit`);
        expect(unlimited).toBeGreaterThan(3 * LIMIT_KIBPS * KiB);
        await leecher.waitForEvent('finished', 30_000);
      } finally {
        await leecher.stop();
      }
    } finally {
      await harness.close();
    }
  });
});
