// Peer wire messages (BEP 3, 5, 6, 10) as a discriminated union, with their encoder and the
// payload decoder the framer uses. On the wire: length u32 | id u8 | payload (length 0 = keep-alive).

import { readU16BE, readU32BE, writeU16BE, writeU32BE } from '../bytes.ts';
import { LENGTH_PREFIX_BYTES, MAX_REQUEST_BYTES, MessageId } from './constants.ts';
import { PeerWireError } from './errors.ts';

/** A block of a piece, in bytes: `offset` from the piece's start, `length` long. */
export interface BlockRef {
  readonly piece: number;
  readonly offset: number;
  readonly length: number;
}

export type PeerMessage =
  | { readonly type: 'keep-alive' }
  // BEP 3 — the peer protocol
  | { readonly type: 'choke' }
  | { readonly type: 'unchoke' }
  | { readonly type: 'interested' }
  | { readonly type: 'not-interested' }
  | { readonly type: 'have'; readonly piece: number }
  /** Raw bitfield bytes; parse with Bitfield.fromBytes once the piece count is known. */
  | { readonly type: 'bitfield'; readonly bytes: Uint8Array }
  | ({ readonly type: 'request' } & BlockRef)
  | { readonly type: 'piece'; readonly piece: number; readonly offset: number; readonly block: Uint8Array }
  | ({ readonly type: 'cancel' } & BlockRef)
  // BEP 5 — DHT
  | { readonly type: 'port'; readonly port: number }
  // BEP 6 — fast extension
  | { readonly type: 'suggest'; readonly piece: number }
  | { readonly type: 'have-all' }
  | { readonly type: 'have-none' }
  | ({ readonly type: 'reject' } & BlockRef)
  | { readonly type: 'allowed-fast'; readonly piece: number }
  // BEP 10 — extension protocol (extendedId 0 is the extension handshake)
  | { readonly type: 'extended'; readonly extendedId: number; readonly payload: Uint8Array }
  /** An id we do not know; BEP 3 says ignore it. */
  | { readonly type: 'unknown'; readonly id: number; readonly payload: Uint8Array };

export type PeerMessageType = PeerMessage['type'];

const PIECE_HEADER_BYTES = LENGTH_PREFIX_BYTES + 1 + 8;

/** Encodes one message with its length prefix, in a single allocation. */
export function encodeMessage(message: PeerMessage): Uint8Array<ArrayBuffer> {
  switch (message.type) {
    case 'keep-alive':
      return new Uint8Array(LENGTH_PREFIX_BYTES);
    case 'choke':
      return idOnly(MessageId.CHOKE);
    case 'unchoke':
      return idOnly(MessageId.UNCHOKE);
    case 'interested':
      return idOnly(MessageId.INTERESTED);
    case 'not-interested':
      return idOnly(MessageId.NOT_INTERESTED);
    case 'have':
      return withU32s(MessageId.HAVE, [message.piece]);
    case 'bitfield':
      return withBytes(MessageId.BITFIELD, message.bytes);
    case 'request':
      return withU32s(MessageId.REQUEST, [message.piece, message.offset, message.length]);
    case 'piece': {
      const out = new Uint8Array(PIECE_HEADER_BYTES + message.block.length);
      out.set(encodePieceHeader(message.piece, message.offset, message.block.length));
      out.set(message.block, PIECE_HEADER_BYTES);
      return out;
    }
    case 'cancel':
      return withU32s(MessageId.CANCEL, [message.piece, message.offset, message.length]);
    case 'port': {
      checkU16('port', message.port);
      const out = header(MessageId.PORT, 2);
      writeU16BE(out, 5, message.port);
      return out;
    }
    case 'suggest':
      return withU32s(MessageId.SUGGEST, [message.piece]);
    case 'have-all':
      return idOnly(MessageId.HAVE_ALL);
    case 'have-none':
      return idOnly(MessageId.HAVE_NONE);
    case 'reject':
      return withU32s(MessageId.REJECT, [message.piece, message.offset, message.length]);
    case 'allowed-fast':
      return withU32s(MessageId.ALLOWED_FAST, [message.piece]);
    case 'extended': {
      checkU8('extended id', message.extendedId);
      const out = header(MessageId.EXTENDED, 1 + message.payload.length);
      out[5] = message.extendedId;
      out.set(message.payload, 6);
      return out;
    }
    case 'unknown': {
      checkU8('message id', message.id);
      return withBytes(message.id, message.payload);
    }
  }
}

/**
 * The 13 bytes before a PIECE message's block (length, id, index, begin), so a sender can write
 * header and block separately instead of copying the block into one buffer.
 */
export function encodePieceHeader(piece: number, offset: number, blockLength: number): Uint8Array<ArrayBuffer> {
  checkU32('piece', piece);
  checkU32('offset', offset);
  // Only the 13 header bytes: the block follows as a buffer of its own (no block-sized allocation).
  const out = new Uint8Array(PIECE_HEADER_BYTES);
  writeU32BE(out, 0, 9 + blockLength);
  out[4] = MessageId.PIECE;
  writeU32BE(out, 5, piece);
  writeU32BE(out, 9, offset);
  return out;
}

