// wantedPieces and fileProgressBytes over a multi-file layout with shared pieces.
import { describe, expect, it } from 'vitest';
import { Bitfield } from '../../../../shared/bitfield.ts';
import type { Metainfo, TorrentFile } from '../../../../shared/metainfo/index.ts';
import { fileProgressBytes, piecePriorities, wantedPieces } from '../../../../web/worker/torrent/file-selection.ts';

// Pieces of 16 bytes:  0..16 | 16..32 | 32..48 | 48..64 | 64..69
// 0 a.txt     0..10   piece 0
// 1 b.bin    10..40   pieces 0 (shared with a), 1, 2 (shared with c)
// 2 empty    40..40
// 3 c.bin    40..48   piece 2 (shared with b)
// 4 pad      48..64   piece 3 (BEP 47 padding: never wanted)
// 5 d.bin    64..69   piece 4 (short)
function layout(): Metainfo {
  const specs: [string, number, boolean][] = [
    ['a.txt', 10, false], ['b.bin', 30, false], ['empty', 0, false], ['c.bin', 8, false], ['.pad/16', 16, true], ['d.bin', 5, false],
  ];
  let offset = 0;
  const files: TorrentFile[] = specs.map(([name, length, padding], index) => {
    const file = { index, path: `t/${name}`, pathSegments: ['t', name], length, offset, padding };
    offset += length;
    return file;
  });
  return {
    infoHash: new Uint8Array(20), infoHashHex: '00'.repeat(20), infoBytes: new Uint8Array(), name: 't',
    pieceLength: 16, pieceCount: 5, pieceHashes: new Uint8Array(100), totalLength: offset, files,
    announce: [], urlList: [], private: false,
  };
}

const all = [true, true, true, true, true, true];
const except = (...skipped: number[]) => all.map((_, i) => !skipped.includes(i));

describe('wantedPieces', () => {
  it('wants every piece of a selected file, and none only for padding', () => {
    expect(wantedPieces(layout(), all).toString()).toBe('11101');
  });

  it('keeps a piece a skipped file shares with a selected one', () => {
    // b skipped: piece 0 (a) and 2 (c) are still needed, piece 1 (b only) is not.
    expect(wantedPieces(layout(), except(1)).toString()).toBe('10101');
    // a and c skipped: b still needs pieces 0 and 2.
    expect(wantedPieces(layout(), except(0, 3)).toString()).toBe('11101');
    // everything but d skipped
    expect(wantedPieces(layout(), except(0, 1, 2, 3, 4)).toString()).toBe('00001');
  });

  it('treats a missing selection entry as selected', () => {
    expect(wantedPieces(layout(), []).toString()).toBe('11101');
  });
});

describe('fileProgressBytes', () => {
  it('counts the verified bytes of each file, clipped to the file', () => {
    const meta = layout();
    const have = new Bitfield(5);
    expect(fileProgressBytes(meta, have)).toEqual([0, 0, 0, 0, 0, 0]);
    have.set(0);
    expect(fileProgressBytes(meta, have)).toEqual([10, 6, 0, 0, 0, 0]);
    have.set(2);
    expect(fileProgressBytes(meta, have)).toEqual([10, 14, 0, 8, 0, 0]);
    have.setAll();
    expect(fileProgressBytes(meta, have)).toEqual([10, 30, 0, 8, 16, 5]);
  });
});

describe('piecePriorities', () => {
  const MiB = 1024 * 1024;
  /** Two files on 1 MiB pieces: movie.webm (10 MiB, pieces 0–9), extra.bin (3.5 MiB, pieces 10–13). */
  function twoFiles(): Metainfo {
    const files: TorrentFile[] = [
      { index: 0, path: 't/movie.webm', pathSegments: ['t', 'movie.webm'], length: 10 * MiB, offset: 0, padding: false },
      { index: 1, path: 't/extra.bin', pathSegments: ['t', 'extra.bin'], length: 3.5 * MiB, offset: 10 * MiB, padding: false },
    ];
    return {
      infoHash: new Uint8Array(20), infoHashHex: '00'.repeat(20), infoBytes: new Uint8Array(), name: 't',
      pieceLength: MiB, pieceCount: 14, pieceHashes: new Uint8Array(280), totalLength: 13.5 * MiB, files,
      announce: [], urlList: [], private: false,
    };
  }

  it("puts each file's first 2 MiB and last piece one step ahead of the rest of it", () => {
    expect([...piecePriorities(twoFiles(), ['normal', 'low'])]).toEqual([5, 5, 4, 4, 4, 4, 4, 4, 4, 5, 3, 3, 2, 3]);
    expect([...piecePriorities(twoFiles(), ['high', 'normal'])]).toEqual([7, 7, 6, 6, 6, 6, 6, 6, 6, 7, 5, 5, 4, 5]);
  });

  it('leaves a skipped file skipped, head and tail included', () => {
    expect([...piecePriorities(twoFiles(), ['skip', 'normal'])]).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 5, 5, 4, 5]);
  });
});
