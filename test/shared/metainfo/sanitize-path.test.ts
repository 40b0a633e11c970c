import { describe, expect, it } from 'vitest';
import { sanitizePathElement } from '../../../shared/metainfo/index.ts';

const s = (text: string | Uint8Array, isFileName = false) =>
  sanitizePathElement(typeof text === 'string' ? new TextEncoder().encode(text) : text, isFileName);

describe('sanitizePathElement', () => {
  it('drops "." and ".." folders, but a file name always survives as "_"', () => {
    expect(s('.')).toBeUndefined();
    expect(s('..')).toBeUndefined();
    expect(s('/')).toBeUndefined();
    expect(s('.', true)).toBe('_');
    expect(s('..', true)).toBe('_');
    expect(s('\\', true)).toBe('_');
    expect(s('...')).toBe('...');
  });

  it('turns empty elements into "_"', () => {
    expect(s('')).toBe('_');
    expect(s('', true)).toBe('_');
  });

  it('keeps ordinary names, spaces and Unicode untouched', () => {
    expect(s('Season 1')).toBe('Season 1');
    expect(s('日本語.mkv', true)).toBe('日本語.mkv');
    expect(s('foobar ')).toBe('foobar ');
  });

  it('removes separators and bidi overrides; replaces controls and invalid UTF-8', () => {
    expect(s('a/b\\c')).toBe('abc');
    expect(s('x\u202e\u200fy')).toBe('xy');
    expect(s('tab\there')).toBe('tab_here');
    expect(s(new Uint8Array([0xc0, 0xaf]))).toBe('__'); // overlong '/'
    expect(s(new Uint8Array([0xed, 0xa0, 0x80]))).toBe('___'); // surrogate
  });

  it('prefixes Windows device names', () => {
    expect(s('aux')).toBe('_aux');
    expect(s('LPT9.log')).toBe('_LPT9.log');
    expect(s('console')).toBe('console');
  });

  it('caps length at 240 bytes plus a short extension', () => {
    expect(s('b'.repeat(300))).toBe('b'.repeat(240));
    expect(s(`${'b'.repeat(300)}.tar.gz`)).toBe(`${'b'.repeat(240)}.gz`);
    expect(s(`${'b'.repeat(300)}.averyverylongextension`)).toBe('b'.repeat(240));
  });
});
