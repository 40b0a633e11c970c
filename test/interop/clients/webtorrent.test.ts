// Interop with WebTorrent (npm, 3.x, in a Node child process): the engine downloads from a WebTorrent
// seeder through the gateway (TCP: the engine dials TCP first), and a WebTorrent leecher downloads
// from the engine through the gateway's inbound port, over TCP and over uTP (utp-native; WebTorrent
// dials uTP first when it has it). WebTorrent has no MSE, so no encrypted case.
import { describe, expect, it } from 'vitest';
import { startWebTorrentPeer } from '../../helpers/webtorrent-peer.ts';
import { useInteropBed } from '../../support/interop-bed.ts';
import { engineDownloads, clientDownloadsFromEngine, makeClientFixture } from './client-fixture.ts';

const bed = useInteropBed();

describe('WebTorrent', () => {
  it('the engine downloads from a WebTorrent seeder, byte-exact', async () => {
    const fixture = await makeClientFixture(bed, 'wt-down', 2 * 1024 * 1024 + 555);
    const seeder = await startWebTorrentPeer({ mode: 'seed', torrentPath: fixture.torrent.torrentPath, dataDir: fixture.dataDir });
    try {
      await engineDownloads(bed, fixture, 40_000, { peers: [{ host: '127.0.0.1', port: seeder.port }] });
    } finally {
      await seeder.stop();
    }
  });

  it.each([['tcp', 'tcpOutgoing'], ['utp', 'utpOutgoing']] as const)('a WebTorrent leecher downloads from the engine through the gateway\'s inbound port (%s)', async (transport, wireType) => {
    const name = `wt-up-${transport}`;
    const fixture = await makeClientFixture(bed, name, 1024 * 1024 + 77);
    await clientDownloadsFromEngine(bed, fixture, async (dir) => {
      const leecher = await startWebTorrentPeer({
        mode: 'leech', torrentPath: fixture.torrent.torrentPath, dataDir: dir, connectTo: [`127.0.0.1:${bed.gateway.peerPort}`], utp: transport === 'utp',
      });
      try {
        await leecher.waitForDone(40_000);
        expect(leecher.stats()?.wires).toContain(wireType);
      } finally {
        await leecher.stop();
      }
    });
  });
});
