import { describe, expect, it } from 'vitest';
import { toHex } from '../../../shared/hex.ts';
import { PeerWireError } from '../../../shared/peer-wire/errors.ts';
import {
  decodeHandshake,
  encodeHandshake,
  makeReserved,
  supportsDht,
  supportsExtensionProtocol,
  supportsFastExtension,
} from '../../../shared/peer-wire/handshake.ts';

const infoHash = Uint8Array.from({ length: 20 }, (_, i) => i + 1);
const peerId = Uint8Array.from('-TA0001-abcdefghijkl', (c) => c.charCodeAt(0));

describe('BEP 3 handshake', () => {
  it('encodes the golden 68 bytes', () => {
    const bytes = encodeHandshake({ infoHash, peerId, reserved: makeReserved({ extensionProtocol: true, fast: true, dht: true }) });
    expect(bytes).toHaveLength(68);
    expect(toHex(bytes)).toBe(
      '13' +
        toHex(new TextEncoder().encode('BitTorrent protocol')) +
        '0000000000100005' +
        '0102030405060708090a0b0c0d0e0f1011121314' +
        toHex(peerId),
    );
  });

  it('round-trips', () => {
    const reserved = makeReserved({ fast: true });
    const decoded = decodeHandshake(encodeHandshake({ infoHash, peerId, reserved }));
    expect(decoded.infoHash).toEqual(infoHash);
    expect(decoded.peerId).toEqual(peerId);
    expect(decoded.reserved).toEqual(reserved);
  });

  it('reads the reserved bits of BEP 10, BEP 6 and BEP 5', () => {
    expect(supportsExtensionProtocol(makeReserved({ extensionProtocol: true }))).toBe(true);
    expect(supportsFastExtension(makeReserved({ extensionProtocol: true }))).toBe(false);
    expect(supportsFastExtension(makeReserved({ fast: true }))).toBe(true);
    expect(supportsDht(makeReserved({ dht: true }))).toBe(true);
    expect(supportsDht(makeReserved({ fast: true }))).toBe(false);
    expect([...makeReserved({ extensionProtocol: true })]).toEqual([0, 0, 0, 0, 0, 0x10, 0, 0]);
  });

  it('rejects a bad pstrlen, a bad pstr, and short input', () => {
    const good = encodeHandshake({ infoHash, peerId, reserved: makeReserved({}) });
    const badLength = good.slice();
    badLength[0] = 18;
    expect(() => decodeHandshake(badLength)).toThrow(PeerWireError);
    const badName = good.slice();
    badName[5] = 0x21;
    expect(() => decodeHandshake(badName)).toThrow(/protocol string/);
    expect(() => decodeHandshake(good.subarray(0, 67))).toThrow(/68 bytes/);
    try {
      decodeHandshake(badName);
    } catch (error) {
      expect((error as PeerWireError).reason).toBe('bad-handshake');
    }
  });

  it('refuses to encode fields of the wrong size', () => {
    expect(() => encodeHandshake({ infoHash: new Uint8Array(19), peerId, reserved: new Uint8Array(8) })).toThrow(
      PeerWireError,
    );
  });
});
