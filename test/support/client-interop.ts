// What the interop tests against full clients (test/interop/clients/) share: a small torrent made
// from fresh data, and an engine that seeds it from the start (its store filled from that data, so
// the client downloading from us can only get it from us).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { makeTempDir } from '../helpers/temp.ts';
import { sha256File, writeDataFiles, type DataFileSpec } from '../helpers/data-files.ts';
import { makeTorrent, type MadeTorrent } from '../helpers/make-torrent.ts';
import { MemoryPieceStore } from '../../web/worker/memory-piece-store.ts';
import { parseTorrent, storedFileHashes, type EngineHarness } from './engine-harness.ts';

/** 32 KiB pieces: a few MiB make a hundred pieces, so picking and pipelining matter. */
export const CLIENT_PIECE_EXP = 15;

export interface ClientFixture {
  torrent: MadeTorrent;
  /** The directory holding the torrent's content (a seeder's save path). */
  dataDir: string;
  /** Path inside the torrent → SHA-256 of the original. */
  originals: Map<string, string>;
}

export const singleFile = (name: string, size: number): DataFileSpec[] => [{ path: `${name}.bin`, size }];
/** An empty file and one spanning pieces among others; ~2 MB, or ~1 MB when `small`. */
export const multiFile = (name: string, small = false): DataFileSpec[] => [
  { path: `${name}/a.bin`, size: small ? 300_001 : 700_001 },
  { path: `${name}/empty.txt`, size: 0 },
  { path: `${name}/sub/spans-pieces.bin`, size: 3 * 32768 + 5000 },
  { path: `${name}/z.bin`, size: small ? 600_003 : 1_200_003 },
];

export async function makeClientFixture(name: string, files: DataFileSpec[], trackers: readonly string[]): Promise<ClientFixture> {
  const dataDir = await makeTempDir(`seed-${name}`);
  await writeDataFiles(dataDir, files, name);
  const single = files.length === 1 && !files[0]!.path.includes('/');
  const torrent = await makeTorrent({
    sourcePath: join(dataDir, single ? files[0]!.path : name), outFile: join(await makeTempDir('torrent'), `${name}.torrent`),
    pieceLengthExp: CLIENT_PIECE_EXP, trackers,
  });
  const originals = new Map<string, string>();
  for (const file of files) originals.set(file.path, await sha256File(join(dataDir, file.path)));
  return { torrent, dataDir, originals };
}

/** A store that already holds every piece of the fixture (small torrents only: all in memory). */
export async function storeWithAllPieces(fixture: ClientFixture): Promise<MemoryPieceStore> {
  const meta = parseTorrent(fixture.torrent.bytes);
  const parts: Buffer[] = [];
  for (const file of meta.files) parts.push(file.padding ? Buffer.alloc(file.length) : await readFile(join(fixture.dataDir, file.path)));
  const all = Buffer.concat(parts);
  const store = new MemoryPieceStore();
  for (let index = 0; index < meta.pieceCount; index++) {
    const start = index * meta.pieceLength;
    store.putPiece(meta.infoHashHex, index, new Uint8Array(all.subarray(start, Math.min(start + meta.pieceLength, all.length))));
  }
  return store;
}

/** The engine's files (by path inside the torrent) as SHA-256, to compare with fixture.originals. */
export async function engineFileHashes(harness: EngineHarness, fixture: ClientFixture): Promise<Map<string, string>> {
  return storedFileHashes(parseTorrent(fixture.torrent.bytes), harness.store);
}
