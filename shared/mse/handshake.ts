// The MSE/PE handshake as a pure state machine: bytes in, bytes out, no sockets or timers (the
// caller enforces the spec's 30-second limits). Both roles share this base; initiator.ts and
// receiver.ts hold the steps.
//
//   1 A->B  Ya, PadA
//   2 B->A  Yb, PadB
//   3 A->B  HASH('req1', S), HASH('req2', SKEY) xor HASH('req3', S),
//           ENCRYPT(VC, crypto_provide, len(PadC), PadC, len(IA)), ENCRYPT(IA)
//   4 B->A  ENCRYPT(VC, crypto_select, len(PadD), PadD), ENCRYPT2(payload)
//   5 A->B  ENCRYPT2(payload)
// B finds the end of PadA by HASH('req1', S); A finds the end of PadB by ENCRYPT(VC).

import { concatBytes, randomBytes, readU16BE } from '../bytes.ts';
import { ByteQueue } from './byte-queue.ts';
import type { CryptoMethod, MsePolicy } from './crypto-methods.ts';
import { MseError } from './errors.ts';
import type { MseCiphers } from './keys.ts';

/** Most bytes of PadA, PadB, PadC or PadD. */
export const MAX_PAD_BYTES = 512;
/** The verification constant: 8 zero bytes. */
export const VC_BYTES = 8;
/** len(IA) is a 16-bit field. */
export const MAX_INITIAL_PAYLOAD_BYTES = 0xffff;

export interface MseHandshakeOptions {
  policy: MsePolicy;
  /** Random bytes for the private key and PadA/PadB (default Web Crypto). */
  random?: (byteLength: number) => Uint8Array;
  /** Chooses each pad's length, 0 to 512 (default uniform random). */
  padLength?: () => number;
}

/** The connection after the handshake: RC4 both ways, or the identity. */
export class MseStream {
  constructor(
    readonly method: CryptoMethod,
    private readonly ciphers: MseCiphers,
  ) {}

  // Under RC4 both directions write into a new array (one copy, out of the cipher's working memory):
  // the caller may still hold what it wrote, and a received chunk may be a view into a frame others read.

  /** The bytes to send for `plain` (a new array under RC4; the same array in plaintext). */
  encrypt(plain: Uint8Array): Uint8Array {
    return this.method === 'rc4' ? this.ciphers.outgoing.encrypted(plain) : plain;
  }

  /** The payload in received `bytes` (a new array under RC4; the same array in plaintext). */
  decrypt(bytes: Uint8Array): Uint8Array {
    return this.method === 'rc4' ? this.ciphers.incoming.decrypted(bytes) : bytes;
  }
}

export interface MseResult {
  stream: MseStream;
  /** SKEY: the info-hash the connection is for. */
  infoHash: Uint8Array;
  /** Payload already received, decrypted: the receiver's IA and whatever followed the handshake. */
  received: Uint8Array;
}

export interface MseStep {
  /** Bytes to write to the peer now (possibly empty). */
  send: Uint8Array;
  /** Set once, on the push that completes the handshake. */
  result?: MseResult;
}

export interface Finished {
  stream: MseStream;
  infoHash: Uint8Array;
  /** Payload decrypted during the handshake (the receiver's IA). */
  payload: Uint8Array;
}

export abstract class MseHandshake {
  protected readonly queue = new ByteQueue();
  protected readonly random: (byteLength: number) => Uint8Array;
  private readonly choosePadLength: () => number;
  private finished: Finished | undefined;
  private failed = false;

  constructor(options: MseHandshakeOptions) {
    this.random = options.random ?? randomBytes;
    this.choosePadLength = options.padLength ?? (() => readU16BE(this.random(2), 0) % (MAX_PAD_BYTES + 1));
  }

  /**
   * Feeds received bytes. Throws MseError for hostile or malformed input; the handshake is then
   * dead. Never queues more than the current step can use, so memory stays within the spec's maxima.
   */
  push(chunk: Uint8Array): MseStep {
    if (this.finished || this.failed) throw new MseError('handshake-finished', 'the MSE handshake has ended');
    const send: Uint8Array[] = [];
    try {
      let offset = 0;
      for (;;) {
        while (!this.finished && this.advance(send)) this.finished = this.finish();
        if (this.finished || offset === chunk.length) break;
        const room = Math.min(chunk.length - offset, this.bytesWanted() - this.queue.length);
        if (room <= 0) throw new Error('the MSE handshake cannot take bytes now (initiator not started?)');
        this.queue.push(chunk.subarray(offset, offset + room));
        offset += room;
      }
      const out = concatBytes(send);
      if (!this.finished) return { send: out };
      const { stream, infoHash, payload } = this.finished;
      const rest = stream.decrypt(concatBytes([this.queue.takeAll(), chunk.subarray(offset)]));
      return { send: out, result: { stream, infoHash, received: concatBytes([payload, rest]) } };
    } catch (error) {
      this.failed = true;
      throw error;
    }
  }

  /** Runs one step if its bytes are queued, appending output to `send`; false when it must wait. */
  protected abstract advance(send: Uint8Array[]): boolean;
  /** Queued bytes the current step needs (or, while synchronising, may look through). */
  protected abstract bytesWanted(): number;
  /** The outcome once the last step has run, else undefined. */
  protected abstract finish(): Finished | undefined;

  protected padLength(): number {
    const length = this.choosePadLength();
    if (!Number.isInteger(length) || length < 0 || length > MAX_PAD_BYTES) {
      throw new RangeError(`pad length ${length} is outside 0..${MAX_PAD_BYTES}`);
    }
    return length;
  }
}
