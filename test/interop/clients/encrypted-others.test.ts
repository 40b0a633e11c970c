// Encrypted interop (MSE/PE) with rtorrent, aria2 and libtorrent, each set to require encryption
// (RC4, plaintext refused both ways), the engine on its default setting ('prefer'): the engine
// downloads from each through the gateway (its outgoing MSE), and each downloads from the engine
// through the gateway's inbound port (the gateway's MSE responder routing by HASH(req2)).
// qBittorrent and Transmission have their own files.
import { afterAll, beforeAll, describe, it } from 'vitest';
import { aria2Download, startAria2Seeder } from '../../helpers/aria2.ts';
import { startLibtorrentLeecher, startLibtorrentSeeder, type LibtorrentPeerOptions } from '../../helpers/libtorrent.ts';
import { getFreePort } from '../../helpers/ports.ts';
import { startRtorrent, type Rtorrent } from '../../helpers/rtorrent.ts';
import { useInteropBed } from '../../support/interop-bed.ts';
import { engineDownloads, clientDownloadsFromEngine, makeClientFixture } from './client-fixture.ts';

const bed = useInteropBed();
const SIZE = 1024 * 1024 + 4321;

describe('rtorrent requiring encryption', () => {
  let rtorrent: Rtorrent;
  beforeAll(async () => {
    rtorrent = await startRtorrent({ port: await getFreePort(), encryption: 'require' });
  });
  afterAll(() => rtorrent?.stop());

  it('the engine downloads from it', async () => {
    const fixture = await makeClientFixture(bed, 'enc-rt-down', SIZE);
    const hash = await rtorrent.add(fixture.torrent.torrentPath, fixture.dataDir);
    await rtorrent.waitForComplete(hash, 20_000);
    await engineDownloads(bed, fixture, 40_000);
  });

  it('it downloads from the engine through the gateway\'s inbound port', async () => {
    const fixture = await makeClientFixture(bed, 'enc-rt-up', SIZE);
    await clientDownloadsFromEngine(bed, fixture, async (dir) => {
      await rtorrent.waitForComplete(await rtorrent.add(fixture.torrent.torrentPath, dir), 40_000);
    });
  });
});

describe('aria2 requiring encryption', () => {
  it('the engine downloads from it', async () => {
    const fixture = await makeClientFixture(bed, 'enc-aria-down', SIZE);
    const seeder = await startAria2Seeder({ torrentPath: fixture.torrent.torrentPath, dataDir: fixture.dataDir, port: await getFreePort(), encryption: 'require' });
    try {
      await engineDownloads(bed, fixture, 40_000);
    } finally {
      await seeder.stop();
    }
  });

  // aria2 sends its BITFIELD again mid-connection (see aria2.test.ts).
  it('it downloads from the engine through the gateway\'s inbound port', async () => {
    const fixture = await makeClientFixture(bed, 'enc-aria-up', SIZE);
    await clientDownloadsFromEngine(bed, fixture, async (dir) => {
      await aria2Download({ torrentPath: fixture.torrent.torrentPath, outDir: dir, timeoutMs: 40_000, port: await getFreePort(), encryption: 'require' });
    });
  });
});

const FORCED: LibtorrentPeerOptions = { outgoingEncryption: 'forced', incomingEncryption: 'forced', encryptionLevel: 'rc4' };

describe.each([['TCP', { tcpOnly: true }], ['uTP', { utpOnly: true }]] as const)('libtorrent requiring encryption, over %s', (transport, only) => {
  it('the engine downloads from it', async () => {
    const fixture = await makeClientFixture(bed, `enc-lt-down-${transport}`, SIZE);
    const seeder = await startLibtorrentSeeder({ torrentPath: fixture.torrent.torrentPath, dataDir: fixture.dataDir, ...FORCED, ...only });
    try {
      await engineDownloads(bed, fixture, 40_000);
    } finally {
      await seeder.stop();
    }
  });

  it('it downloads from the engine through the gateway\'s inbound port', async () => {
    const name = `enc-lt-up-${transport}`;
    const fixture = await makeClientFixture(bed, name, SIZE);
    await clientDownloadsFromEngine(bed, fixture, async (dir) => {
      const leecher = await startLibtorrentLeecher({ torrentPath: fixture.torrent.torrentPath, dataDir: dir, ...FORCED, ...only });
      try {
        await leecher.waitForEvent('finished', 40_000);
      } finally {
        await leecher.stop();
      }
    });
  });
});
