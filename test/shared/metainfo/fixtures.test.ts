// Every torrent of libtorrent's conformance suite: load the ones libtorrent loads, refuse the ones
// it refuses, for the same reason (manifest.json, see the fixture README).
import { describe, expect, it } from 'vitest';
import { MetainfoError, parseTorrent, type MetainfoErrorCode } from '../../../shared/metainfo/index.ts';
import { readFixture, readManifest } from '../bencode/fixtures.ts';

const manifest = readManifest();
const names = Object.keys(manifest).sort();

// libtorrent error → our code.
const CODE_FOR_LIBTORRENT_ERROR: Record<string, MetainfoErrorCode> = {
  torrent_is_no_dict: 'not_a_dict',
  torrent_missing_info: 'missing_info',
  torrent_missing_piece_length: 'missing_piece_length',
  torrent_missing_name: 'missing_name',
  torrent_invalid_name: 'invalid_name',
  torrent_invalid_length: 'invalid_length',
  torrent_missing_pieces: 'missing_pieces',
  torrent_invalid_hashes: 'invalid_hashes',
  too_many_pieces_in_torrent: 'too_many_pieces',
  no_files_in_torrent: 'no_files',
  too_many_duplicate_filenames: 'too_many_duplicate_filenames',
};
// Refused for another (earlier) reason than libtorrent gives.
const OTHER_REASON: Record<string, MetainfoErrorCode> = {
  // a file entry holds the key "path" twice: our strict decoder stops there
  'bad_name.torrent': 'invalid_bencoding',
};

function refusal(name: string): MetainfoError {
  try {
    parseTorrent(readFixture(name));
  } catch (error) {
    expect(error).toBeInstanceOf(MetainfoError);
    return error as MetainfoError;
  }
  throw new Error(`${name} should have been refused`);
}

describe('libtorrent fixtures (v1)', () => {
  const v1Names = names.filter((name) => !name.startsWith('v2_'));

  it('covers the manifest', () => {
    expect(v1Names.length).toBe(75);
  });

  it.each(v1Names.filter((name) => manifest[name]!.valid))('loads %s', (name) => {
    const meta = parseTorrent(readFixture(name));
    expect(meta.infoHash).toHaveLength(20);
    expect(meta.files.length).toBeGreaterThan(0);
    expect(meta.pieceHashes.length).toBe(meta.pieceCount * 20);
    for (const file of meta.files) {
      for (const segment of file.pathSegments) {
        expect(segment).not.toMatch(/^\.{0,2}$/);
        expect(segment).not.toMatch(/[/\\\u0000-\u001f]/);
        expect(new TextEncoder().encode(segment).length).toBeLessThanOrEqual(255);
      }
    }
  });

  it.each(v1Names.filter((name) => !manifest[name]!.valid))('refuses %s', (name) => {
    const error = refusal(name);
    const expected = OTHER_REASON[name] ?? CODE_FOR_LIBTORRENT_ERROR[manifest[name]!.libtorrent_error!];
    expect(expected).toBeDefined();
    expect(error.code).toBe(expected);
    expect(error.message.length).toBeGreaterThan(10);
  });
});

describe('libtorrent fixtures (v2: BEP 52)', () => {
  const v2Names = names.filter((name) => name.startsWith('v2_'));

  it.each(v2Names.filter((name) => manifest[name]!.valid))('%s loads as v1 (hybrid) or is reported as v2', (name) => {
    try {
      const meta = parseTorrent(readFixture(name));
      expect(meta.pieceHashes.length).toBe(meta.pieceCount * 20);
    } catch (error) {
      expect(error).toBeInstanceOf(MetainfoError);
      expect((error as MetainfoError).code).toBe('unsupported_v2');
      expect((error as Error).message).toBe('BitTorrent v2 is not supported yet');
    }
  });

  it.each(v2Names.filter((name) => !manifest[name]!.valid))('refuses %s', (name) => {
    expect(refusal(name).message.length).toBeGreaterThan(10);
  });

  it('loads the hybrids as v1', () => {
    for (const name of ['v2_hybrid.torrent', 'v2_multipiece_file.torrent', 'v2_empty_file.torrent', 'v2.torrent']) {
      expect(() => parseTorrent(readFixture(name))).not.toThrow();
    }
  });
});
