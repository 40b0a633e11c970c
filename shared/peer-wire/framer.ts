// Cuts a peer's byte stream into messages, whatever the chunking. Chunks are kept in a list and
// copied only when a message spans chunks, so a message inside one chunk costs no copy at all and
// one spanning chunks costs exactly one. A PIECE block spanning chunks is not copied at all: it
// comes as its parts (views), which the caller copies once, into the piece they belong to.
//
//   const framer = new MessageFramer({ expectHandshake: true });
//   for (const item of framer.push(chunk)) ...   // item.type === 'handshake' comes first
//
// Byte fields of returned messages (PIECE blocks, BITFIELD bytes, extended payloads) may be views
// into the pushed chunks: a caller that reuses its chunk buffers must copy them before the next
// push. After a PeerWireError the framer is dead: every later push throws the same error.

import { readU32BE } from '../bytes.ts';
import { DEFAULT_MAX_MESSAGE_BYTES, HANDSHAKE_BYTES, LENGTH_PREFIX_BYTES, MessageId } from './constants.ts';
import { PeerWireError } from './errors.ts';
import { checkProtocolPrefix, decodeHandshake, type Handshake } from './handshake.ts';
import { decodeMessageBody, type PeerMessage } from './messages.ts';

export type FramedItem =
  | PeerMessage
  | { readonly type: 'handshake'; readonly handshake: Handshake }
  /** A PIECE whose block spans received chunks: the block is these views, in order. */
  | { readonly type: 'piece-parts'; readonly piece: number; readonly offset: number; readonly parts: readonly Uint8Array[] };

/** A block's bytes: one view, or the views of the chunks it spans ('piece-parts'). */
export type BlockBytes = Uint8Array | readonly Uint8Array[];

export function blockByteLength(bytes: BlockBytes): number {
  if (bytes instanceof Uint8Array) return bytes.length;
  let length = 0;
  for (const part of bytes) length += part.length;
  return length;
}

/** PIECE: the id byte, the piece index and the offset before the block. */
const PIECE_HEADER_BYTES = 9;

export interface MessageFramerOptions {
  /** Largest accepted length prefix (id + payload), in bytes. Default 1 MiB + 13. */
  maxMessageBytes?: number;
  /** Parse a 68-byte BEP 3 handshake before the first message. Default false. */
  expectHandshake?: boolean;
}

const NO_PENDING_MESSAGE = -1;

export class MessageFramer {
  readonly maxMessageBytes: number;
  private handshakePending: boolean;
  private readonly chunks: Uint8Array[] = [];
  private headOffset = 0; // bytes of chunks[0] already consumed
  private buffered = 0; // unconsumed bytes over all chunks
  private pendingBodyBytes = NO_PENDING_MESSAGE; // length prefix read, body not yet complete
  private failure: PeerWireError | undefined;

  constructor(options: MessageFramerOptions = {}) {
    this.maxMessageBytes = options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
    this.handshakePending = options.expectHandshake ?? false;
  }

  /** Bytes received but not yet returned as part of a message. */
  get bufferedBytes(): number {
    return this.buffered;
  }

  get awaitingHandshake(): boolean {
    return this.handshakePending;
  }

  /**
   * Adds received bytes; returns the items they complete, in order (often none). Throws
   * PeerWireError on invalid input; items completed earlier in the same chunk are then lost,
   * which is fine since the peer gets closed.
   */
  push(chunk: Uint8Array): FramedItem[] {
    if (this.failure) throw this.failure;
    const items: FramedItem[] = [];
    if (chunk.length === 0) return items;
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    try {
      if (this.handshakePending && !this.readHandshake(items)) return items;
      while (this.readMessage(items));
    } catch (error) {
      if (error instanceof PeerWireError) this.failure = error;
      throw error;
    }
    return items;
  }

