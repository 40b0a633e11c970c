// Interop with libtorrent 2.0, each transport forced on libtorrent's side (tcpOnly / utpOnly), each
// side finding the other through the bed's HTTP tracker only (the engine announces the gateway's
// peer port): the engine downloads from libtorrent, and libtorrent downloads from the engine through
// the gateway's inbound port. Direct dials (UTP_OPEN, connectTo), magnet links and a lying seeder
// are in test/interop/{utp,magnet-and-upload,download}.test.ts; encrypted cases in encrypted-others.test.ts.
import { describe, it } from 'vitest';
import { startLibtorrentLeecher, startLibtorrentSeeder } from '../../helpers/libtorrent.ts';
import { useInteropBed } from '../../support/interop-bed.ts';
import { engineDownloads, clientDownloadsFromEngine, makeClientFixture } from './client-fixture.ts';

const bed = useInteropBed();
const TRANSPORTS = [['TCP', { tcpOnly: true }], ['uTP', { utpOnly: true }]] as const;

describe.each(TRANSPORTS)('libtorrent over %s, peers from the tracker', (transport, only) => {
  it('the engine downloads from a libtorrent seeder, byte-exact', async () => {
    const fixture = await makeClientFixture(bed, `lt-down-${transport}`, 2 * 1024 * 1024 + 11);
    const seeder = await startLibtorrentSeeder({ torrentPath: fixture.torrent.torrentPath, dataDir: fixture.dataDir, ...only });
    try {
      await engineDownloads(bed, fixture, 40_000); // the seeder is the only peer with the data
    } finally {
      await seeder.stop();
    }
  });

  it('a libtorrent leecher downloads from the engine through the gateway\'s inbound port', async () => {
    const name = `lt-up-${transport}`;
    const fixture = await makeClientFixture(bed, name, 1024 * 1024 + 22);
    await clientDownloadsFromEngine(bed, fixture, async (dir) => {
      const leecher = await startLibtorrentLeecher({ torrentPath: fixture.torrent.torrentPath, dataDir: dir, ...only });
      try {
        await leecher.waitForEvent('finished', 40_000);
      } finally {
        await leecher.stop();
      }
    });
  });
});
