// A small multi-file torrent whose files start and end inside pieces, for tests that read files
// out of pieces (export, streaming).
import type { Metainfo, TorrentFile } from '../../../shared/metainfo/index.ts';

export const PIECE_LENGTH = 16;

/** The torrent's data: byte i is i * 7 + 1 (mod 256), so every position is distinguishable. */
export function torrentData(totalLength: number): Uint8Array<ArrayBuffer> {
  return Uint8Array.from({ length: totalLength }, (_, i) => (i * 7 + 1) & 0xff);
}

// Pieces of 16 bytes:  0..16 | 16..32 | 32..48 | 48..53
// a.txt   0..10   inside piece 0
// b.bin  10..40   pieces 0 (partial), 1 (whole), 2 (partial)
// empty  40..40
// c.bin  40..53   piece 2 (partial) and the short last piece 3
export function layout(): Metainfo {
  const sizes: [string, number][] = [
    ['a.txt', 10],
    ['b.bin', 30],
    ['empty', 0],
    ['c.bin', 13],
  ];
  let offset = 0;
  const files: TorrentFile[] = sizes.map(([name, length], index) => {
    const file = { index, path: `t/${name}`, pathSegments: ['t', name], length, offset, padding: false };
    offset += length;
    return file;
  });
  const totalLength = offset;
  const pieceCount = Math.ceil(totalLength / PIECE_LENGTH);
  return {
    infoHash: new Uint8Array(20).fill(0xab),
    infoHashHex: 'ab'.repeat(20),
    infoBytes: new Uint8Array(),
    name: 't',
    pieceLength: PIECE_LENGTH,
    pieceCount,
    pieceHashes: new Uint8Array(20 * pieceCount),
    totalLength,
    files,
    announce: [],
    urlList: [],
    private: false,
  };
}
