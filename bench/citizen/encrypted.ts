// encrypted_MBps: our Node engine over the WebSocket link (as ours_ws_MBps) with encryption
// required, from a libtorrent seeder that requires it too (RC4 both ways, the obfuscated handshake).
// A plaintext run the same way (engine 'plaintext', seeder plaintext only) is logged beside it, so
// the cost of encryption reads from one run. Median of `runs`.
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { startLibtorrentSeeder, type LibtorrentPeerOptions } from '../../test/helpers/libtorrent.ts';
import { makeTorrent } from '../../test/helpers/make-torrent.ts';
import { makeTempDir } from '../../test/helpers/temp.ts';
import { startTracker } from '../../test/helpers/tracker.ts';
import type { EncryptionMode } from '../../web/worker/peer/encryption-mode.ts';
import { downloadWithEngine } from '../engine-download.ts';
import { medianOf } from '../median.ts';
import type { CitizenBenchOptions } from './index.ts';

export interface EncryptedFigures {
  encrypted_MBps: number | null;
}

const MB = 1e6;
const SEEDER_REQUIRES_RC4: Partial<LibtorrentPeerOptions> = { incomingEncryption: 'forced', outgoingEncryption: 'forced', encryptionLevel: 'rc4' };
const SEEDER_PLAINTEXT: Partial<LibtorrentPeerOptions> = { incomingEncryption: 'disabled', outgoingEncryption: 'disabled' };

export async function encryptedFigures(options: CitizenBenchOptions): Promise<EncryptedFigures> {
  const encrypted = await medianOf(options.runs, options.log, 'encrypted', () => once(options, 'require', SEEDER_REQUIRES_RC4));
  const plaintext = await medianOf(options.runs, options.log, 'encrypted (plaintext reference)', () => once(options, 'plaintext', SEEDER_PLAINTEXT));
  if (encrypted && plaintext) {
    options.log(`encrypted: ${encrypted.mbps.toFixed(1)} MB/s vs plaintext ${plaintext.mbps.toFixed(1)} MB/s (WebSocket link, same run): ${(encrypted.mbps / plaintext.mbps).toFixed(2)}×`);
  }
  return { encrypted_MBps: encrypted ? Math.round(encrypted.mbps * 10) / 10 : null };
}

/** One download by our engine (WebSocket link) from a fresh libtorrent seeder; MB/s. */
async function once(options: CitizenBenchOptions, encryption: EncryptionMode, seederOptions: Partial<LibtorrentPeerOptions>): Promise<{ mbps: number }> {
  const workDir = await makeTempDir('bench-encrypted');
  const tracker = await startTracker();
  try {
    const torrent = await makeTorrent({
      sourcePath: join(options.seedDir, options.fileName), outFile: join(workDir, `${options.fileName}.torrent`),
      pieceLengthExp: options.pieceLengthExp, trackers: [tracker.httpAnnounceUrl],
    });
    const seeder = await startLibtorrentSeeder({ torrentPath: torrent.torrentPath, dataDir: options.seedDir, seedMode: true, tcpOnly: true, ...seederOptions });
    try {
      const result = await downloadWithEngine({
        torrentPath: torrent.torrentPath, trackerUrl: tracker.httpAnnounceUrl, seederPort: seeder.port, link: 'websocket', encryption,
      });
      const mbps = result.bytes / result.seconds / MB;
      options.log(`ours, WebSocket link, encryption ${encryption}: ${mbps.toFixed(1)} MB/s (${result.bytes} bytes in ${result.seconds.toFixed(2)} s)`);
      return { mbps };
    } finally {
      await seeder.stop();
    }
  } finally {
    await tracker.close();
    await rm(workDir, { recursive: true, force: true });
  }
}
