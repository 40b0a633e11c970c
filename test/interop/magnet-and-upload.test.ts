// Interop, both directions of a swarm: the engine starts from a magnet link (metadata from a
// libtorrent peer, BEP 9), and a libtorrent leecher downloads from the engine — metadata and
// pieces — through the gateway's inbound listener.
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { useInteropBed } from '../support/interop-bed.ts';
import { makeTempDir } from '../helpers/temp.ts';
import { sha256File, writeDataFiles } from '../helpers/data-files.ts';
import { makeTorrent, type MadeTorrent } from '../helpers/make-torrent.ts';
import { magnetFor } from '../helpers/torrent-file.ts';
import { startLibtorrentLeecher, startLibtorrentSeeder } from '../helpers/libtorrent.ts';
import { parseTorrent, startEngine, storedFileHashes, waitForComplete } from '../support/engine-harness.ts';
import { listTorrents } from '../../web/worker/state/state-views.ts';

const bed = useInteropBed();

async function fixture(name: string, size: number): Promise<{ torrent: MadeTorrent; dataDir: string; sha256: string }> {
  const dataDir = await makeTempDir(`seed-${name}`);
  await writeDataFiles(dataDir, [{ path: `${name}.bin`, size }], name);
  const torrent = await makeTorrent({
    sourcePath: join(dataDir, `${name}.bin`), outFile: join(await makeTempDir('torrent'), `${name}.torrent`),
    pieceLengthExp: 15, trackers: [bed.tracker.httpAnnounceUrl],
  });
  return { torrent, dataDir, sha256: await sha256File(join(dataDir, `${name}.bin`)) };
}

describe('magnet links and uploading', () => {
  it('starts from a magnet link: fetches the metadata from libtorrent, then downloads', async () => {
    const f = await fixture('magnetdl', 1024 * 1024 + 99);
    const seeder = await startLibtorrentSeeder({ torrentPath: f.torrent.torrentPath, dataDir: f.dataDir, tcpOnly: true });
    const harness = await startEngine({ gatewayUrl: bed.gateway.url, token: bed.gateway.token });
    try {
      const hex = await harness.engine.addMagnet(magnetFor(f.torrent, [bed.tracker.httpAnnounceUrl]));
      expect(hex).toBe(f.torrent.infoHash);
      expect(listTorrents(harness.engine)[0]?.stats().state).toBe('metadata');
      await waitForComplete(harness.engine, hex, 40_000);
      const meta = parseTorrent(f.torrent.bytes);
      expect(harness.engine.get(hex)!.meta.infoHashHex).toBe(meta.infoHashHex);
      expect(await storedFileHashes(meta, harness.store)).toEqual(new Map([['magnetdl.bin', f.sha256]]));
    } finally {
      await harness.close();
      await seeder.stop();
    }
  });

  it('seeds to a libtorrent leecher that has only the magnet link (metadata and pieces from us)', async () => {
    const f = await fixture('upload', 768 * 1024 + 5);
    const seeder = await startLibtorrentSeeder({ torrentPath: f.torrent.torrentPath, dataDir: f.dataDir, tcpOnly: true });
    const harness = await startEngine({ gatewayUrl: bed.gateway.url, token: bed.gateway.token });
    try {
      const hex = await harness.engine.addTorrentFile(f.torrent.bytes);
      await waitForComplete(harness.engine, hex, 30_000);
      await seeder.stop(); // from now on only our engine has the data
      const leechDir = await makeTempDir('leech');
      const leecher = await startLibtorrentLeecher({
        magnet: magnetFor(f.torrent), dataDir: leechDir, tcpOnly: true, connectTo: [`127.0.0.1:${bed.gateway.peerPort}`],
      });
      try {
        await leecher.waitForEvent('finished', 40_000);
        expect(await sha256File(join(leechDir, 'upload.bin'))).toBe(f.sha256);
        expect(harness.engine.get(hex)!.uploadedBytes).toBeGreaterThanOrEqual(f.torrent.totalLength);
      } finally {
        await leecher.stop();
      }
    } finally {
      await harness.close();
    }
  });
});
