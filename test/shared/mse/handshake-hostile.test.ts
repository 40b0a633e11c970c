import { describe, expect, it } from 'vitest';
import { concatBytes, writeU16BE, writeU32BE } from '../../../shared/bytes.ts';
import { bigIntToBytes, makeKeyPair, MSE_PRIME } from '../../../shared/mse/diffie-hellman.ts';
import { MseError, type MseErrorCode } from '../../../shared/mse/errors.ts';
import { MseInitiator } from '../../../shared/mse/initiator.ts';
import { makeCiphers, obfuscatedSkeyHash, req1Hash } from '../../../shared/mse/keys.ts';
import { MseReceiver, skeyLookup } from '../../../shared/mse/receiver.ts';
import type { MsePolicy } from '../../../shared/mse/crypto-methods.ts';
import { lcg } from './pump.ts';

const infoHash = Uint8Array.from({ length: 20 }, (_, i) => 0x40 + i);

function expectMseError(run: () => unknown, code: MseErrorCode): void {
  let caught: unknown;
  try {
    run();
  } catch (error) {
    caught = error;
  }
  expect(caught, `expected MseError ${code}`).toBeInstanceOf(MseError);
  expect((caught as MseError).code).toBe(code);
}

function noise(byteLength: number, seed = 1): Uint8Array {
  const random = lcg(seed);
  return Uint8Array.from({ length: byteLength }, () => random() >>> 24);
}

function newReceiver(policy: MsePolicy = 'prefer-rc4'): MseReceiver {
  return new MseReceiver({ policy, lookup: skeyLookup([infoHash]) });
}

interface FakeOffer {
  provide?: number;
  padCBytes?: number;
  vc?: Uint8Array;
  skey?: Uint8Array;
  /** PadA's length: bytes between Ya and HASH('req1', S). */
  padABytes?: number;
}

/** Plays side A by hand against `receiver`: Ya+PadA, then the (possibly bad) step 3 bytes. */
function fakeOffer(receiver: MseReceiver, offer: FakeOffer = {}): Uint8Array {
  const pair = makeKeyPair();
  const yb = receiver.push(pair.publicKey).send.subarray(0, 96);
  const secret = pair.sharedSecret(yb);
  const skey = offer.skey ?? infoHash;
  const plain = new Uint8Array(8 + 4 + 2 + 2);
  plain.set(offer.vc ?? new Uint8Array(8));
  writeU32BE(plain, 8, offer.provide ?? 0x03);
  writeU16BE(plain, 12, offer.padCBytes ?? 0);
  const encrypted = makeCiphers('initiator', secret, skey).outgoing.encrypt(plain);
  return concatBytes([noise(offer.padABytes ?? 0), req1Hash(secret), obfuscatedSkeyHash(skey, secret), encrypted]);
}

/** Plays side B by hand against `initiator`: Yb, then ENCRYPT(VC, crypto_select, len(PadD)). */
function fakeAnswer(initiator: MseInitiator, select: number, padDBytes = 0): Uint8Array {
  const ya = initiator.start().subarray(0, 96);
  const pair = makeKeyPair();
  const secret = pair.sharedSecret(ya);
  initiator.push(pair.publicKey);
  const plain = new Uint8Array(8 + 4 + 2);
  writeU32BE(plain, 8, select);
  writeU16BE(plain, 12, padDBytes);
  return makeCiphers('receiver', secret, infoHash).outgoing.encrypt(plain);
}

