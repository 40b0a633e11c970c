// MSE/PE, side A: sends Ya+PadA, answers Yb with the req hashes and its encrypted offer, finds
// B's encrypted VC within PadB's limit, and reads B's crypto_select and PadD.

import { concatBytes, readU16BE, readU32BE, writeU16BE, writeU32BE } from '../bytes.ts';
import { indexOfBytes } from './byte-queue.ts';
import { type CryptoMethod, cryptoProvide, parseCryptoSelect } from './crypto-methods.ts';
import { DH_KEY_BYTES, type DhKeyPair, makeKeyPair } from './diffie-hellman.ts';
import { MseError } from './errors.ts';
import {
  type Finished,
  MAX_INITIAL_PAYLOAD_BYTES,
  MAX_PAD_BYTES,
  MseHandshake,
  type MseHandshakeOptions,
  MseStream,
  VC_BYTES,
} from './handshake.ts';
import { HASH_BYTES, makeCiphers, type MseCiphers, obfuscatedSkeyHash, req1Hash } from './keys.ts';

export interface MseInitiatorOptions extends MseHandshakeOptions {
  /** SKEY: the info-hash of the torrent to connect for. */
  infoHash: Uint8Array;
  /** IA: sent encrypted with the offer, typically the BitTorrent handshake (at most 65535 bytes). */
  initialPayload?: Uint8Array;
}

type Phase = 'created' | 'await-yb' | 'sync-vc' | 'await-select' | 'await-pad-d' | 'done';

const SELECT_BYTES = 4 + 2; // crypto_select, len(PadD)

export class MseInitiator extends MseHandshake {
  private readonly keyPair: DhKeyPair;
  private readonly infoHash: Uint8Array;
  private readonly initialPayload: Uint8Array;
  private readonly provided: number;
  private phase: Phase = 'created';
  private ciphers: MseCiphers | undefined;
  private encryptedVc: Uint8Array | undefined;
  private method: CryptoMethod | undefined;
  private padDBytes = 0;

  constructor(options: MseInitiatorOptions) {
    super(options);
    if (options.infoHash.length !== HASH_BYTES) throw new RangeError('info-hash must be 20 bytes');
    this.initialPayload = options.initialPayload ?? new Uint8Array(0);
    if (this.initialPayload.length > MAX_INITIAL_PAYLOAD_BYTES) {
      throw new RangeError(`initial payload of ${this.initialPayload.length} bytes exceeds 65535`);
    }
    this.infoHash = options.infoHash;
    this.provided = cryptoProvide(options.policy);
    this.keyPair = makeKeyPair(this.random);
  }

  /** Step 1: Ya and PadA, the first bytes of the connection. */
  start(): Uint8Array {
    if (this.phase !== 'created') throw new Error('MseInitiator.start called twice');
    this.phase = 'await-yb';
    return concatBytes([this.keyPair.publicKey, this.random(this.padLength())]);
  }

  protected bytesWanted(): number {
    switch (this.phase) {
      case 'created':
      case 'done':
        return 0;
      case 'await-yb':
        return DH_KEY_BYTES;
      case 'sync-vc':
        return MAX_PAD_BYTES + VC_BYTES;
      case 'await-select':
        return SELECT_BYTES;
      case 'await-pad-d':
        return this.padDBytes;
    }
  }

  protected advance(send: Uint8Array[]): boolean {
    if (this.phase === 'created' || this.phase === 'done' || this.queue.length < this.neededNow()) return false;
    switch (this.phase) {
      case 'await-yb':
        send.push(this.offer(this.queue.take(DH_KEY_BYTES)));
        this.phase = 'sync-vc';
        return true;
      case 'sync-vc':
        return this.syncOnVc();
      case 'await-select':
        this.readSelect(this.ciphers!.incoming.decrypt(this.queue.take(SELECT_BYTES)));
        return true;
      case 'await-pad-d':
        this.ciphers!.incoming.decrypt(this.queue.take(this.padDBytes));
        this.phase = 'done';
        return true;
    }
  }

  protected finish(): Finished | undefined {
    if (this.phase !== 'done') return undefined;
    const stream = new MseStream(this.method!, this.ciphers!);
    return { stream, infoHash: this.infoHash, payload: new Uint8Array(0) };
  }

  /** Bytes the current step must have queued before it can run (synchronising runs on any). */
  private neededNow(): number {
    return this.phase === 'sync-vc' ? VC_BYTES : this.bytesWanted();
  }

  /** Step 3, from Yb: the req hashes and ENCRYPT(VC, crypto_provide, len(PadC), PadC, len(IA), IA). */
  private offer(theirPublicKey: Uint8Array): Uint8Array {
    const secret = this.keyPair.sharedSecret(theirPublicKey);
    const ciphers = makeCiphers('initiator', secret, this.infoHash);
    this.ciphers = ciphers;
    this.encryptedVc = ciphers.incoming.encrypt(new Uint8Array(VC_BYTES));
    const padCBytes = this.padLength();
    const plain = new Uint8Array(VC_BYTES + 4 + 2 + padCBytes + 2 + this.initialPayload.length);
    let offset = VC_BYTES; // VC: zeros
    writeU32BE(plain, offset, this.provided);
    writeU16BE(plain, (offset += 4), padCBytes);
    offset += 2 + padCBytes; // PadC: zeros, hidden by RC4
    writeU16BE(plain, offset, this.initialPayload.length);
    plain.set(this.initialPayload, offset + 2);
    const hashes = [req1Hash(secret), obfuscatedSkeyHash(this.infoHash, secret)];
    return concatBytes([...hashes, ciphers.outgoing.encrypt(plain)]);
  }

  /** Looks for ENCRYPT(VC) where PadB may end; fails once PadB would exceed 512 bytes. */
  private syncOnVc(): boolean {
    const at = indexOfBytes(this.queue.peek(), this.encryptedVc!);
    if (at < 0) {
      if (this.queue.length >= MAX_PAD_BYTES + VC_BYTES) {
        throw new MseError('no-vc-sync', `no encrypted VC within ${MAX_PAD_BYTES} bytes of PadB`);
      }
      return false;
    }
    this.queue.drop(at + VC_BYTES);
    this.phase = 'await-select';
    return true;
  }

  private readSelect(plain: Uint8Array): void {
    this.method = parseCryptoSelect(readU32BE(plain, 0), this.provided);
    this.padDBytes = readU16BE(plain, 4);
    if (this.padDBytes > MAX_PAD_BYTES) {
      throw new MseError('pad-too-long', `len(PadD) is ${this.padDBytes}, above ${MAX_PAD_BYTES}`);
    }
    this.phase = 'await-pad-d';
  }
}
