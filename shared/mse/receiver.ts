// MSE/PE, side B: answers Ya with Yb+PadB, finds HASH('req1', S) within PadA's limit, names the
// torrent from HASH('req2', SKEY), reads A's offer and IA, and sends its crypto_select.

import { concatBytes, readU16BE, readU32BE, writeU16BE, writeU32BE } from '../bytes.ts';
import { toHex } from '../hex.ts';
import { indexOfBytes } from './byte-queue.ts';
import { cryptoSelect, methodOf } from './crypto-methods.ts';
import { DH_KEY_BYTES, type DhKeyPair, makeKeyPair } from './diffie-hellman.ts';
import { MseError } from './errors.ts';
import { type Finished, MAX_PAD_BYTES, MseHandshake, type MseHandshakeOptions, MseStream, VC_BYTES } from './handshake.ts';
import { HASH_BYTES, makeCiphers, type MseCiphers, recoverReq2Hash, req1Hash, req2Hash } from './keys.ts';

/** Maps HASH('req2', info-hash) to the info-hash, for the torrents this side serves. */
export type SkeyLookup = (req2Hash: Uint8Array) => Uint8Array | undefined;

export type MseReceiverOptions = MseHandshakeOptions & (
  | { lookup: SkeyLookup }
  /** Continues after the SKEY, found elsewhere (a relay's MseSkeyReader): push the bytes after it. */
  | { resume: { secret: Uint8Array; infoHash: Uint8Array } }
);

/** A lookup over a fixed set of info-hashes. */
export function skeyLookup(infoHashes: Iterable<Uint8Array>): SkeyLookup {
  const byReq2 = new Map<string, Uint8Array>();
  for (const infoHash of infoHashes) byReq2.set(toHex(req2Hash(infoHash)), infoHash);
  return (hash) => byReq2.get(toHex(hash));
}

type Phase = 'await-ya' | 'sync-req1' | 'await-skey' | 'await-offer' | 'await-pad-c' | 'await-ia' | 'done';

const OFFER_BYTES = VC_BYTES + 4 + 2; // VC, crypto_provide, len(PadC)
const IA_LENGTH_BYTES = 2;

export class MseReceiver extends MseHandshake {
  private readonly keyPair: DhKeyPair | undefined;
  private readonly lookup: SkeyLookup;
  private readonly policy: MseReceiverOptions['policy'];
  private phase: Phase = 'await-ya';
  private secret: Uint8Array = new Uint8Array(0);
  private req1: Uint8Array = new Uint8Array(0);
  private infoHash: Uint8Array = new Uint8Array(0);
  private ciphers: MseCiphers | undefined;
  private selected = 0;
  private padCBytes = 0;
  private initialPayloadBytes = 0;
  private initialPayload: Uint8Array = new Uint8Array(0);

  constructor(options: MseReceiverOptions) {
    super(options);
    this.policy = options.policy;
    if ('resume' in options) {
      const { secret, infoHash } = options.resume;
      if (secret.length !== DH_KEY_BYTES) throw new RangeError(`MSE secret must be ${DH_KEY_BYTES} bytes`);
      if (infoHash.length !== HASH_BYTES) throw new RangeError('info-hash must be 20 bytes');
      this.lookup = () => undefined;
      this.secret = secret;
      this.setTorrent(infoHash);
    } else {
      this.lookup = options.lookup;
      this.keyPair = makeKeyPair(this.random);
    }
  }

  protected bytesWanted(): number {
    switch (this.phase) {
      case 'await-ya':
        return DH_KEY_BYTES;
      case 'sync-req1':
        return MAX_PAD_BYTES + HASH_BYTES;
      case 'await-skey':
        return HASH_BYTES;
      case 'await-offer':
        return OFFER_BYTES;
      case 'await-pad-c':
        return this.padCBytes + IA_LENGTH_BYTES;
      case 'await-ia':
        return this.initialPayloadBytes;
      case 'done':
        return 0;
    }
  }

