// Hostile input: whatever arrives, the decoder throws a BencodeError (never another error, never
// hangs, never overflows the stack) and never touches an object prototype.
import { describe, expect, it } from 'vitest';
import { bdecode, bdecodeDictSpans, bdecodePrefix, BencodeError, type BDict } from '../../../shared/bencode/index.ts';
import { readFixture } from './fixtures.ts';

const bytes = (text: string) => new TextEncoder().encode(text);

function expectBencodeError(run: () => unknown): BencodeError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(BencodeError);
    return error as BencodeError;
  }
  throw new Error('expected a BencodeError');
}

describe('truncated input', () => {
  it.each(['sample.torrent', 'overlapping_symlinks.torrent', 'v2_multipiece_file.torrent'])(
    '%s cut at every byte offset throws a truncation BencodeError',
    (name) => {
      const whole = readFixture(name);
      expect(() => bdecode(whole)).not.toThrow();
      for (let cut = 0; cut < whole.length; cut++) {
        const part = whole.subarray(0, cut);
        const error = expectBencodeError(() => bdecode(part));
        expect(error.truncated).toBe(true);
        expect(error.offset).toBeLessThanOrEqual(cut);
        expectBencodeError(() => bdecodePrefix(part));
        expectBencodeError(() => bdecodeDictSpans(part));
      }
    },
  );
});

describe('over-long lengths', () => {
  it('refuses a huge length prefix without allocating', () => {
    const error = expectBencodeError(() => bdecode(bytes('99999999999:abc')));
    expect(error.message).toBe('truncated string at byte 0: 99999999999 bytes declared, 3 left');
    expect(error.truncated).toBe(true);
  });

  it('refuses length prefixes beyond safe integers', () => {
    expect(expectBencodeError(() => bdecode(bytes('99999999999999999999:'))).message).toMatch(/too large/);
    expect(expectBencodeError(() => bdecode(bytes(`${'9'.repeat(10000)}:`))).message).toMatch(/too large/);
  });

  it('refuses huge integers', () => {
    expect(expectBencodeError(() => bdecode(bytes(`i${'1'.repeat(100000)}e`))).message).toMatch(/too large/);
  });

  it('stops reading digits after 16 (the digits of Number.MAX_SAFE_INTEGER), whatever their value', () => {
    // Leading zeros keep the value small: only the digit cap refuses these, before the scan goes on.
    expect(bdecode(bytes(`i${'9'.repeat(16)}e`.replace('9', '1')))).toBe(1999999999999999);
    expect(expectBencodeError(() => bdecode(bytes(`i${'0'.repeat(16)}1e`))).message).toMatch(/integer at byte 0 is too large/);
    expect(expectBencodeError(() => bdecode(bytes(`${'0'.repeat(16)}1:a`))).message).toMatch(/string length at byte 0 is too large/);
  });
});

describe('deep nesting', () => {
  it.each([
    ['lists', 'l', 'e'],
    ['dicts', 'd1:a', 'e'],
  ])('100000 nested %s fail cleanly', (_kind, open, close) => {
    const deep = bytes(open.repeat(100_000) + 'i1e' + close.repeat(100_000));
    const error = expectBencodeError(() => bdecode(deep));
    expect(error.message).toMatch(/nesting deeper than 64 levels/);
  });

  it('allows 64 levels by default and refuses the 65th', () => {
    expect(() => bdecode(bytes('l'.repeat(64) + 'e'.repeat(64)))).not.toThrow();
    expect(expectBencodeError(() => bdecode(bytes('l'.repeat(65) + 'e'.repeat(65)))).offset).toBe(64);
  });

  it('allows deeper nesting when asked', () => {
    const deep = bytes('l'.repeat(500) + 'e'.repeat(500));
    expect(() => bdecode(deep, { maxDepth: 500 })).not.toThrow();
  });
});

describe('prototype pollution', () => {
  it('keeps __proto__, constructor and prototype as plain Map keys', () => {
    const input = bytes('d9:__proto__d8:pollutedi1ee11:constructord9:prototyped8:pollutedi1eeee');
    const dict = bdecode(input) as BDict;
    expect(dict).toBeInstanceOf(Map);
    expect([...dict.keys()]).toEqual(['__proto__', 'constructor']);
    expect(dict.get('__proto__')).toBeInstanceOf(Map);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
    expect(Object.getPrototypeOf(dict)).toBe(Map.prototype);
  });

  it('refuses a duplicate __proto__ key like any other duplicate', () => {
    expectBencodeError(() => bdecode(bytes('d9:__proto__i1e9:__proto__i2ee')));
  });
});

describe('random garbage', () => {
  it('never throws anything but BencodeError', () => {
    let seed = 12345;
    const random = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    const alphabet = bytes('ilde0123456789:-');
    for (let round = 0; round < 20000; round++) {
      const input = new Uint8Array(1 + Math.floor(random() * 24));
      for (let i = 0; i < input.length; i++) input[i] = alphabet[Math.floor(random() * alphabet.length)]!;
      try {
        bdecode(input);
      } catch (error) {
        expect(error).toBeInstanceOf(BencodeError);
      }
    }
  });
});
