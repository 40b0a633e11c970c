import { describe, expect, it } from 'vitest';
import {
  bdecode,
  BencodeFieldError,
  getBytes,
  getDict,
  getInt,
  getList,
  getString,
  type BDict,
} from '../../../shared/bencode/index.ts';

const dict = bdecode(new TextEncoder().encode('d1:di1e1:ii7e1:lli1ee1:s5:hello1:bd0:0:ee')) as BDict;

describe('typed dict reads', () => {
  it('reads each type', () => {
    expect(getInt(dict, 'i')).toBe(7);
    expect(getString(dict, 's')).toBe('hello');
    expect(getBytes(dict, 's')).toBeInstanceOf(Uint8Array);
    expect(getList(dict, 'l')).toEqual([1]);
    expect(getDict(dict, 'b')).toBeInstanceOf(Map);
  });

  it('decodes text as UTF-8', () => {
    const utf8 = bdecode(new Uint8Array([0x64, 0x31, 0x3a, 0x73, 0x32, 0x3a, 0xc3, 0xa9, 0x65])) as BDict;
    expect(getString(utf8, 's')).toBe('é');
  });

  it('returns undefined for absent keys', () => {
    expect(getInt(dict, 'missing')).toBeUndefined();
    expect(getBytes(dict, 'missing')).toBeUndefined();
    expect(getString(dict, 'missing')).toBeUndefined();
    expect(getList(dict, 'missing')).toBeUndefined();
    expect(getDict(dict, 'missing')).toBeUndefined();
  });

  it('throws a typed error naming the field on the wrong type', () => {
    expect(() => getInt(dict, 's')).toThrow(BencodeFieldError);
    expect(() => getInt(dict, 's')).toThrow('field "s" should be an integer but is a byte string');
    expect(() => getBytes(dict, 'i')).toThrow('field "i" should be a byte string but is an integer');
    expect(() => getList(dict, 'b')).toThrow('should be a list but is a dictionary');
    expect(() => getDict(dict, 'l')).toThrow('should be a dictionary but is a list');
    expect(() => getString(dict, 'd')).toThrow(BencodeFieldError);
  });
});
