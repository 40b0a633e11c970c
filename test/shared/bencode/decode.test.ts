import { describe, expect, it } from 'vitest';
import { bdecode, bdecodeDictSpans, bdecodePrefix, BencodeError } from '../../../shared/bencode/index.ts';

const bytes = (text: string) => new TextEncoder().encode(text);
const text = (value: unknown) => new TextDecoder().decode(value as Uint8Array);

function decodeError(input: string | Uint8Array): BencodeError {
  try {
    bdecode(typeof input === 'string' ? bytes(input) : input);
  } catch (error) {
    expect(error).toBeInstanceOf(BencodeError);
    return error as BencodeError;
  }
  throw new Error(`decoding ${String(input)} should have failed`);
}

describe('bdecode golden values', () => {
  it('decodes integers', () => {
    expect(bdecode(bytes('i0e'))).toBe(0);
    expect(bdecode(bytes('i42e'))).toBe(42);
    expect(bdecode(bytes('i-42e'))).toBe(-42);
    expect(bdecode(bytes(`i${Number.MAX_SAFE_INTEGER}e`))).toBe(Number.MAX_SAFE_INTEGER);
    expect(bdecode(bytes(`i-${Number.MAX_SAFE_INTEGER}e`))).toBe(-Number.MAX_SAFE_INTEGER);
  });

  it('decodes byte strings as bytes, binary-safe', () => {
    expect(text(bdecode(bytes('4:spam')))).toBe('spam');
    expect(bdecode(bytes('0:'))).toEqual(new Uint8Array());
    const binary = new Uint8Array([0x33, 0x3a, 0x00, 0xff, 0x65]);
    expect(bdecode(binary)).toEqual(new Uint8Array([0x00, 0xff, 0x65]));
  });

  it('decodes lists and dicts', () => {
    const list = bdecode(bytes('l4:spami42ee')) as unknown[];
    expect(text(list[0])).toBe('spam');
    expect(list[1]).toBe(42);
    const dict = bdecode(bytes('d3:cow3:moo4:spaml1:a1:bee')) as Map<string, unknown>;
    expect([...dict.keys()]).toEqual(['cow', 'spam']);
    expect(text(dict.get('cow'))).toBe('moo');
    expect((dict.get('spam') as unknown[]).map(text)).toEqual(['a', 'b']);
    expect(bdecode(bytes('le'))).toEqual([]);
    expect(bdecode(bytes('de'))).toEqual(new Map());
  });

  it('keys dicts by the key bytes read as latin1 (lossless)', () => {
    const input = new Uint8Array([...bytes('d2:'), 0xc3, 0xa9, ...bytes('i1ee')]);
    const dict = bdecode(input) as Map<string, unknown>;
    expect([...dict.keys()]).toEqual(['\u00c3\u00a9']);
  });

  it('accepts unsorted keys but refuses duplicates', () => {
    const dict = bdecode(bytes('d1:bi1e1:ai2ee')) as Map<string, unknown>;
    expect([...dict.keys()]).toEqual(['b', 'a']);
    const error = decodeError('d1:ai1e1:ai2ee');
    expect(error.message).toMatch(/duplicate dictionary key "a" at byte 7/);
    expect(error.offset).toBe(7);
  });
});

describe('bdecode strictness', () => {
  it.each([
    ['i03e', /leading zero/],
    ['i-0e', /negative zero/],
    ['ie', /empty integer/],
    ['i-e', /empty integer/],
    ['i1.5e', /unexpected byte/],
    ['i+1e', /unexpected byte/],
    ['i 1e', /unexpected byte/],
    ['i9007199254740992e', /too large/],
    ['i99999999999999999999e', /too large/],
    ['03:abc', /leading zero/],
    ['-1:a', /unexpected byte/],
    ['x', /unexpected byte 0x78 at byte 0/],
    ['di1ei2ee', /key at byte 1 is not a byte string/],
    ['dle1:ae', /not a byte string/],
    ['i1ei2e', /1 unexpected bytes after the value at byte 3|3 unexpected/],
    ['', /input ended at byte 0/],
  ])('refuses %j', (input, message) => {
    expect(decodeError(input).message).toMatch(message);
  });

  it('reports offsets and truncation', () => {
    const truncated = decodeError('d3:key12:abc');
    expect(truncated.message).toBe('truncated string at byte 6: 12 bytes declared, 3 left');
    expect(truncated.offset).toBe(6);
    expect(truncated.truncated).toBe(true);
    const invalid = decodeError('i03e');
    expect(invalid.truncated).toBe(false);
  });

  it('enforces maxStringBytes', () => {
    expect(() => bdecode(bytes('5:hello'), { maxStringBytes: 4 })).toThrow(/exceeds the limit of 4/);
    expect(bdecode(bytes('4:hell'), { maxStringBytes: 4 })).toEqual(bytes('hell'));
  });

  it('enforces maxDepth', () => {
    expect(bdecode(bytes('llee'), { maxDepth: 2 })).toEqual([[]]);
    expect(() => bdecode(bytes('llleee'), { maxDepth: 2 })).toThrow(/nesting deeper than 2 levels at byte 2/);
  });
});

describe('bdecodePrefix', () => {
  it('decodes one value and reports its length (BEP 9 data follows the dict)', () => {
    const message = new Uint8Array([...bytes('d8:msg_typei1e5:piecei0ee'), 1, 2, 3]);
    const { value, length } = bdecodePrefix(message);
    expect((value as Map<string, unknown>).get('msg_type')).toBe(1);
    expect(length).toBe(message.length - 3);
  });

  it('still reports truncation', () => {
    expect(() => bdecodePrefix(bytes('d8:msg_type'))).toThrow(BencodeError);
  });
});

describe('bdecodeDictSpans', () => {
  it('gives the raw span of each top-level value', () => {
    const input = bytes('d1:zi1e4:infod1:bi2e1:ai1ee1:ai0ee');
    const { value, spans, length } = bdecodeDictSpans(input);
    expect(length).toBe(input.length);
    expect(value.size).toBe(3);
    const [start, end] = spans.get('info')!;
    expect(new TextDecoder().decode(input.subarray(start, end))).toBe('d1:bi2e1:ai1ee');
    expect(spans.get('z')).toEqual([4, 7]);
  });

  it('leaves trailing bytes to the caller and refuses non-dicts', () => {
    expect(bdecodeDictSpans(bytes('de\n')).length).toBe(2);
    expect(() => bdecodeDictSpans(bytes('le'))).toThrow(/expected a dictionary at byte 0/);
    expect(() => bdecodeDictSpans(new Uint8Array())).toThrow(BencodeError);
  });
});
