// Typed reads of dictionary fields. Each returns undefined when the key is absent and throws a
// BencodeFieldError when it holds the wrong kind of value, so parsers (metainfo, KRPC, extension
// messages) can say which field was bad instead of crashing on a cast.

import { BencodeFieldError } from './errors.ts';
import { describeBValue, type BDict, type BValue } from './types.ts';

const utf8 = new TextDecoder('utf-8'); // not fatal: invalid sequences become U+FFFD

export function getBytes(dict: BDict, key: string): Uint8Array | undefined {
  const value = dict.get(key);
  if (value === undefined || value instanceof Uint8Array) return value;
  throw new BencodeFieldError(key, 'a byte string', describeBValue(value));
}

export function getInt(dict: BDict, key: string): number | undefined {
  const value = dict.get(key);
  if (value === undefined || typeof value === 'number') return value;
  throw new BencodeFieldError(key, 'an integer', describeBValue(value));
}

/** A byte-string field decoded as UTF-8 text. */
export function getString(dict: BDict, key: string): string | undefined {
  const bytes = getBytes(dict, key);
  return bytes === undefined ? undefined : utf8.decode(bytes);
}

export function getList(dict: BDict, key: string): BValue[] | undefined {
  const value = dict.get(key);
  if (value === undefined || Array.isArray(value)) return value;
  throw new BencodeFieldError(key, 'a list', describeBValue(value));
}

export function getDict(dict: BDict, key: string): BDict | undefined {
  const value = dict.get(key);
  if (value === undefined || value instanceof Map) return value;
  throw new BencodeFieldError(key, 'a dictionary', describeBValue(value));
}

export function isBDict(value: BValue | undefined): value is BDict {
  return value instanceof Map;
}

export function isBytes(value: BValue | undefined): value is Uint8Array {
  return value instanceof Uint8Array;
}
