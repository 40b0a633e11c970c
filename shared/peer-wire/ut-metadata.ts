// BEP 9 — extension for peers to send metadata files (ut_metadata), carried in BEP 10 extended
// messages. A message is a bencoded dict, followed (for `data`) by up to 16 KiB of the info dict.
import { bdecodeDictSpans, bencode, BencodeError, describeBValue, type BdecodeDictSpansResult } from '../bencode/index.ts';
import { concatBytes } from '../bytes.ts';
import { PeerWireError } from './errors.ts';

export const UT_METADATA = 'ut_metadata';
export const METADATA_PIECE_BYTES = 16 * 1024;
/** Info dicts larger than this are refused (libtorrent's default limit is 30 MiB; 16 is plenty). */
export const MAX_METADATA_BYTES = 16 * 1024 * 1024;

export const MetadataMessageType = {
  REQUEST: 0,
  DATA: 1,
  REJECT: 2,
} as const;

export type MetadataMessage =
  | { type: 'request'; piece: number }
  | { type: 'data'; piece: number; totalSize: number; data: Uint8Array }
  | { type: 'reject'; piece: number };

export function encodeMetadataMessage(message: MetadataMessage): Uint8Array {
  switch (message.type) {
    case 'request':
      return bencode(new Map([['msg_type', MetadataMessageType.REQUEST], ['piece', message.piece]]));
    case 'reject':
      return bencode(new Map([['msg_type', MetadataMessageType.REJECT], ['piece', message.piece]]));
    case 'data': {
      const head = bencode(new Map([['msg_type', MetadataMessageType.DATA], ['piece', message.piece], ['total_size', message.totalSize]]));
      return concatBytes([head, message.data]);
    }
  }
}

/**
 * Decodes one ut_metadata payload. Anything malformed (not a dictionary, a field of the wrong
 * type, an unknown msg_type) is a PeerWireError like any bad message, with its byte offset.
 */
export function decodeMetadataMessage(payload: Uint8Array): MetadataMessage {
  let decoded: BdecodeDictSpansResult;
  try {
    decoded = bdecodeDictSpans(payload, { maxDepth: 4 });
  } catch (error) {
    const offset = error instanceof BencodeError ? error.offset : 0;
    throw new PeerWireError('invalid-message', `bad ut_metadata message: ${(error as Error).message}`, offset);
  }
  const type = intField(decoded, 'msg_type');
  const piece = intField(decoded, 'piece');
  if (type === undefined || piece === undefined || piece < 0) throw new PeerWireError('invalid-message', 'ut_metadata message without msg_type or piece', 0);
  switch (type) {
    case MetadataMessageType.REQUEST: return { type: 'request', piece };
    case MetadataMessageType.REJECT: return { type: 'reject', piece };
    case MetadataMessageType.DATA: {
      const totalSize = intField(decoded, 'total_size');
      if (totalSize === undefined || totalSize <= 0 || totalSize > MAX_METADATA_BYTES) {
        throw new PeerWireError('invalid-message', `ut_metadata total_size ${totalSize} out of range`, fieldOffset(decoded, 'total_size'));
      }
      const data = payload.subarray(decoded.length);
      if (data.length > METADATA_PIECE_BYTES) throw new PeerWireError('invalid-message', 'ut_metadata piece larger than 16 KiB', decoded.length);
      return { type: 'data', piece, totalSize, data };
    }
    default:
      throw new PeerWireError('invalid-message', `unknown ut_metadata msg_type ${type}`, fieldOffset(decoded, 'msg_type'));
  }
}

function intField(decoded: BdecodeDictSpansResult, key: string): number | undefined {
  const value = decoded.value.get(key);
  if (value === undefined || typeof value === 'number') return value;
  throw new PeerWireError('invalid-message', `ut_metadata "${key}" is ${describeBValue(value)}, not an integer`, fieldOffset(decoded, key));
}

function fieldOffset(decoded: BdecodeDictSpansResult, key: string): number {
  return decoded.spans.get(key)?.[0] ?? 0;
}

/** Number of 16 KiB metadata pieces for an info dict of `totalSize` bytes. */
export function metadataPieceCount(totalSize: number): number {
  return Math.ceil(totalSize / METADATA_PIECE_BYTES);
}
