import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import type { Metainfo } from '../../../shared/metainfo/index.ts';
import { fileBlob } from '../../../web/worker/file-export.ts';
import { IdbPieceStore } from '../../../web/worker/idb-piece-store.ts';
import { PIECE_LENGTH, layout, torrentData } from './sample-layout.ts';

/** A Blob whose bytes may not be read through JavaScript: fileBlob must only slice it. */
class UnreadableBlob extends Blob {
  override arrayBuffer(): Promise<ArrayBuffer> {
    throw new Error('fileBlob read a piece into memory');
  }
  override text(): Promise<string> {
    throw new Error('fileBlob read a piece into memory');
  }
  override stream(): ReadableStream<Uint8Array<ArrayBuffer>> {
    throw new Error('fileBlob read a piece into memory');
  }
}

function pieceOf(data: Uint8Array, index: number): Uint8Array<ArrayBuffer> {
  return data.slice(index * PIECE_LENGTH, Math.min(data.length, (index + 1) * PIECE_LENGTH));
}

/** A source holding every piece except `missing`, as unreadable Blobs. */
function source(meta: Metainfo, missing: number[] = []) {
  const data = torrentData(meta.totalLength);
  const lookups: number[] = [];
  return {
    data,
    lookups,
    async getPieceBlob(infoHashHex: string, index: number): Promise<Blob | undefined> {
      expect(infoHashHex).toBe(meta.infoHashHex);
      lookups.push(index);
      return missing.includes(index) ? undefined : new UnreadableBlob([pieceOf(data, index)]);
    },
  };
}

async function bytesOf(blob: Blob): Promise<Uint8Array> {
  return new Uint8Array(await new Response(blob).arrayBuffer());
}

describe('fileBlob', () => {
  it('composes each file from slices of its pieces, byte-exactly', async () => {
    const meta = layout();
    const store = source(meta);
    for (const file of meta.files) {
      const blob = await fileBlob(meta, store, file.index);
      expect(blob.size).toBe(file.length);
      expect(blob.type).toBe('application/octet-stream');
      expect(await bytesOf(blob)).toEqual(store.data.slice(file.offset, file.offset + file.length));
    }
  });

  it('looks up only the pieces the file overlaps', async () => {
    const meta = layout();
    const store = source(meta);
    await fileBlob(meta, store, 1);
    expect(store.lookups).toEqual([0, 1, 2]);
    store.lookups.length = 0;
    await fileBlob(meta, store, 3);
    expect(store.lookups).toEqual([2, 3]);
  });

  it('makes an empty Blob for an empty file without looking up pieces', async () => {
    const meta = layout();
    const store = source(meta);
    const blob = await fileBlob(meta, store, 2);
    expect(blob.size).toBe(0);
    expect(store.lookups).toEqual([]);
  });

  it('refuses a file with a missing piece', async () => {
    const meta = layout();
    await expect(fileBlob(meta, source(meta, [1]), 1)).rejects.toThrow('file is not complete: piece 1 is missing');
    // a.txt needs only piece 0.
    expect((await fileBlob(meta, source(meta, [1]), 0)).size).toBe(10);
  });

  it('refuses a stored piece of the wrong size and a file index out of range', async () => {
    const meta = layout();
    const short = { getPieceBlob: async () => new Blob([new Uint8Array(3)]) };
    await expect(fileBlob(meta, short, 0)).rejects.toThrow('piece 0 is stored with 3 bytes but should have 16');
    await expect(fileBlob(meta, source(meta), 4)).rejects.toThrow(RangeError);
  });

  it('exports from an IdbPieceStore (fake-indexeddb)', async () => {
    const meta = layout();
    const data = torrentData(meta.totalLength);
    const store = new IdbPieceStore({ piecesDbName: 'export-pieces', recordsDbName: 'export-records' });
    const storage = await store.openTorrent(meta.infoHashHex, meta.pieceCount);
    for (let i = 0; i < meta.pieceCount; i++) storage.putPiece(i, pieceOf(data, i));
    await storage.flush();
    const blob = await fileBlob(meta, store, 1);
    expect(await bytesOf(blob)).toEqual(data.slice(10, 40));
  });
});