  protected advance(send: Uint8Array[]): boolean {
    const neededNow = this.phase === 'sync-req1' ? HASH_BYTES : this.bytesWanted();
    if (this.phase === 'done' || this.queue.length < neededNow) return false;
    switch (this.phase) {
      case 'await-ya':
        send.push(this.answerYa(this.queue.take(DH_KEY_BYTES)));
        return true;
      case 'sync-req1':
        return this.syncOnReq1();
      case 'await-skey':
        this.findTorrent(this.queue.take(HASH_BYTES));
        return true;
      case 'await-offer':
        this.readOffer(this.ciphers!.incoming.decrypt(this.queue.take(OFFER_BYTES)));
        return true;
      case 'await-pad-c': {
        const plain = this.ciphers!.incoming.decrypt(this.queue.take(this.padCBytes + IA_LENGTH_BYTES));
        this.initialPayloadBytes = readU16BE(plain, this.padCBytes);
        this.phase = 'await-ia';
        return true;
      }
      case 'await-ia':
        this.initialPayload = this.ciphers!.incoming.decrypt(this.queue.take(this.initialPayloadBytes));
        send.push(this.answerOffer());
        this.phase = 'done';
        return true;
    }
  }

  protected finish(): Finished | undefined {
    if (this.phase !== 'done') return undefined;
    const stream = new MseStream(methodOf(this.selected), this.ciphers!);
    return { stream, infoHash: this.infoHash, payload: this.initialPayload };
  }

  /** Step 2: the shared secret from Ya, and Yb+PadB. */
  private answerYa(theirPublicKey: Uint8Array): Uint8Array {
    this.secret = this.keyPair!.sharedSecret(theirPublicKey);
    this.req1 = req1Hash(this.secret);
    this.phase = 'sync-req1';
    return concatBytes([this.keyPair!.publicKey, this.random(this.padLength())]);
  }

  /** Looks for HASH('req1', S) where PadA may end; fails once PadA would exceed 512 bytes. */
  private syncOnReq1(): boolean {
    const at = indexOfBytes(this.queue.peek(), this.req1);
    if (at < 0) {
      if (this.queue.length >= MAX_PAD_BYTES + HASH_BYTES) {
        throw new MseError('no-req1-sync', `no HASH('req1', S) within ${MAX_PAD_BYTES} bytes of PadA`);
      }
      return false;
    }
    this.queue.drop(at + HASH_BYTES);
    this.phase = 'await-skey';
    return true;
  }

  private findTorrent(obfuscated: Uint8Array): void {
    const infoHash = this.lookup(recoverReq2Hash(obfuscated, this.secret));
    if (!infoHash) throw new MseError('unknown-skey', 'HASH(req2, SKEY) matches no torrent served here');
    this.setTorrent(infoHash);
  }

  private setTorrent(infoHash: Uint8Array): void {
    this.infoHash = infoHash;
    this.ciphers = makeCiphers('receiver', this.secret, infoHash);
    this.phase = 'await-offer';
  }

  private readOffer(plain: Uint8Array): void {
    if (plain.subarray(0, VC_BYTES).some((byte) => byte !== 0)) {
      throw new MseError('bad-vc', 'the verification constant did not decrypt to zeros');
    }
    this.selected = cryptoSelect(this.policy, readU32BE(plain, VC_BYTES));
    this.padCBytes = readU16BE(plain, VC_BYTES + 4);
    if (this.padCBytes > MAX_PAD_BYTES) {
      throw new MseError('pad-too-long', `len(PadC) is ${this.padCBytes}, above ${MAX_PAD_BYTES}`);
    }
    this.phase = 'await-pad-c';
  }

  /** Step 4: ENCRYPT(VC, crypto_select, len(PadD), PadD). */
  private answerOffer(): Uint8Array {
    const padDBytes = this.padLength();
    const plain = new Uint8Array(VC_BYTES + 4 + 2 + padDBytes); // VC and PadD: zeros
    writeU32BE(plain, VC_BYTES, this.selected);
    writeU16BE(plain, VC_BYTES + 4, padDBytes);
    return this.ciphers!.outgoing.encrypt(plain);
  }
}
