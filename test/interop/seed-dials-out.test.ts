// A finished torrent dials out: our engine seeds a torrent (its data already whole on disk) and a
// libtorrent leecher that dials nobody (outgoing TCP and uTP off) announces to the same tracker.
// The leecher cannot reach us, so the torrent gets there only because the seed dials the peer the
// tracker named — then uploads the whole torrent to it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { startGatewayProcess, type GatewayProcess } from '../helpers/gateway-process.ts';
import { makeTempDir } from '../helpers/temp.ts';
import { sha256File, writeDataFiles } from '../helpers/data-files.ts';
import { makeTorrent } from '../helpers/make-torrent.ts';
import { startLibtorrentLeecher } from '../helpers/libtorrent.ts';
import { startTracker, type TestTracker } from '../helpers/tracker.ts';
import { DiskPieceStore } from '../support/disk-piece-store.ts';
import { startEngine } from '../support/engine-harness.ts';

let gateway: GatewayProcess;
let tracker: TestTracker;

beforeAll(async () => {
  gateway = await startGatewayProcess({ allowPrivate: true });
  tracker = await startTracker();
});
afterAll(async () => {
  await gateway?.stop();
  await tracker?.close();
});

describe('a seeding torrent dials out', () => {
  it('uploads the whole torrent to a libtorrent leecher it learned of from the tracker and that cannot reach it', async () => {
    const dataDir = await makeTempDir('seed-dials-out');
    await writeDataFiles(dataDir, [{ path: 'dial-out.bin', size: 3 * 1024 * 1024 + 555 }], 'dial-out');
    const torrent = await makeTorrent({
      sourcePath: join(dataDir, 'dial-out.bin'), outFile: join(await makeTempDir('torrent'), 'dial-out.torrent'),
      pieceLengthExp: 16, trackers: [tracker.httpAnnounceUrl],
    });
    const leechDir = await makeTempDir('dial-out-leech');
    const leecher = await startLibtorrentLeecher({ torrentPath: torrent.torrentPath, dataDir: leechDir, noOutgoing: true });
    const store = new DiskPieceStore(join(dataDir, 'dial-out.bin'), torrent.pieceLength, { complete: true });
    const harness = await startEngine({ gatewayUrl: gateway.url, token: gateway.token, store });
    try {
      await waitFor(() => tracker.peersOf(torrent.infoHash).some((peer) => peer.port === leecher.port), 'the leecher has announced');
      const hex = await harness.engine.addTorrentFile(torrent.bytes);
      expect(harness.engine.get(hex)!.state).toBe('seeding');
      await leecher.waitForEvent('finished', 45_000);
      expect(await sha256File(join(leechDir, 'dial-out.bin'))).toBe(await sha256File(join(dataDir, 'dial-out.bin')));
      expect(harness.engine.get(hex)!.uploadedBytes).toBeGreaterThanOrEqual(torrent.totalLength);
    } finally {
      await harness.close();
      await leecher.stop();
      await store.close();
    }
  });
});

async function waitFor(condition: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
