// Interop with MSE/PE: qBittorrent and Transmission set to require encryption, both directions where
// loopback allows. The engine (requiring encryption, or only preferring it as by default) downloads
// from each seeding; qBittorrent downloads from the engine seeding, through the gateway's inbound
// port, whose handshake reader must route an encrypted handshake to us. (A Transmission leecher never
// dials a 127.0.0.0/8 peer: that direction runs in a namespace, test/interop/in-netns/.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { useInteropBed } from '../../support/interop-bed.ts';
import { startEngine, waitForComplete } from '../../support/engine-harness.ts';
import { engineFileHashes, makeClientFixture, singleFile, storeWithAllPieces, type ClientFixture } from '../../support/client-interop.ts';
import { startQbittorrent, type Qbittorrent } from '../../helpers/qbittorrent.ts';
import { startTransmission, type Transmission } from '../../helpers/transmission.ts';
import { pollUntil } from '../../helpers/client-options.ts';
import { sha256File } from '../../helpers/data-files.ts';
import { makeTempDir } from '../../helpers/temp.ts';
import type { EncryptionMode } from '../../../web/worker/peer/encryption-mode.ts';

const bed = useInteropBed();
let qbittorrent: Qbittorrent;
let transmission: Transmission;

beforeAll(async () => {
  [qbittorrent, transmission] = await Promise.all([
    startQbittorrent({ encryption: 'require' }), startTransmission({ encryption: 'require' }),
  ]);
});
afterAll(async () => {
  await Promise.all([qbittorrent?.stop(), transmission?.stop()]);
});

/** The engine downloads the fixture from whoever seeds it, byte-exact; `connected` runs once it is in touch. */
async function engineDownloads(fixture: ClientFixture, encryption: EncryptionMode, connected?: () => Promise<void>): Promise<void> {
  const harness = await startEngine({ gatewayUrl: bed.gateway.url, token: bed.gateway.token, encryption });
  try {
    const hex = await harness.engine.addTorrentFile(fixture.torrent.bytes);
    await connected?.();
    await waitForComplete(harness.engine, hex, 50_000);
    expect(await engineFileHashes(harness, fixture)).toEqual(fixture.originals);
  } finally {
    await harness.close();
  }
}

describe.concurrent('clients that require encryption', () => {
  it.each(['require', 'prefer'] as const)('the engine (%s) downloads from qBittorrent requiring encryption', async (encryption) => {
    const name = `qbt-enc-down-${encryption}`;
    const fixture = await makeClientFixture(name, singleFile(name, 2 * 1024 * 1024 + 17), [bed.tracker.httpAnnounceUrl]);
    const hash = await qbittorrent.addTorrent({ torrentPath: fixture.torrent.torrentPath, savePath: fixture.dataDir, seed: true });
    await qbittorrent.waitForComplete(hash, 15_000);
    await engineDownloads(fixture, encryption);
  });

  it('qBittorrent requiring encryption downloads from the engine seeding (inbound MSE at the gateway)', async () => {
    const name = 'qbt-enc-up';
    const fixture = await makeClientFixture(name, singleFile(name, 2 * 1024 * 1024 + 99), [bed.tracker.httpAnnounceUrl]);
    const harness = await startEngine({ gatewayUrl: bed.gateway.url, token: bed.gateway.token, encryption: 'require', store: await storeWithAllPieces(fixture) });
    try {
      const hex = await harness.engine.addTorrentFile(fixture.torrent.bytes);
      const saveDir = await makeTempDir('qbt-enc-leech');
      const hash = await qbittorrent.addTorrent({ torrentPath: fixture.torrent.torrentPath, savePath: saveDir });
      await qbittorrent.waitForComplete(hash, 50_000);
      expect(await sha256File(join(saveDir, `${name}.bin`))).toBe(fixture.originals.get(`${name}.bin`));
      expect(harness.engine.get(hex)!.uploadedBytes).toBeGreaterThanOrEqual(fixture.torrent.totalLength);
    } finally {
      await harness.close();
    }
  });

});

// Transmission closes an incoming handshake from an address that already has one in progress (its
// incoming handshakes are keyed by IP alone), so its cases run one at a time. The same rule refuses
// the TCP attempt that joins our uTP one mid-MSE: under 'prefer' that refusal must not end in a
// plaintext stream winning the race (dial.ts). Transmission's uTP writes leave every 500 ms (its
// bandwidth pulse), so its MSE exchange alone takes about a second.
describe('Transmission requiring encryption', () => {
  it.each(['require', 'prefer'] as const)('the engine (%s) downloads from Transmission requiring encryption', async (encryption) => {
    const name = `tr-enc-down-${encryption}`;
    const fixture = await makeClientFixture(name, singleFile(name, 1024 * 1024 + 5), [bed.tracker.httpAnnounceUrl]);
    const hash = await transmission.addTorrent({ torrentPath: fixture.torrent.torrentPath, downloadDir: fixture.dataDir });
    await transmission.waitForComplete(hash, 15_000);
    // The engine's first announce must list Transmission, or the next is 30 s away.
    await pollUntil(async () => (bed.tracker.peersOf(hash).some((peer) => peer.port === transmission.peerPort) ? true : undefined),
      10_000, async () => 'Transmission has not announced', 100);
    // Transmission unchokes only at its rechoke (every 10 s, or when a torrent starts): have it run
    // once the engine is its peer, not up to 10 s later.
    await engineDownloads(fixture, encryption, () => transmission.unchokeSoon(hash, 20_000));
  });
});
