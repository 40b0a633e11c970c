// BEP 3 v1 metainfo: a .torrent file (`parseTorrent`) or a bare info dict learned from peers over
// BEP 9 (`parseInfoDict`). The info-hash is the SHA-1 of the info dict's raw bytes as they were
// received — never of a re-encoding, which would differ for torrents with unsorted keys.

import {
  bdecode,
  bdecodeDictSpans,
  BencodeError,
  describeBValue,
  isBDict,
  isBytes,
  type BDict,
  type BValue,
} from '../bencode/index.ts';
import { sha1 } from '../crypto/sha1.ts';
import { toHex } from '../hex.ts';
import { resolveDuplicatePaths } from './duplicates.ts';
import { MetainfoError } from './errors.ts';
import { extractFiles, preferUtf8 } from './files.ts';
import { checkHybridFiles } from './hybrid.ts';
import { sanitizePathElement } from './sanitize-path.ts';
import { extractTrackerTiers, extractWebSeeds } from './trackers.ts';
import type { Metainfo } from './types.ts';

/** libtorrent's limit (file_storage::max_piece_size); real torrents stay far below. */
export const MAX_PIECE_LENGTH_BYTES = 2 ** 29;
/** libtorrent's default max_pieces: beyond this the hash list alone is 40 MiB. */
export const MAX_PIECE_COUNT = 2 ** 21;
const HASH_BYTES = 20;
const V2_MIN_PIECE_LENGTH_BYTES = 16 * 1024;
const utf8 = new TextDecoder();

export function parseTorrent(bytes: Uint8Array): Metainfo {
  if (bytes.length > 0 && bytes[0] !== 0x64 /* 'd' */) {
    throw new MetainfoError('not_a_dict', 'this is not a torrent file (it does not start with a dictionary)');
  }
  // Trailing bytes after the top-level dict are ignored, as libtorrent does (some files end in '\n').
  const { value: torrent, spans } = decodeOrThrow(() => bdecodeDictSpans(bytes));
  const info = torrent.get('info');
  const span = spans.get('info');
  if (!isBDict(info) || span === undefined) {
    throw new MetainfoError('missing_info', `the torrent's info section is ${describeBValue(info)}, not a dictionary`);
  }
  const meta = parseInfo(info, bytes.slice(span[0], span[1]));
  meta.announce = extractTrackerTiers(torrent);
  meta.urlList = extractWebSeeds(torrent, meta.files.length);
  const comment = preferUtf8(torrent, 'comment', isBytes);
  if (isBytes(comment)) meta.comment = utf8.decode(comment);
  const createdBy = torrent.get('created by');
  if (isBytes(createdBy)) meta.createdBy = utf8.decode(createdBy);
  const creationDate = torrent.get('creation date');
  if (typeof creationDate === 'number') meta.creationDate = creationDate;
  return meta;
}

/** The info dict alone, exactly as received (BEP 9 metadata): no trackers or web seeds. */
export function parseInfoDict(infoBytes: Uint8Array): Metainfo {
  const info = decodeOrThrow(() => bdecode(infoBytes));
  if (!isBDict(info)) throw new MetainfoError('missing_info', 'the metadata is not a dictionary');
  return parseInfo(info, infoBytes.slice());
}

function decodeOrThrow<T>(decode: () => T): T {
  try {
    return decode();
  } catch (error) {
    if (!(error instanceof BencodeError)) throw error;
    throw new MetainfoError('invalid_bencoding', `the torrent file is damaged: ${error.message}`, { cause: error });
  }
}

function parseInfo(info: BDict, infoBytes: Uint8Array): Metainfo {
  const infoHash = sha1(infoBytes);
  const infoHashHex = toHex(infoHash);
  const isHybrid = checkVersion(info);
  const pieceLength = readPieceLength(info.get('piece length'), isHybrid);
  const rawName = preferUtf8(info, 'name', isBytes);
  if (!isBytes(rawName)) throw new MetainfoError('missing_name', 'the torrent has no name');
  const name = sanitizeName(rawName, infoHashHex);
  const files = extractFiles(info, name, rawName);
  if (files.length === 0) throw new MetainfoError('no_files', 'the torrent lists no files');
  const last = files[files.length - 1]!;
  const totalLength = last.offset + last.length;
  if (totalLength / pieceLength > MAX_PIECE_COUNT) {
    throw new MetainfoError('too_many_pieces', `the torrent has more than ${MAX_PIECE_COUNT} pieces`);
  }
  const pieceCount = Math.ceil(totalLength / pieceLength);
  const pieceHashes = readPieceHashes(info.get('pieces'), pieceCount);
  if (totalLength === 0) throw new MetainfoError('invalid_length', 'the torrent holds no data (all files are empty)');
  if (isHybrid) checkHybridFiles(info, name, files, !info.has('files'));
  resolveDuplicatePaths(files);
  return {
    infoHash,
    infoHashHex,
    infoBytes,
    name,
    pieceLength,
    pieceCount,
    pieceHashes,
    totalLength,
    files,
    announce: [],
    urlList: [],
    private: isPrivate(info.get('private')),
  };
}

/** BEP 27: `private` is 1; like libtorrent, any non-zero integer counts. */
function isPrivate(value: BValue | undefined): boolean {
  return typeof value === 'number' && value !== 0;
}

/**
 * BEP 52 adds `meta version` 2. A v2-only torrent is refused; a hybrid (v2 plus v1 `pieces`)
 * loads as v1. Returns whether the torrent is a hybrid.
 */
function checkVersion(info: BDict): boolean {
  const version = info.get('meta version');
  if (typeof version !== 'number' || version < 2) return false;
  if (version > 2) throw new MetainfoError('unknown_version', `unknown torrent format version ${version}`);
  if (!info.has('pieces')) throw new MetainfoError('unsupported_v2', 'BitTorrent v2 is not supported yet');
  return true;
}

function readPieceLength(value: BValue | undefined, isHybrid: boolean): number {
  // BEP 3 only says "almost always a power of two": v1 torrents with other lengths load.
  if (typeof value !== 'number' || value <= 0 || value > MAX_PIECE_LENGTH_BYTES) {
    const shown = typeof value === 'number' ? String(value) : describeBValue(value);
    throw new MetainfoError('missing_piece_length', `the piece length (${shown}) is not a positive integer of at most ${MAX_PIECE_LENGTH_BYTES} bytes`);
  }
  // BEP 52: "It must be a power of two and at least 16KiB."
  if (isHybrid && (value < V2_MIN_PIECE_LENGTH_BYTES || (value & (value - 1)) !== 0)) {
    throw new MetainfoError('missing_piece_length', `the piece length (${value}) of a v2 torrent must be a power of two of at least 16 KiB`);
  }
  return value;
}

function readPieceHashes(value: BValue | undefined, pieceCount: number): Uint8Array {
  if (!isBytes(value)) throw new MetainfoError('missing_pieces', `the piece hashes are ${describeBValue(value)}`);
  if (value.length !== pieceCount * HASH_BYTES) {
    throw new MetainfoError('invalid_hashes', `the torrent has ${value.length} bytes of piece hashes; its ${pieceCount} pieces need ${pieceCount * HASH_BYTES}`);
  }
  return value.slice();
}

/** The torrent's folder (or single file) name; an unusable one ("..", "/") becomes the info-hash. */
function sanitizeName(rawName: Uint8Array, infoHashHex: string): string {
  return sanitizePathElement(rawName, false) ?? infoHashHex;
}
