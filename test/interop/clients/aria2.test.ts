// Interop with aria2c (TCP only: aria2 has no uTP): an aria2 leecher downloads from the engine
// through the gateway's inbound port, finding it through the bed's HTTP tracker. The engine
// downloading from aria2 is in test/interop/download.test.ts; encrypted cases in encrypted-others.test.ts.
//
// aria2 1.36 announces the pieces it got as a BITFIELD in mid connection (even for 3 pieces, and
// again right after INTERESTED on every new connection; its log: "To: … bitfield 4012"); the engine
// once closed the connection on that and aria2 never completed.
import { describe, it } from 'vitest';
import { aria2Download } from '../../helpers/aria2.ts';
import { getFreePort } from '../../helpers/ports.ts';
import { useInteropBed } from '../../support/interop-bed.ts';
import { clientDownloadsFromEngine, makeClientFixture } from './client-fixture.ts';

const bed = useInteropBed();

describe('aria2 over TCP', () => {
  it('an aria2 leecher downloads from the engine through the gateway\'s inbound port (it sends its BITFIELD again mid-connection)', async () => {
    const fixture = await makeClientFixture(bed, 'aria-up', 2 * 1024 * 1024 + 99);
    await clientDownloadsFromEngine(bed, fixture, async (dir) => {
      await aria2Download({ torrentPath: fixture.torrent.torrentPath, outDir: dir, timeoutMs: 40_000, port: await getFreePort() });
    });
  });
});
