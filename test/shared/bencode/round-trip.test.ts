// decode → encode gives back the original bytes for every canonical fixture. The others are listed
// with the reason, so a change in what we accept shows up here.
import { describe, expect, it } from 'vitest';
import { bdecode, bencode, BencodeError } from '../../../shared/bencode/index.ts';
import { fixtureNames, readFixture } from './fixtures.ts';

// Decode fine, but keys are not sorted, so a canonical re-encoding differs.
const UNSORTED_KEYS = new Set([
  'invalid_file_size.torrent',
  'negative_file_size.torrent',
  'pad_file.torrent',
  'pad_file_no_path.torrent',
  'unordered.torrent',
  'v2_unordered_files.torrent',
]);
// Refused by the strict decoder, with the reason.
const NOT_STRICT_BENCODE: Record<string, RegExp> = {
  'bad_name.torrent': /duplicate dictionary key "path"/,
  'duplicate_files2.torrent': /1 unexpected bytes after the value/,
  'large_piece_size.torrent': /1 unexpected bytes after the value/, // a trailing '\n'
  'v2_deep_recursion.torrent': /nesting deeper than 64 levels/,
  'v2_empty_filename.torrent': /2 unexpected bytes after the value/,
  'v2_invalid_filename2.torrent': /1 unexpected bytes after the value/,
  'v2_invalid_piece_layer_root.torrent': /1 unexpected bytes after the value/,
  'v2_overlong_integer.torrent': /leading zero/,
  'v2_unknown_piece_layer_entry.torrent': /1 unexpected bytes after the value/,
};

describe('byte-exact round trip of fixture torrents', () => {
  const names = fixtureNames();

  it('covers the whole fixture folder', () => {
    expect(names.length).toBeGreaterThan(100);
  });

  it.each(names)('%s', (name) => {
    const original = readFixture(name);
    const refusal = NOT_STRICT_BENCODE[name];
    if (refusal !== undefined) {
      expect(() => bdecode(original)).toThrow(BencodeError);
      expect(() => bdecode(original)).toThrow(refusal);
      return;
    }
    const reencoded = bencode(bdecode(original));
    if (UNSORTED_KEYS.has(name)) expect(reencoded).not.toEqual(original);
    else expect(reencoded).toEqual(original);
  });
});