/**
 * Decodes one message body (`body[0]` is the id, the rest its payload; the length prefix already
 * removed). Byte fields of the result are views into `body`. Throws PeerWireError when the
 * payload size does not fit the id, or a request asks for 0 or more than MAX_REQUEST_BYTES bytes.
 */
export function decodeMessageBody(body: Uint8Array): PeerMessage {
  if (body.length === 0) return { type: 'keep-alive' };
  const id = body[0]!;
  switch (id) {
    case MessageId.CHOKE:
      return expectSize(body, 1, { type: 'choke' });
    case MessageId.UNCHOKE:
      return expectSize(body, 1, { type: 'unchoke' });
    case MessageId.INTERESTED:
      return expectSize(body, 1, { type: 'interested' });
    case MessageId.NOT_INTERESTED:
      return expectSize(body, 1, { type: 'not-interested' });
    case MessageId.HAVE:
      return expectSize(body, 5, { type: 'have', piece: readU32BE(body, 1) });
    case MessageId.BITFIELD:
      return { type: 'bitfield', bytes: body.subarray(1) };
    case MessageId.REQUEST:
      return { type: 'request', ...decodeBlockRef(body) };
    case MessageId.PIECE:
      if (body.length < 9) throw badSize(body, 'at least 9');
      return { type: 'piece', piece: readU32BE(body, 1), offset: readU32BE(body, 5), block: body.subarray(9) };
    case MessageId.CANCEL:
      return { type: 'cancel', ...decodeBlockRef(body) };
    case MessageId.PORT:
      return expectSize(body, 3, { type: 'port', port: body.length === 3 ? readU16BE(body, 1) : 0 });
    case MessageId.SUGGEST:
      return expectSize(body, 5, { type: 'suggest', piece: readU32BE(body, 1) });
    case MessageId.HAVE_ALL:
      return expectSize(body, 1, { type: 'have-all' });
    case MessageId.HAVE_NONE:
      return expectSize(body, 1, { type: 'have-none' });
    case MessageId.REJECT:
      return { type: 'reject', ...decodeBlockRef(body) };
    case MessageId.ALLOWED_FAST:
      return expectSize(body, 5, { type: 'allowed-fast', piece: readU32BE(body, 1) });
    case MessageId.EXTENDED:
      if (body.length < 2) throw badSize(body, 'at least 2');
      return { type: 'extended', extendedId: body[1]!, payload: body.subarray(2) };
    default:
      return { type: 'unknown', id, payload: body.subarray(1) };
  }
}

function decodeBlockRef(body: Uint8Array): BlockRef {
  if (body.length !== 13) throw badSize(body, '13');
  const length = readU32BE(body, 9);
  if (length === 0 || length > MAX_REQUEST_BYTES) {
    throw new PeerWireError('bad-request-length', `message ${body[0]} asks for ${length} bytes (1..${MAX_REQUEST_BYTES})`);
  }
  return { piece: readU32BE(body, 1), offset: readU32BE(body, 5), length };
}

function expectSize<T extends PeerMessage>(body: Uint8Array, expected: number, message: T): T {
  if (body.length !== expected) throw badSize(body, String(expected));
  return message;
}

function badSize(body: Uint8Array, expected: string): PeerWireError {
  return new PeerWireError(
    'bad-payload-length',
    `message ${body[0]} has ${body.length} bytes with its id, expected ${expected}`,
  );
}

/** A buffer of 4 + 1 + payloadBytes with the length prefix and id written. */
function header(id: number, payloadBytes: number): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(LENGTH_PREFIX_BYTES + 1 + payloadBytes);
  writeU32BE(out, 0, 1 + payloadBytes);
  out[4] = id;
  return out;
}

function idOnly(id: number): Uint8Array<ArrayBuffer> {
  return header(id, 0);
}

function withU32s(id: number, values: readonly number[]): Uint8Array<ArrayBuffer> {
  const out = header(id, values.length * 4);
  values.forEach((value, i) => {
    checkU32('field', value);
    writeU32BE(out, 5 + i * 4, value);
  });
  return out;
}

function withBytes(id: number, payload: Uint8Array): Uint8Array<ArrayBuffer> {
  const out = header(id, payload.length);
  out.set(payload, 5);
  return out;
}

function checkU32(what: string, value: number): void {
  if (!(Number.isInteger(value) && value >= 0 && value <= 0xffffffff)) {
    throw new PeerWireError('invalid-message', `${what} ${value} is not a u32`);
  }
}

function checkU16(what: string, value: number): void {
  if (!(Number.isInteger(value) && value >= 0 && value <= 0xffff)) {
    throw new PeerWireError('invalid-message', `${what} ${value} is not a u16`);
  }
}

function checkU8(what: string, value: number): void {
  if (!(Number.isInteger(value) && value >= 0 && value <= 0xff)) {
    throw new PeerWireError('invalid-message', `${what} ${value} is not a u8`);
  }
}
