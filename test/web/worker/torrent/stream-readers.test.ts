import { describe, expect, it } from 'vitest';
import { Bitfield } from '../../../../shared/bitfield.ts';
import { StreamReadError, StreamReaders, type StreamSource } from '../../../../web/worker/torrent/stream-readers.ts';
import { PIECE_LENGTH, layout, torrentData } from '../sample-layout.ts';

// Pieces of 16 bytes:  0..16 | 16..32 | 32..48 | 48..53
// a.txt 0..10 · b.bin 10..40 · empty 40..40 · c.bin 40..53

/** A torrent with `had` pieces; others arrive when `arrive` is called. Records deadlines and wanted files. */
function fakeTorrent(had: number[]) {
  const meta = layout();
  const data = torrentData(meta.totalLength);
  const have = new Bitfield(meta.pieceCount);
  for (const index of had) have.set(index);
  const deadlines = new Map<string, number[]>();
  const jumps: boolean[] = [];
  const wanted: number[] = [];
  const source: StreamSource = {
    meta, have,
    getPiece: async (index) => (have.get(index) ? data.slice(index * PIECE_LENGTH, (index + 1) * PIECE_LENGTH) : undefined),
    setDeadlines: (readerId, pieces, jumped) => {
      if (pieces.length === 0) deadlines.delete(readerId);
      else { deadlines.set(readerId, pieces); jumps.push(jumped); }
    },
    wantFile: (fileIndex) => wanted.push(fileIndex),
  };
  const readers = new StreamReaders(source);
  const arrive = (index: number) => { have.set(index); readers.pieceVerified(index); };
  return { meta, data, readers, deadlines, jumps, wanted, arrive };
}

/** Reads [start, end) of a file the way the service worker does: one answer per piece at most. */
async function readAll(readers: StreamReaders, fileIndex: number, start: number, end: number): Promise<{ bytes: number[]; answers: number }> {
  const bytes: number[] = [];
  let answers = 0;
  for (let at = start; at < end; answers++) {
    const chunk = await readers.read('r', fileIndex, at, end);
    bytes.push(...chunk);
    at += chunk.length;
  }
  return { bytes, answers };
}

describe('StreamReaders', () => {
  const all = [0, 1, 2, 3];

  it('reads any range of a file, across piece boundaries, one piece per answer at most', async () => {
    const { readers, data, meta } = fakeTorrent(all);
    const b = meta.files[1]!; // 10..40: pieces 0, 1, 2
    for (const [start, end] of [[0, 30], [5, 7], [6, 22], [0, 1], [29, 30], [22, 23]] as const) {
      const { bytes, answers } = await readAll(readers, 1, start, end);
      expect(bytes).toEqual([...data.subarray(b.offset + start, b.offset + end)]);
      const firstPiece = Math.floor((b.offset + start) / PIECE_LENGTH);
      const lastPiece = Math.floor((b.offset + end - 1) / PIECE_LENGTH);
      expect(answers).toBe(lastPiece - firstPiece + 1);
    }
  });

  it('reads the first and last files, the short last piece and its last byte', async () => {
    const { readers, data, meta } = fakeTorrent(all);
    expect((await readAll(readers, 0, 0, 10)).bytes).toEqual([...data.subarray(0, 10)]);
    const c = meta.files[3]!; // 40..53: pieces 2 and 3 (5 bytes)
    expect((await readAll(readers, 3, 0, 13)).bytes).toEqual([...data.subarray(40, 53)]);
    expect((await readAll(readers, 3, 12, 13)).bytes).toEqual([data[c.offset + 12]]);
  });

  it('refuses empty ranges, ranges past the end, empty and unknown files', async () => {
    const { readers } = fakeTorrent(all);
    for (const [file, start, end] of [[1, 5, 5], [1, 0, 31], [1, 30, 31], [1, -1, 3], [2, 0, 1], [9, 0, 1]] as const) {
      await expect(readers.read('r', file, start, end)).rejects.toBeInstanceOf(StreamReadError);
    }
  });

  it('waits for a missing piece and answers once it is verified', async () => {
    const { readers, data, arrive } = fakeTorrent([0, 2, 3]);
    let answered: Uint8Array | undefined;
    const reading = readers.read('r', 1, 6, 30).then((bytes) => { answered = bytes; }); // offset 16: piece 1
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(answered).toBeUndefined();
    arrive(1);
    await reading;
    expect([...answered!]).toEqual([...data.subarray(16, 32)]);
  });

  it('gives the reader deadlines from its position on (pieces it lacks), moved by a seek and dropped on close', async () => {
    const { readers, deadlines, arrive } = fakeTorrent([0]);
    const first = readers.read('r', 1, 0, 30); // piece 0, had: answers at once
    await first;
    // The window is at least the default bytes: every piece from the position to the file's end.
    expect(deadlines.get('r')).toEqual([1, 2]);
    const seek = readers.read('r', 1, 25, 30); // offset 35: piece 2
    expect(deadlines.get('r')).toEqual([2]);
    arrive(2);
    await seek;
    readers.closeReader('r');
    expect(deadlines.has('r')).toBe(false);
  });

  it('says a reader jumped when it is new or moves back or past its window, not while it reads on', async () => {
    const { readers, jumps } = fakeTorrent([]);
    const reads = [
      readers.read('r', 1, 20, 30), // offset 30: piece 1, a new reader
      readers.read('r', 1, 22, 30), // on, inside its window
      readers.read('r', 1, 0, 30), // back to piece 0
      readers.read('other', 1, 0, 30), // another reader
    ];
    expect(jumps).toEqual([true, false, true, true]);
    readers.close();
    await Promise.allSettled(reads);
  });

  it('keeps the deadline of a waiting read when the same reader reads further on', async () => {
    const { readers, deadlines, arrive } = fakeTorrent([0]);
    const first = readers.read('r', 1, 6, 30); // offset 16: piece 1
    const second = readers.read('r', 1, 22, 30); // offset 32: piece 2, sent before the first is answered
    expect(deadlines.get('r')).toEqual([1, 2]);
    arrive(1);
    await first;
    expect(deadlines.get('r')).toEqual([1, 2]); // unchanged until the reader reads again
    arrive(2);
    await second;
  });

  it('makes a skipped file wanted when it is read', async () => {
    const { readers, wanted } = fakeTorrent(all);
    await readers.read('r', 3, 0, 1);
    expect(wanted).toEqual([3]);
  });

  it('fails waiting reads when the torrent is removed', async () => {
    const { readers } = fakeTorrent([]);
    const reading = readers.read('r', 0, 0, 10);
    readers.close();
    await expect(reading).rejects.toMatchObject({ code: 'closed' });
  });
});
