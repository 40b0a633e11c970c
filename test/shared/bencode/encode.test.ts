import { describe, expect, it } from 'vitest';
import { bdecode, bencode, BencodeError, type BDict } from '../../../shared/bencode/index.ts';

const ascii = (value: Uint8Array) => new TextDecoder('latin1').decode(value);

describe('bencode golden bytes', () => {
  it('encodes integers, strings and bytes', () => {
    expect(ascii(bencode(0))).toBe('i0e');
    expect(ascii(bencode(-42))).toBe('i-42e');
    expect(ascii(bencode('spam'))).toBe('4:spam');
    expect(ascii(bencode(''))).toBe('0:');
    expect(bencode('é')).toEqual(new Uint8Array([0x32, 0x3a, 0xc3, 0xa9])); // UTF-8
    expect(bencode(new Uint8Array([0, 255]))).toEqual(new Uint8Array([0x32, 0x3a, 0, 255]));
  });

  it('encodes lists and dicts with keys sorted as raw bytes', () => {
    expect(ascii(bencode(['spam', 42, []]))).toBe('l4:spami42elee');
    expect(ascii(bencode({ spam: ['a', 'b'], cow: 'moo' }))).toBe('d3:cow3:moo4:spaml1:a1:bee');
    // 'Z' (0x5a) sorts before 'a' (0x61); "ab" after "a"
    expect(ascii(bencode({ a: 1, ab: 2, Z: 3 }))).toBe('d1:Zi3e1:ai1e2:abi2ee');
    // Map keys are latin1 byte strings: "\u00ff" (0xff) sorts after "z"
    const map: BDict = new Map([['\u00ff', 1], ['z', 2]]);
    expect(bencode(map)).toEqual(new Uint8Array([...new TextEncoder().encode('d1:zi2e1:'), 0xff, ...new TextEncoder().encode('i1ee')]));
  });

  it('skips undefined object fields', () => {
    expect(ascii(bencode({ a: 1, b: undefined }))).toBe('d1:ai1ee');
  });

  it('refuses what bencode cannot represent', () => {
    expect(() => bencode(1.5)).toThrow(BencodeError);
    expect(() => bencode(2 ** 53)).toThrow(/safe integers/);
    expect(() => bencode(null as never)).toThrow(/cannot encode null/);
    expect(() => bencode(true as never)).toThrow(/cannot encode boolean/);
    expect(() => bencode(new Map([['\u0100', 1]]))).toThrow(/not a latin1 byte string/);
  });

  it('round-trips decoded values', () => {
    const original = new TextEncoder().encode('d4:infod6:lengthi425e4:name4:temp6:pieces0:e4:listli-1e0:deee');
    expect(bencode(bdecode(original))).toEqual(original);
  });

  it('grows its buffer for large values', () => {
    const big = new Uint8Array(100_000).fill(7);
    const encoded = bencode([big, big]);
    expect(encoded.length).toBe(2 + 2 * (7 + 100_000));
    expect((bdecode(encoded) as Uint8Array[])[1]).toEqual(big);
  });
});

describe('bencode encoding limits', () => {
  it('encodes 64 levels of nesting (what the decoder accepts) and refuses deeper', () => {
    const nest = (depth: number, inner?: unknown): unknown[] => (depth === 1 ? (inner === undefined ? [] : [inner]) : [nest(depth - 1, inner)]);
    expect(bdecode(bencode(nest(64) as never))).toEqual(nest(64));
    expect(bdecode(bencode(nest(64, 7) as never))).toEqual(nest(64, 7)); // a scalar inside the deepest list
    // It used to emit 65 levels, which the decoder refuses.
    expect(() => bencode(nest(65) as never)).toThrow(/cannot encode nesting deeper than 64 levels/);
  });
});
