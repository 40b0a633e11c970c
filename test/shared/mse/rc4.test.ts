import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../../shared/hex.ts';
import { MSE_DISCARD_BYTES, mseRc4, RC4 } from '../../../shared/mse/rc4.ts';
import { wasmRc4Xor } from '../../../shared/mse/rc4-wasm.ts';

// RFC 6229 section 2, key 0x0102030405 (40 bits): keystream at each listed offset.
const RFC6229_KEY_40_BITS = fromHex('0102030405');
const RFC6229_KEYSTREAM_40_BITS: [offset: number, hex: string][] = [
  [0x0000, 'b2396305f03dc027ccc3524a0a1118a8'],
  [0x0010, '6982944f18fc82d589c403a47a0d0919'],
  [0x00f0, '28cb1132c96ce286421dcaadb8b69eae'],
  [0x0100, '1cfcf62b03eddb641d77dfcf7f8d8c93'],
  [0x01f0, '42b7d0cdd918a8a33dd51781c81f4041'],
  [0x0200, '6459844432a7da923cfb3eb4980661f6'],
  [0x02f0, 'ec10327bde2beefd18f9277680457e22'],
  [0x0300, 'eb62638d4f0ba1fe9fca20e05bf8ff2b'],
  [0x03f0, '45129048e6a0ed0b56b490338f078da5'],
  [0x0400, '30abbcc7c20b01609f23ee2d5f6bb7df'],
  [0x05f0, '3294f744d8f9790507e70f62e5bbceea'],
  [0x0600, 'd8729db41882259bee4f825325f5a130'],
  [0x07f0, '1eb14a0c13b3bf47fa2a0ba93ad45b8b'],
  [0x0800, 'cc582f8ba9f265e2b1be9112e975d2d7'],
  [0x0bf0, 'f2e30f9bd102ecbf75aaade9bc35c43c'],
  [0x0c00, 'ec0e11c479dc329dc8da7968fe965681'],
  [0x0ff0, '068326a2118416d21f9d04b2cd1ca050'],
  [0x1000, 'ff25b58995996707e51fbdf08b34d875'],
];

describe('RC4', () => {
  it('has its WebAssembly loop in Node (else every test below checks the JavaScript loop twice)', () => {
    expect(wasmRc4Xor()).not.toBeNull();
  });

  for (const wasm of [true, false]) {
    it(`produces the RFC 6229 keystream for key 0x0102030405 at every listed offset (${wasm ? 'WebAssembly' : 'JavaScript'})`, () => {
      const keystream = new RC4(RFC6229_KEY_40_BITS, { wasm }).keystream(0x1010);
      for (const [offset, hex] of RFC6229_KEYSTREAM_40_BITS) {
        expect(toHex(keystream.subarray(offset, offset + 16)), `offset ${offset}`).toBe(hex);
      }
    });
  }

  it('discards 1024 bytes for MSE: its first byte is RFC 6229 offset 1024', () => {
    expect(MSE_DISCARD_BYTES).toBe(1024);
    expect(toHex(mseRc4(RFC6229_KEY_40_BITS).keystream(16))).toBe('30abbcc7c20b01609f23ee2d5f6bb7df');
    const skipped = new RC4(RFC6229_KEY_40_BITS, { discardBytes: 0x0ff0 });
    expect(toHex(skipped.keystream(32))).toBe('068326a2118416d21f9d04b2cd1ca050ff25b58995996707e51fbdf08b34d875');
  });

  it('gives the same bytes in WebAssembly and JavaScript, across its 63 KiB memory window and odd lengths', () => {
    const key = fromHex('0badc0ffee');
    const viaWasm = new RC4(key);
    const viaJs = new RC4(key, { wasm: false });
    for (const length of [200_001, 3, 129, 64_513, 127, 1000, 7]) {
      const message = Uint8Array.from({ length }, (_, i) => (i * 31 + length) & 0xff);
      expect(toHex(viaWasm.encrypted(message)), `length ${length}`).toBe(toHex(viaJs.encrypted(message)));
    }
  });

  it('encrypted() leaves its input alone and returns a plain Uint8Array, for a Buffer too', () => {
    const key = fromHex('0102030405');
    for (const length of [16, 5000]) {
      const input = Buffer.alloc(length, 0x5a);
      const output = new RC4(key).encrypted(input);
      expect(output.constructor).toBe(Uint8Array);
      expect(input.every((byte) => byte === 0x5a)).toBe(true);
      expect(toHex(output)).toBe(toHex(new RC4(key).encrypt(new Uint8Array(length).fill(0x5a))));
    }
  });

  it('encrypts the Wikipedia example ("Key", "Plaintext")', () => {
    const bytes = new TextEncoder().encode('Plaintext');
    new RC4(new TextEncoder().encode('Key')).encrypt(bytes);
    expect(toHex(bytes)).toBe('bbf316e8d940af0ad3');
  });

  it('keeps its position across calls of any size, and decrypts what it encrypted', () => {
    const key = fromHex('00112233445566778899aabbccddeeff00112233');
    const message = Uint8Array.from({ length: 5000 }, (_, i) => (i * 7) & 0xff);
    const whole = mseRc4(key).encrypt(message.slice());
    const sender = mseRc4(key);
    const pieces: Uint8Array[] = [];
    for (let offset = 0, size = 1; offset < message.length; offset += size, size = (size * 3 + 1) % 700) {
      pieces.push(sender.encrypt(message.slice(offset, offset + size)));
    }
    expect(toHex(Uint8Array.from(pieces.flatMap((piece) => [...piece])))).toBe(toHex(whole));
    expect(mseRc4(key).decrypt(whole)).toEqual(message);
  });

  it('refuses an empty or over-long key', () => {
    expect(() => new RC4(new Uint8Array(0))).toThrow(RangeError);
    expect(() => new RC4(new Uint8Array(257))).toThrow(RangeError);
  });
});
