// MSE/PE, the first half of side B, for a relay that routes inbound connections: answers Ya with
// Yb+PadB, finds HASH('req1', S) within PadA's limit and names the torrent from
// HASH('req2', SKEY) xor HASH('req3', S). It derives no RC4 keys and decrypts nothing: whoever
// serves the torrent finishes the handshake from the shared secret and the bytes after the
// obfuscated SKEY hash (MseReceiver with `resume`).

import { concatBytes, randomBytes, readU16BE } from '../bytes.ts';
import { ByteQueue, indexOfBytes } from './byte-queue.ts';
import { DH_KEY_BYTES, type DhKeyPair, makeKeyPair } from './diffie-hellman.ts';
import { MseError } from './errors.ts';
import { MAX_PAD_BYTES } from './handshake.ts';
import { HASH_BYTES, recoverReq2Hash, req1Hash } from './keys.ts';
import type { SkeyLookup } from './receiver.ts';

export interface SkeyFound {
  /** S, the 96-byte Diffie-Hellman secret: what the torrent's owner needs to derive the keys. */
  secret: Uint8Array;
  /** SKEY: the info-hash the lookup named. */
  infoHash: Uint8Array;
  /** Bytes received after the obfuscated SKEY hash, still encrypted (A's offer onwards). */
  rest: Uint8Array;
}

export interface SkeyStep {
  /** Bytes to write to the peer now (Yb+PadB once Ya is in; else empty). */
  send: Uint8Array;
  /** Set once, on the push that names the torrent. */
  found?: SkeyFound;
}

export interface MseSkeyReaderOptions {
  lookup: SkeyLookup;
  random?: (byteLength: number) => Uint8Array;
  padLength?: () => number;
}

type Phase = 'await-ya' | 'sync-req1' | 'await-skey' | 'done';

export class MseSkeyReader {
  private readonly queue = new ByteQueue();
  private readonly lookup: SkeyLookup;
  private readonly random: (byteLength: number) => Uint8Array;
  private readonly padLength: () => number;
  private keyPair: DhKeyPair | undefined;
  private phase: Phase = 'await-ya';
  private secret: Uint8Array = new Uint8Array(0);
  private req1: Uint8Array = new Uint8Array(0);

  constructor(options: MseSkeyReaderOptions) {
    this.lookup = options.lookup;
    this.random = options.random ?? randomBytes;
    this.padLength = options.padLength ?? (() => readU16BE(this.random(2), 0) % (MAX_PAD_BYTES + 1));
  }

  /** Feeds received bytes; throws MseError on hostile input. Queues at most Ya or PadA+req1 bytes. */
  push(chunk: Uint8Array): SkeyStep {
    if (this.phase === 'done') throw new MseError('handshake-finished', 'the SKEY was already found');
    const send: Uint8Array[] = [];
    let offset = 0;
    for (;;) {
      const room = Math.min(chunk.length - offset, this.bytesWanted() - this.queue.length);
      this.queue.push(chunk.subarray(offset, offset + room));
      offset += room;
      const found = this.advance(send);
      if (found) return { send: concatBytes(send), found: { ...found, rest: concatBytes([this.queue.takeAll(), chunk.subarray(offset)]) } };
      if (offset === chunk.length) return { send: concatBytes(send) };
    }
  }

  private bytesWanted(): number {
    if (this.phase === 'await-ya') return DH_KEY_BYTES;
    if (this.phase === 'sync-req1') return MAX_PAD_BYTES + HASH_BYTES;
    return HASH_BYTES;
  }

  /** Runs the steps the queued bytes allow; the SKEY once found. */
  private advance(send: Uint8Array[]): Omit<SkeyFound, 'rest'> | undefined {
    if (this.phase === 'await-ya' && this.queue.length >= DH_KEY_BYTES) {
      this.keyPair = makeKeyPair(this.random);
      this.secret = this.keyPair.sharedSecret(this.queue.take(DH_KEY_BYTES));
      this.req1 = req1Hash(this.secret);
      send.push(concatBytes([this.keyPair.publicKey, this.random(this.checkedPadLength())]));
      this.phase = 'sync-req1';
    }
    if (this.phase === 'sync-req1') this.syncOnReq1();
    if (this.phase === 'await-skey' && this.queue.length >= HASH_BYTES) {
      const infoHash = this.lookup(recoverReq2Hash(this.queue.take(HASH_BYTES), this.secret));
      if (!infoHash) throw new MseError('unknown-skey', 'HASH(req2, SKEY) matches no torrent served here');
      this.phase = 'done';
      this.keyPair = undefined;
      return { secret: this.secret, infoHash };
    }
    return undefined;
  }

  private syncOnReq1(): void {
    if (this.queue.length < HASH_BYTES) return;
    const at = indexOfBytes(this.queue.peek(), this.req1);
    if (at >= 0) {
      this.queue.drop(at + HASH_BYTES);
      this.phase = 'await-skey';
    } else if (this.queue.length >= MAX_PAD_BYTES + HASH_BYTES) {
      throw new MseError('no-req1-sync', `no HASH('req1', S) within ${MAX_PAD_BYTES} bytes of PadA`);
    }
  }

  private checkedPadLength(): number {
    const length = this.padLength();
    if (!Number.isInteger(length) || length < 0 || length > MAX_PAD_BYTES) {
      throw new RangeError(`pad length ${length} is outside 0..${MAX_PAD_BYTES}`);
    }
    return length;
  }
}
