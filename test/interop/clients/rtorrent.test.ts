// Interop with rtorrent 0.9.8 (TCP only: rtorrent has no uTP), one rtorrent for the file: the engine
// in Node downloads from it through the gateway, and it downloads from the engine through the
// gateway's inbound port, each finding the other through the bed's HTTP tracker. Encrypted cases:
// encrypted-others.test.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getFreePort } from '../../helpers/ports.ts';
import { startRtorrent, type Rtorrent } from '../../helpers/rtorrent.ts';
import { useInteropBed } from '../../support/interop-bed.ts';
import { engineDownloads, clientDownloadsFromEngine, makeClientFixture } from './client-fixture.ts';

const bed = useInteropBed();
let rtorrent: Rtorrent;

beforeAll(async () => {
  rtorrent = await startRtorrent({ port: await getFreePort() });
});
afterAll(() => rtorrent?.stop());

describe('rtorrent over TCP', () => {
  it('the engine downloads from an rtorrent seeder, byte-exact', async () => {
    const fixture = await makeClientFixture(bed, 'rt-down', 2 * 1024 * 1024 + 321);
    const hash = await rtorrent.add(fixture.torrent.torrentPath, fixture.dataDir);
    await rtorrent.waitForComplete(hash, 20_000); // its hash check of the data
    await engineDownloads(bed, fixture, 40_000);
    expect((await rtorrent.status(hash)).uploadedBytes).toBeGreaterThanOrEqual(fixture.torrent.totalLength);
  });

  it('an rtorrent leecher downloads from the engine through the gateway\'s inbound port', async () => {
    const fixture = await makeClientFixture(bed, 'rt-up', 1024 * 1024 + 123);
    await clientDownloadsFromEngine(bed, fixture, async (dir) => {
      await rtorrent.waitForComplete(await rtorrent.add(fixture.torrent.torrentPath, dir), 40_000);
    });
  });
});
