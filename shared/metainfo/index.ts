// BEP 3 v1 metainfo: parsing .torrent files and BEP 9 info dicts into a safe, typed Metainfo.
export { parseTorrent, parseInfoDict, MAX_PIECE_LENGTH_BYTES, MAX_PIECE_COUNT } from './parse.ts';
export { pieceSize, pieceHash } from './pieces.ts';
export { MetainfoError } from './errors.ts';
export type { MetainfoErrorCode } from './errors.ts';
export { sanitizePathElement } from './sanitize-path.ts';
export { MAX_TOTAL_BYTES, MAX_FILE_COUNT } from './files.ts';
export type { Metainfo, TorrentFile } from './types.ts';
