// What each client's interop file does the same way: a small single-file torrent (32 KiB pieces)
// naming the bed's HTTP tracker; the engine downloading it from a client, byte-exact; the engine
// seeding it from the data file itself (a DiskPieceStore over the file, every piece present) so a
// client can download it through the gateway's inbound port.
import { basename, join } from 'node:path';
import { expect } from 'vitest';
import { sha256File, writeDataFiles } from '../../helpers/data-files.ts';
import { makeTorrent, type MadeTorrent } from '../../helpers/make-torrent.ts';
import { makeTempDir } from '../../helpers/temp.ts';
import type { PeerAddress } from '../../../web/worker/transport.ts';
import type { EncryptionMode } from '../../../web/worker/peer/encryption-mode.ts';
import { DiskPieceStore } from '../../support/disk-piece-store.ts';
import { parseTorrent, startEngine, storedFileHashes, waitForComplete, type EngineHarness } from '../../support/engine-harness.ts';
import type { InteropBed } from '../../support/interop-bed.ts';

export const PIECE_EXP = 15;
const TRACKER_WAIT_MS = 10_000;

export interface ClientFixture {
  torrent: MadeTorrent;
  /** The directory holding the data file (the torrent's name inside it). */
  dataDir: string;
  dataPath: string;
  sha256: string;
}

/** A fixture naming the bed's HTTP tracker, or no tracker at all without a bed. */
export async function makeClientFixture(bed: InteropBed | undefined, name: string, size: number): Promise<ClientFixture> {
  const dataDir = await makeTempDir(`seed-${name}`);
  await writeDataFiles(dataDir, [{ path: `${name}.bin`, size }], name);
  const dataPath = join(dataDir, `${name}.bin`);
  const torrent = await makeTorrent({
    sourcePath: dataPath, outFile: join(await makeTempDir('torrent'), `${name}.torrent`),
    pieceLengthExp: PIECE_EXP, trackers: bed ? [bed.tracker.httpAnnounceUrl] : undefined,
  });
  return { torrent, dataDir, dataPath, sha256: await sha256File(dataPath) };
}

export interface EngineOptions {
  encryption?: EncryptionMode;
  /** Peers to dial besides the tracker's. */
  peers?: PeerAddress[];
}

/** The engine downloads the fixture (peers from the tracker, or given) and has it byte-exact. */
export async function engineDownloads(bed: InteropBed, fixture: ClientFixture, timeoutMs: number, options: EngineOptions = {}): Promise<void> {
  const harness = await startEngine({ gatewayUrl: bed.gateway.url, token: bed.gateway.token, encryption: options.encryption });
  try {
    const hex = await harness.engine.addTorrentFile(fixture.torrent.bytes, options.peers ? { peers: options.peers } : undefined);
    await waitForComplete(harness.engine, hex, timeoutMs);
    const meta = parseTorrent(fixture.torrent.bytes);
    expect(await storedFileHashes(meta, harness.store)).toEqual(new Map([[meta.files[0]!.path, fixture.sha256]]));
  } finally {
    await harness.close();
  }
}

export interface SeedingEngine {
  harness: EngineHarness;
  infoHashHex: string;
  uploadedBytes(): number;
  close(): Promise<void>;
}

/**
 * The engine seeding the fixture from its data file, announced to the bed's tracker (so a client
 * that asks the tracker finds it at the gateway's peer port) before this resolves.
 */
export async function startSeedingEngine(bed: InteropBed, fixture: ClientFixture, options: EngineOptions = {}): Promise<SeedingEngine> {
  const store = new DiskPieceStore(fixture.dataPath, fixture.torrent.pieceLength, { complete: true });
  const harness = await startEngine({ gatewayUrl: bed.gateway.url, token: bed.gateway.token, store, encryption: options.encryption });
  const close = async () => {
    await harness.close();
    await store.close();
  };
  try {
    const hex = await harness.engine.addTorrentFile(fixture.torrent.bytes);
    await waitForComplete(harness.engine, hex, 5_000);
    const deadline = Date.now() + TRACKER_WAIT_MS;
    while (!bed.tracker.peersOf(hex).some((peer) => peer.port === bed.gateway.peerPort)) {
      if (Date.now() > deadline) throw new Error(`the engine did not announce ${hex} to the tracker in ${TRACKER_WAIT_MS} ms`);
      await new Promise((r) => setTimeout(r, 50));
    }
    return { harness, infoHashHex: hex, uploadedBytes: () => harness.engine.get(hex)?.uploadedBytes ?? 0, close };
  } catch (err) {
    await close();
    throw err;
  }
}

/**
 * The engine seeds the fixture and `leech` runs a client on it into a fresh directory until it is
 * done (and stops it): the client's copy must be byte-exact, and every byte must have come from us.
 */
export async function clientDownloadsFromEngine(
  bed: InteropBed, fixture: ClientFixture, leech: (dataDir: string) => Promise<void>, options: EngineOptions = {},
): Promise<void> {
  const seeding = await startSeedingEngine(bed, fixture, options);
  try {
    const leechDir = await makeTempDir('client-leech');
    await leech(leechDir);
    expect(await sha256File(join(leechDir, basename(fixture.dataPath)))).toBe(fixture.sha256);
    expect(seeding.uploadedBytes()).toBeGreaterThanOrEqual(fixture.torrent.totalLength);
  } finally {
    await seeding.close();
  }
}
