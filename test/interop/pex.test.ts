// Interop, peer exchange (BEP 11) with libtorrent, no tracker anywhere: the engine is given one
// slow libtorrent leecher, learns from its ut_pex message of the seeder that leecher is
// downloading from, and gets the data from that seeder; then a second libtorrent leecher given
// only our address learns of the others from our ut_pex messages.
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { useInteropBed } from '../support/interop-bed.ts';
import { makeTempDir } from '../helpers/temp.ts';
import { sha256File, writeDataFiles } from '../helpers/data-files.ts';
import { makeTorrent } from '../helpers/make-torrent.ts';
import { startLibtorrentLeecher, startLibtorrentSeeder, type LibtorrentPeer } from '../helpers/libtorrent.ts';
import { parseTorrent, startEngine, storedFileHashes, waitForComplete } from '../support/engine-harness.ts';

const bed = useInteropBed();
const SIZE = 4 * 1024 * 1024 + 77;
/** Slow enough that a leecher stays a leecher (and connected to the seeder) for the whole test. */
const SLOW_BYTES_PER_SEC = 32 * 1024;

async function until(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('peer exchange (BEP 11)', () => {
  it('finds a seeder through a libtorrent peer\'s ut_pex, and tells another libtorrent peer about the swarm', async () => {
    const dataDir = await makeTempDir('seed-pex');
    await writeDataFiles(dataDir, [{ path: 'pex.bin', size: SIZE }], 'pex');
    const torrent = await makeTorrent({ sourcePath: join(dataDir, 'pex.bin'), outFile: join(await makeTempDir('torrent'), 'pex.torrent'), pieceLengthExp: 15 });
    const started: LibtorrentPeer[] = [];
    const harness = await startEngine({ gatewayUrl: bed.gateway.url, token: bed.gateway.token });
    try {
      const seeder = await startLibtorrentSeeder({ torrentPath: torrent.torrentPath, dataDir, tcpOnly: true });
      started.push(seeder);
      // The leecher we are told about: it uploads almost nothing, so only the seeder can serve us.
      const slowLeecher = await startLibtorrentLeecher({
        torrentPath: torrent.torrentPath, dataDir: await makeTempDir('leech-a'), tcpOnly: true,
        connectTo: [`127.0.0.1:${seeder.port}`], downloadLimitBytesPerSec: SLOW_BYTES_PER_SEC, uploadLimitBytesPerSec: 1024,
      });
      started.push(slowLeecher);
      await until(() => (slowLeecher.stats()?.peers ?? 0) >= 1, 15_000, 'the slow leecher to reach the seeder');

      const hex = await harness.engine.addTorrentFile(torrent.bytes, { peers: [{ host: '127.0.0.1', port: slowLeecher.port }] });
      await until(() => harness.engine.get(hex)!.peersKnown().some((p) => p.port === seeder.port), 20_000, 'the seeder\'s address by PEX');
      await waitForComplete(harness.engine, hex, 40_000);
      const meta = parseTorrent(torrent.bytes);
      expect(await storedFileHashes(meta, harness.store)).toEqual(new Map([['pex.bin', await sha256File(join(dataDir, 'pex.bin'))]]));

      // A newcomer given only our address (the gateway's peer port) learns the rest from us.
      const newcomer = await startLibtorrentLeecher({
        torrentPath: torrent.torrentPath, dataDir: await makeTempDir('leech-c'), tcpOnly: true,
        connectTo: [`127.0.0.1:${bed.gateway.peerPort}`], downloadLimitBytesPerSec: SLOW_BYTES_PER_SEC,
      });
      started.push(newcomer);
      await until(() => (newcomer.stats()?.peers ?? 0) >= 2, 20_000, 'the newcomer to connect to a peer it heard of from us');
    } finally {
      await harness.close();
      await Promise.all(started.map((peer) => peer.stop()));
    }
  });
});
