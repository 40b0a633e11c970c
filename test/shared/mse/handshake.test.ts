import { describe, expect, it } from 'vitest';
import { concatBytes } from '../../../shared/bytes.ts';
import { toHex } from '../../../shared/hex.ts';
import type { MsePolicy } from '../../../shared/mse/crypto-methods.ts';
import { MseInitiator } from '../../../shared/mse/initiator.ts';
import { MseReceiver, skeyLookup } from '../../../shared/mse/receiver.ts';
import { encodeHandshake, makeReserved } from '../../../shared/peer-wire/handshake.ts';
import { lcg, pump } from './pump.ts';

const infoHash = Uint8Array.from({ length: 20 }, (_, i) => 0x40 + i);
const otherInfoHashes = [new Uint8Array(20).fill(1), new Uint8Array(20).fill(2)];
const btHandshake = encodeHandshake({
  reserved: makeReserved({ extensionProtocol: true, fast: true }),
  infoHash,
  peerId: new Uint8Array(20).fill(0x2d),
});
const payloads = {
  fromInitiator: Uint8Array.from({ length: 3000 }, (_, i) => (i * 11) & 0xff),
  fromReceiver: concatBytes([btHandshake, Uint8Array.from({ length: 2000 }, (_, i) => (i * 5 + 1) & 0xff)]),
};

function machines(initiatorPolicy: MsePolicy, receiverPolicy: MsePolicy, padLength?: () => number) {
  const initiator = new MseInitiator({ policy: initiatorPolicy, infoHash, initialPayload: btHandshake, padLength });
  const lookup = skeyLookup([...otherInfoHashes, infoHash]);
  const receiver = new MseReceiver({ policy: receiverPolicy, lookup, padLength });
  return { initiator, receiver };
}

/** True when `needle` occurs in `haystack`. */
function contains(haystack: Uint8Array, needle: Uint8Array): boolean {
  return toHex(haystack).includes(toHex(needle));
}

describe('MSE handshake between an initiator and a receiver', () => {
  it.each([1, 2, 3, 4, 5, 6, 7, 8])('negotiates RC4 under random chunking (seed %i)', (seed) => {
    const random = lcg(seed);
    const { initiator, receiver } = machines('prefer-rc4', 'prefer-rc4');
    const outcome = pump(initiator, receiver, payloads, () => 1 + (random() % 700));
    expect(outcome.initiator.stream.method).toBe('rc4');
    expect(outcome.receiver.stream.method).toBe('rc4');
    expect(toHex(outcome.receiver.infoHash)).toBe(toHex(infoHash));
    expect(toHex(outcome.receiverPayload)).toBe(toHex(concatBytes([btHandshake, payloads.fromInitiator])));
    expect(toHex(outcome.initiatorPayload)).toBe(toHex(payloads.fromReceiver));
    // Nothing recognisable crosses the wire: not the BitTorrent handshake, not the info-hash.
    expect(contains(outcome.wireToReceiver, btHandshake.subarray(0, 20))).toBe(false);
    expect(contains(outcome.wireToReceiver, infoHash)).toBe(false);
    expect(contains(outcome.wireToInitiator, btHandshake.subarray(0, 20))).toBe(false);
  });

  it('negotiates RC4 fed one byte at a time', () => {
    const { initiator, receiver } = machines('require-rc4', 'prefer-rc4');
    const outcome = pump(initiator, receiver, payloads, () => 1);
    expect(outcome.initiator.stream.method).toBe('rc4');
    expect(toHex(outcome.receiverPayload)).toBe(toHex(concatBytes([btHandshake, payloads.fromInitiator])));
    expect(toHex(outcome.initiatorPayload)).toBe(toHex(payloads.fromReceiver));
  });

  it.each([
    ['prefer-rc4', 'plaintext-only'],
    ['plaintext-only', 'prefer-rc4'],
    ['plaintext-only', 'plaintext-only'],
  ] as const)('selects plaintext (initiator %s, receiver %s): IA still encrypted, payload in the clear', (a, b) => {
    const random = lcg(99);
    const { initiator, receiver } = machines(a, b);
    const outcome = pump(initiator, receiver, payloads, () => 1 + (random() % 300));
    expect(outcome.initiator.stream.method).toBe('plaintext');
    expect(outcome.receiver.stream.method).toBe('plaintext');
    expect(toHex(outcome.receiverPayload)).toBe(toHex(concatBytes([btHandshake, payloads.fromInitiator])));
    expect(toHex(outcome.initiatorPayload)).toBe(toHex(payloads.fromReceiver));
    expect(contains(outcome.wireToReceiver, btHandshake.subarray(0, 20))).toBe(false); // IA is RC4
    expect(contains(outcome.wireToReceiver, payloads.fromInitiator)).toBe(true);
    expect(contains(outcome.wireToInitiator, payloads.fromReceiver)).toBe(true);
  });

  it.each([0, 512])('works with every pad %i bytes long', (padBytes) => {
    const random = lcg(padBytes + 7);
    const { initiator, receiver } = machines('prefer-rc4', 'prefer-rc4', () => padBytes);
    const outcome = pump(initiator, receiver, payloads, () => 1 + (random() % 97));
    expect(toHex(outcome.initiatorPayload)).toBe(toHex(payloads.fromReceiver));
    expect(toHex(outcome.receiverPayload)).toBe(toHex(concatBytes([btHandshake, payloads.fromInitiator])));
    expect(outcome.wireToReceiver.length).toBeGreaterThanOrEqual(96 + padBytes + 20 + 20 + 16 + padBytes);
  });

  it('works with no initial payload', () => {
    const initiator = new MseInitiator({ policy: 'prefer-rc4', infoHash });
    const receiver = new MseReceiver({ policy: 'prefer-rc4', lookup: skeyLookup([infoHash]) });
    const outcome = pump(initiator, receiver, payloads, () => 64);
    expect(toHex(outcome.receiverPayload)).toBe(toHex(payloads.fromInitiator));
    expect(toHex(outcome.initiatorPayload)).toBe(toHex(payloads.fromReceiver));
  });

  it('sends Ya and a PadA of at most 512 bytes first', () => {
    for (let i = 0; i < 20; i++) {
      const start = new MseInitiator({ policy: 'prefer-rc4', infoHash }).start();
      expect(start.length).toBeGreaterThanOrEqual(96);
      expect(start.length).toBeLessThanOrEqual(96 + 512);
    }
  });
});
