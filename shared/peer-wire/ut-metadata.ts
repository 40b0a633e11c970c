// BEP 9 — extension for peers to send metadata files (ut_metadata), carried in BEP 10 extended
// messages. A message is a bencoded dict, followed (for `data`) by up to 16 KiB of the info dict.
import { bdecodePrefix, bencode, getInt, isBDict } from '../bencode/index.ts';
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

/** Decodes one ut_metadata payload; unknown msg_types are a PeerWireError like any bad message. */
export function decodeMetadataMessage(payload: Uint8Array): MetadataMessage {
  let decoded;
  try {
    decoded = bdecodePrefix(payload, { maxDepth: 4 });
  } catch (error) {
    throw new PeerWireError('invalid-message', `bad ut_metadata message: ${(error as Error).message}`);
  }
  const dict = decoded.value;
  if (!isBDict(dict)) throw new PeerWireError('invalid-message', 'ut_metadata message is not a dictionary');
  const type = getInt(dict, 'msg_type');
  const piece = getInt(dict, 'piece');
  if (type === undefined || piece === undefined || piece < 0) throw new PeerWireError('invalid-message', 'ut_metadata message without msg_type or piece');
  switch (type) {
    case MetadataMessageType.REQUEST: return { type: 'request', piece };
    case MetadataMessageType.REJECT: return { type: 'reject', piece };
    case MetadataMessageType.DATA: {
      const totalSize = getInt(dict, 'total_size');
      if (totalSize === undefined || totalSize <= 0 || totalSize > MAX_METADATA_BYTES) {
        throw new PeerWireError('invalid-message', `ut_metadata total_size ${totalSize} out of range`);
      }
      const data = payload.subarray(decoded.length);
      if (data.length > METADATA_PIECE_BYTES) throw new PeerWireError('invalid-message', 'ut_metadata piece larger than 16 KiB');
      return { type: 'data', piece, totalSize, data };
    }
    default:
      throw new PeerWireError('invalid-message', `unknown ut_metadata msg_type ${type}`);
  }
}

/** Number of 16 KiB metadata pieces for an info dict of `totalSize` bytes. */
export function metadataPieceCount(totalSize: number): number {
  return Math.ceil(totalSize / METADATA_PIECE_BYTES);
}