describe('MSE handshake: hostile input', () => {
  it.each([
    ['0', 0n],
    ['1', 1n],
    ['P-1', MSE_PRIME - 1n],
    ['P', MSE_PRIME],
  ])('a receiver refuses Ya = %s', (_name, y) => {
    expectMseError(() => newReceiver().push(bigIntToBytes(y, 96)), 'bad-public-key');
  });

  it('an initiator refuses Yb = P-1', () => {
    const initiator = new MseInitiator({ policy: 'prefer-rc4', infoHash });
    initiator.start();
    expectMseError(() => initiator.push(bigIntToBytes(MSE_PRIME - 1n, 96)), 'bad-public-key');
  });

  it('a receiver gives up when no HASH(req1, S) comes within 512 bytes of PadA, even in one huge chunk', () => {
    const receiver = newReceiver();
    const flood = concatBytes([makeKeyPair().publicKey, noise(1 << 20)]);
    const started = performance.now();
    expectMseError(() => receiver.push(flood), 'no-req1-sync');
    // It looks at 532 bytes after Ya, not at the megabyte (generous bound: the machine is shared).
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('a receiver accepts a PadA of exactly 512 bytes and refuses 513', () => {
    const accepting = newReceiver();
    expect(accepting.push(fakeOffer(accepting, { padABytes: 512 })).result?.stream.method).toBe('rc4');
    const refusing = newReceiver();
    expectMseError(() => refusing.push(fakeOffer(refusing, { padABytes: 513 })), 'no-req1-sync');
  });

  it('an initiator gives up when no encrypted VC comes within 512 bytes of PadB, fed byte by byte', () => {
    const initiator = new MseInitiator({ policy: 'prefer-rc4', infoHash });
    initiator.start();
    initiator.push(makeKeyPair().publicKey);
    const garbage = noise(600, 3);
    let fed = 0;
    expectMseError(() => {
      for (; fed < garbage.length; fed++) initiator.push(garbage.subarray(fed, fed + 1));
    }, 'no-vc-sync');
    expect(fed).toBe(512 + 8 - 1); // the 520th byte fails it
  });

  it('a receiver refuses a torrent it does not serve', () => {
    const receiver = newReceiver();
    expectMseError(() => receiver.push(fakeOffer(receiver, { skey: new Uint8Array(20).fill(9) })), 'unknown-skey');
  });

  it('a receiver refuses a VC that does not decrypt to zeros', () => {
    const receiver = newReceiver();
    expectMseError(() => receiver.push(fakeOffer(receiver, { vc: Uint8Array.of(0, 0, 0, 0, 0, 0, 0, 1) })), 'bad-vc');
  });

  it('a receiver refuses len(PadC) above 512', () => {
    const receiver = newReceiver();
    expectMseError(() => receiver.push(fakeOffer(receiver, { padCBytes: 513 })), 'pad-too-long');
    const fine = newReceiver();
    expect(fine.push(fakeOffer(fine, { padCBytes: 512 })).result).toBeUndefined(); // waits for PadC
  });

  it.each([
    [0x00, 'prefer-rc4'],
    [0x04, 'prefer-rc4'], // a reserved bit only
    [0x01, 'require-rc4'],
    [0x02, 'plaintext-only'],
  ] as const)('a receiver refuses crypto_provide 0x%s under %s', (provide, policy) => {
    const receiver = newReceiver(policy);
    expectMseError(() => receiver.push(fakeOffer(receiver, { provide })), 'no-common-method');
  });

  it.each([
    [0x00, 'prefer-rc4'],
    [0x03, 'prefer-rc4'], // both: crypto_select must pick one
    [0x04, 'prefer-rc4'],
    [0x01, 'require-rc4'], // not provided
    [0x02, 'plaintext-only'],
  ] as const)('an initiator refuses crypto_select 0x%s when it provided %s', (select, policy) => {
    const initiator = new MseInitiator({ policy, infoHash });
    expectMseError(() => initiator.push(fakeAnswer(initiator, select)), 'bad-crypto-select');
  });

  it('an initiator refuses len(PadD) above 512', () => {
    const initiator = new MseInitiator({ policy: 'prefer-rc4', infoHash });
    expectMseError(() => initiator.push(fakeAnswer(initiator, 0x02, 513)), 'pad-too-long');
  });

  it('a failed or finished handshake takes no more bytes', () => {
    const failed = newReceiver();
    expectMseError(() => failed.push(new Uint8Array(96)), 'bad-public-key');
    expectMseError(() => failed.push(new Uint8Array(1)), 'handshake-finished');
    const finished = newReceiver();
    expect(finished.push(fakeOffer(finished)).result).toBeDefined();
    expectMseError(() => finished.push(new Uint8Array(1)), 'handshake-finished');
  });

  it('an initiator must be started before it takes bytes', () => {
    const initiator = new MseInitiator({ policy: 'prefer-rc4', infoHash });
    expect(() => initiator.push(new Uint8Array(1))).toThrow(/not started/);
  });
});