  private readHandshake(items: FramedItem[]): boolean {
    if (this.buffered < HANDSHAKE_BYTES) {
      checkProtocolPrefix(this.peek(Math.min(this.buffered, 20))); // fail fast on a wrong protocol
      return false;
    }
    items.push({ type: 'handshake', handshake: decodeHandshake(this.take(HANDSHAKE_BYTES)) });
    this.handshakePending = false;
    return true;
  }

  private readMessage(items: FramedItem[]): boolean {
    if (this.pendingBodyBytes === NO_PENDING_MESSAGE) {
      if (this.buffered < LENGTH_PREFIX_BYTES) return false;
      const bodyBytes = readU32BE(this.take(LENGTH_PREFIX_BYTES), 0);
      if (bodyBytes > this.maxMessageBytes) {
        throw new PeerWireError(
          'message-too-long',
          `message length ${bodyBytes} exceeds the limit of ${this.maxMessageBytes} bytes`,
        );
      }
      this.pendingBodyBytes = bodyBytes;
    }
    if (this.buffered < this.pendingBodyBytes) return false;
    const bodyBytes = this.pendingBodyBytes;
    this.pendingBodyBytes = NO_PENDING_MESSAGE;
    if (bodyBytes > PIECE_HEADER_BYTES && !this.headHolds(bodyBytes) && this.peek(1)[0] === MessageId.PIECE) {
      const header = this.take(PIECE_HEADER_BYTES);
      items.push({ type: 'piece-parts', piece: readU32BE(header, 1), offset: readU32BE(header, 5), parts: this.takeViews(bodyBytes - PIECE_HEADER_BYTES) });
      return true;
    }
    items.push(decodeMessageBody(this.take(bodyBytes)));
    return true;
  }

  private headHolds(byteCount: number): boolean {
    const head = this.chunks[0];
    return head !== undefined && head.length - this.headOffset >= byteCount;
  }

  /** Consumes `byteCount` buffered bytes as views of the chunks that hold them (no copy). */
  private takeViews(byteCount: number): Uint8Array[] {
    const views: Uint8Array[] = [];
    this.buffered -= byteCount;
    while (byteCount > 0) {
      const chunk = this.chunks[0]!;
      const used = Math.min(chunk.length - this.headOffset, byteCount);
      views.push(chunk.subarray(this.headOffset, this.headOffset + used));
      byteCount -= used;
      this.headOffset += used;
      if (this.headOffset === chunk.length) {
        this.chunks.shift();
        this.headOffset = 0;
      }
    }
    return views;
  }

  /** Consumes `byteCount` buffered bytes: a view if they lie in one chunk, else one copy. */
  private take(byteCount: number): Uint8Array {
    if (byteCount === 0) return new Uint8Array(0);
    this.buffered -= byteCount;
    if (this.headHolds(byteCount)) {
      const head = this.chunks[0]!;
      const view = head.subarray(this.headOffset, this.headOffset + byteCount);
      this.headOffset += byteCount;
      if (this.headOffset === head.length) {
        this.chunks.shift();
        this.headOffset = 0;
      }
      return view;
    }
    const out = new Uint8Array(byteCount);
    let written = 0;
    let chunkIndex = 0;
    while (written < byteCount) {
      const chunk = this.chunks[chunkIndex]!;
      const available = chunk.length - this.headOffset;
      const used = Math.min(available, byteCount - written);
      out.set(chunk.subarray(this.headOffset, this.headOffset + used), written);
      written += used;
      if (used === available) {
        chunkIndex++;
        this.headOffset = 0;
      } else {
        this.headOffset += used;
      }
    }
    this.chunks.splice(0, chunkIndex);
    return out;
  }

  /** Copies the first `byteCount` buffered bytes without consuming them. */
  private peek(byteCount: number): Uint8Array {
    const out = new Uint8Array(byteCount);
    let written = 0;
    let offset = this.headOffset;
    for (const chunk of this.chunks) {
      if (written === byteCount) break;
      const used = Math.min(chunk.length - offset, byteCount - written);
      out.set(chunk.subarray(offset, offset + used), written);
      written += used;
      offset = 0;
    }
    return out;
  }
}
