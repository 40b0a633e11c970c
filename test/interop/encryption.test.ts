// Interop, MSE/PE against real libtorrent peers: downloads from a seeder that requires encryption
// (engine set to 'require' and to 'prefer'), a leecher that requires encryption downloads from the
// engine through the gateway's inbound port (the gateway routes by SKEY, the tab finishes the
// handshake), and settings that cannot meet make no connection at all.
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { useInteropBed } from '../support/interop-bed.ts';
import { makeTempDir } from '../helpers/temp.ts';
import { sha256File, writeDataFiles } from '../helpers/data-files.ts';
import { makeTorrent, type MadeTorrent } from '../helpers/make-torrent.ts';
import { startLibtorrentLeecher, startLibtorrentSeeder, type LibtorrentPeerOptions } from '../helpers/libtorrent.ts';
import { parseTorrent, startEngine, storedFileHashes, waitForComplete } from '../support/engine-harness.ts';
import type { EncryptionMode } from '../../web/worker/peer/encryption-mode.ts';

const bed = useInteropBed();

/** libtorrent refusing plaintext both ways and insisting on RC4 for the payload. */
const REQUIRES_ENCRYPTION: Partial<LibtorrentPeerOptions> = { incomingEncryption: 'forced', outgoingEncryption: 'forced', encryptionLevel: 'rc4' };
const PLAINTEXT_ONLY: Partial<LibtorrentPeerOptions> = { incomingEncryption: 'disabled', outgoingEncryption: 'disabled' };
/** How long a peer that cannot meet us is given to (wrongly) connect. */
const NO_CONNECTION_WAIT_MS = 6_000;

async function fixture(name: string, size: number, trackers = [bed.tracker.httpAnnounceUrl]): Promise<{ torrent: MadeTorrent; dataDir: string; sha256: string }> {
  const dataDir = await makeTempDir(`enc-${name}`);
  await writeDataFiles(dataDir, [{ path: `${name}.bin`, size }], name);
  const torrent = await makeTorrent({
    sourcePath: join(dataDir, `${name}.bin`), outFile: join(await makeTempDir('torrent'), `${name}.torrent`),
    pieceLengthExp: 16, trackers,
  });
  return { torrent, dataDir, sha256: await sha256File(join(dataDir, `${name}.bin`)) };
}

/**
 * The engine downloads from one libtorrent seeder. Where no connection is expected the torrent has
 * no tracker and the engine dials the seeder itself: this tests the outgoing side (the inbound
 * side of the setting is LinkPresence's, see test/web/worker/torrent/link-presence.test.ts).
 */
async function download(
  name: string, encryption: EncryptionMode, seederOptions: Partial<LibtorrentPeerOptions>, expectComplete: boolean,
  dialOnly = !expectComplete,
): Promise<void> {
  const f = await fixture(name, 1024 * 1024 + 321, dialOnly ? [] : [bed.tracker.httpAnnounceUrl]);
  const seeder = await startLibtorrentSeeder({ torrentPath: f.torrent.torrentPath, dataDir: f.dataDir, tcpOnly: true, ...seederOptions });
  const harness = await startEngine({ gatewayUrl: bed.gateway.url, token: bed.gateway.token, encryption });
  try {
    const peers = dialOnly ? [{ host: '127.0.0.1', port: seeder.port }] : [];
    const hex = await harness.engine.addTorrentFile(f.torrent.bytes, { peers });
    if (expectComplete) {
      await waitForComplete(harness.engine, hex, 40_000);
      const meta = parseTorrent(f.torrent.bytes);
      expect(await storedFileHashes(meta, harness.store)).toEqual(new Map([[`${name}.bin`, f.sha256]]));
    } else {
      await new Promise((resolve) => setTimeout(resolve, NO_CONNECTION_WAIT_MS));
      expect(harness.engine.get(hex)!.downloadedBytes).toBe(0);
      expect(seeder.stats()?.total_upload ?? 0).toBe(0);
    }
  } finally {
    await harness.close();
    await seeder.stop();
  }
}

describe('MSE/PE with libtorrent', () => {
  it('downloads from a seeder that requires encryption, with encryption required', async () => {
    await download('require', 'require', REQUIRES_ENCRYPTION, true);
  });

  it('downloads from a seeder that requires encryption, with encryption preferred (the default)', async () => {
    await download('prefer', 'prefer', REQUIRES_ENCRYPTION, true);
  });

  it('prefers encryption but falls back to plaintext with a plaintext-only peer it dials', async () => {
    await download('fallback', 'prefer', PLAINTEXT_ONLY, true, true);
  });

  it('seeds through the gateway\'s inbound port to a leecher that requires encryption', async () => {
    const f = await fixture('inbound', 1024 * 1024 + 77);
    const seeder = await startLibtorrentSeeder({ torrentPath: f.torrent.torrentPath, dataDir: f.dataDir, tcpOnly: true });
    const harness = await startEngine({ gatewayUrl: bed.gateway.url, token: bed.gateway.token, encryption: 'prefer' });
    try {
      const hex = await harness.engine.addTorrentFile(f.torrent.bytes);
      await waitForComplete(harness.engine, hex, 30_000);
      await seeder.stop(); // from now on only our engine has the data
      const leechDir = await makeTempDir('enc-leech');
      const leecher = await startLibtorrentLeecher({
        torrentPath: f.torrent.torrentPath, dataDir: leechDir, tcpOnly: true, ...REQUIRES_ENCRYPTION,
        connectTo: [`127.0.0.1:${bed.gateway.peerPort}`],
      });
      try {
        await leecher.waitForEvent('finished', 40_000);
        expect(await sha256File(join(leechDir, 'inbound.bin'))).toBe(f.sha256);
        expect(harness.engine.get(hex)!.uploadedBytes).toBeGreaterThanOrEqual(f.torrent.totalLength);
      } finally {
        await leecher.stop();
      }
    } finally {
      await harness.close();
    }
  });

  it('plaintext only makes no connection with a peer that requires encryption', async () => {
    await download('plainvsforced', 'plaintext', REQUIRES_ENCRYPTION, false);
  });

  it('encryption required makes no connection with a plaintext-only peer', async () => {
    await download('forcedvsplain', 'require', PLAINTEXT_ONLY, false);
  });
});
