import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { bencode, type BEncodable } from '../../../shared/bencode/index.ts';
import {
  MAX_FILE_COUNT,
  MetainfoError,
  parseInfoDict,
  parseTorrent,
  pieceHash,
  pieceSize,
  type MetainfoErrorCode,
} from '../../../shared/metainfo/index.ts';

const encoder = new TextEncoder();
const concat = (...parts: (string | Uint8Array)[]) =>
  new Uint8Array(parts.flatMap((part) => [...(typeof part === 'string' ? encoder.encode(part) : part)]));
const sha1Hex = (bytes: Uint8Array) => createHash('sha1').update(bytes).digest('hex');
const hashes = (count: number) => new Uint8Array(20 * count).map((_, i) => i % 251);

function info(overrides: Record<string, BEncodable | undefined> = {}): Record<string, BEncodable | undefined> {
  return { name: 'film', 'piece length': 16384, length: 40000, pieces: hashes(3), ...overrides };
}

function torrent(infoDict: BEncodable, top: Record<string, BEncodable | undefined> = {}): Uint8Array {
  return bencode({ info: infoDict, ...top });
}

function refusal(bytes: Uint8Array): MetainfoError {
  try {
    parseTorrent(bytes);
  } catch (error) {
    expect(error).toBeInstanceOf(MetainfoError);
    return error as MetainfoError;
  }
  throw new Error('expected a MetainfoError');
}

describe('parseTorrent: single file', () => {
  it('reads the basics', () => {
    const meta = parseTorrent(torrent(info(), { announce: 'http://tracker.example/announce', comment: 'hi', 'created by': 'me', 'creation date': 1700000000 }));
    expect(meta.name).toBe('film');
    expect(meta.pieceLength).toBe(16384);
    expect(meta.pieceCount).toBe(3);
    expect(meta.totalLength).toBe(40000);
    expect(meta.files).toEqual([{ index: 0, path: 'film', pathSegments: ['film'], length: 40000, offset: 0, padding: false }]);
    expect(meta.announce).toEqual([['http://tracker.example/announce']]);
    expect(meta.urlList).toEqual([]);
    expect(meta.private).toBe(false);
    expect(meta.comment).toBe('hi');
    expect(meta.createdBy).toBe('me');
    expect(meta.creationDate).toBe(1700000000);
    expect(meta.infoHashHex).toBe(sha1Hex(bencode(info())));
  });

  it('pieceSize and pieceHash', () => {
    const meta = parseTorrent(torrent(info()));
    expect([0, 1, 2].map((i) => pieceSize(meta, i))).toEqual([16384, 16384, 40000 - 2 * 16384]);
    expect(pieceHash(meta, 1)).toEqual(hashes(3).subarray(20, 40));
    expect(() => pieceSize(meta, 3)).toThrow(RangeError);
    expect(() => pieceHash(meta, -1)).toThrow(/piece -1 does not exist/);
  });

  it('an exact multiple of the piece length has a full last piece', () => {
    const meta = parseTorrent(torrent(info({ length: 32768, pieces: hashes(2) })));
    expect(pieceSize(meta, 1)).toBe(16384);
  });

  it('reads private (BEP 27)', () => {
    expect(parseTorrent(torrent(info({ private: 1 }))).private).toBe(true);
    expect(parseTorrent(torrent(info({ private: 0 }))).private).toBe(false);
  });
});

describe('the info-hash covers the raw info bytes', () => {
  it('hashes an info dict with unsorted keys as it is, never re-encoded', () => {
    const rawInfo = concat('d6:pieces60:', hashes(3), '4:name4:film12:piece lengthi16384e6:lengthi40000ee');
    const file = concat('d8:announce9:udp://x:14:info', rawInfo, 'e');
    const meta = parseTorrent(file);
    expect(meta.infoHashHex).toBe(sha1Hex(rawInfo));
    expect(meta.infoHashHex).not.toBe(sha1Hex(bencode(info())));
    expect(meta.infoBytes).toEqual(rawInfo);
  });

  it('parseInfoDict gives the same result without trackers', () => {
    const file = torrent(info(), { announce: 'udp://tracker.example:6969' });
    const fromFile = parseTorrent(file);
    const fromInfo = parseInfoDict(fromFile.infoBytes);
    expect(fromInfo.infoHashHex).toBe(fromFile.infoHashHex);
    expect(fromInfo.files).toEqual(fromFile.files);
    expect(fromInfo.announce).toEqual([]);
    expect(fromFile.announce).toEqual([['udp://tracker.example:6969']]);
  });

  it('parseInfoDict refuses trailing bytes and non-dicts', () => {
    expect(() => parseInfoDict(concat(bencode(info()), 'x'))).toThrow(MetainfoError);
    expect(() => parseInfoDict(bencode([1]))).toThrow(/not a dictionary/);
  });

  it('infoBytes is a copy, not a view of the caller buffer', () => {
    const file = torrent(info());
    const meta = parseTorrent(file);
    file.fill(0);
    expect(meta.infoHashHex).toBe(sha1Hex(meta.infoBytes));
  });
});

describe('multi-file torrents', () => {
  const files = [
    { length: 10, path: ['a', 'one.txt'] },
    { length: 0, path: ['empty'] },
    { length: 16374, attr: 'p', path: ['.pad', '16374'] },
    { length: 20000, path: ['b', 'two.bin'] },
  ];

  it('computes offsets and flags pad files (BEP 47)', () => {
    const meta = parseTorrent(torrent({ name: 'pack', 'piece length': 16384, files, pieces: hashes(3) }));
    expect(meta.totalLength).toBe(36384);
    expect(meta.files.map((f) => [f.path, f.offset, f.padding])).toEqual([
      ['pack/a/one.txt', 0, false],
      ['pack/empty', 10, false],
      ['pack/.pad/16374', 10, true],
      ['pack/b/two.bin', 16384, false],
    ]);
  });

  it('flags BitComet pad files by name', () => {
    const meta = parseTorrent(torrent({ name: 'p', 'piece length': 16384, files: [{ length: 5, path: ['x'] }, { length: 5, path: ['_____padding_file_0'] }], pieces: hashes(1) }));
    expect(meta.files[1]!.padding).toBe(true);
  });

  it('prefers path.utf-8 and name.utf-8', () => {
    const meta = parseTorrent(torrent({
      name: 'caf\xe9', 'name.utf-8': 'café', 'piece length': 16384, pieces: hashes(1),
      files: [{ length: 5, path: [new Uint8Array([0x63, 0xe9])], 'path.utf-8': ['cé'] }],
    }));
    expect(meta.name).toBe('café');
    expect(meta.files[0]!.path).toBe('café/cé');
  });

  it('reads symlinks (BEP 47) as zero-length files with a sanitised target', () => {
    const meta = parseTorrent(torrent({
      name: 't', 'piece length': 16384, pieces: hashes(1),
      files: [{ length: 5, path: ['real'] }, { attr: 'l', length: 99, path: ['link'], 'symlink path': ['..', 'real'] }],
    }));
    expect(meta.totalLength).toBe(5);
    expect(meta.files[1]).toMatchObject({ path: 't/link', length: 0, symlinkTarget: 't/real' });
  });

  it('renames duplicates, case-insensitively, and files that clash with folders', () => {
    const meta = parseTorrent(torrent({
      name: 't', 'piece length': 16384, pieces: hashes(1),
      files: [
        { length: 1, path: ['Read.me'] },
        { length: 1, path: ['read.ME'] },
        { length: 1, path: ['dir'] },
        { length: 1, path: ['dir', 'x'] },
      ],
    }));
    expect(meta.files.map((f) => f.path)).toEqual(['t/Read.me', 't/read.1.ME', 't/dir.1', 't/dir/x']);
  });

  it('handles a file 20,000 directories deep in linear time', () => {
    // Every directory prefix used to be joined, folded and hashed: 17 s for this 60 KB torrent.
    const path = Array.from({ length: 20_000 }, () => 'd');
    const bytes = torrent({ name: 't', 'piece length': 16384, pieces: hashes(1), files: [{ length: 1, path }, { length: 1, path: ['D'] }] });
    const started = performance.now();
    const meta = parseTorrent(bytes);
    expect(performance.now() - started).toBeLessThan(3000);
    expect(meta.files[0]!.pathSegments).toHaveLength(20_001);
    expect(meta.files[1]!.path).toBe('t/D.1'); // 'd' is a directory of the first file
  });

  it('refuses too many files', () => {
    const entries = Array.from({ length: MAX_FILE_COUNT + 1 }, () => new Map());
    const bytes = torrent({ name: 't', 'piece length': 16384, pieces: hashes(1), files: entries });
    expect(refusal(bytes).message).toMatch(/1000001 files/);
  });
});

describe('hostile paths are made safe', () => {
  const pathOf = (path: BEncodable[], name: BEncodable = 'root') =>
    parseTorrent(torrent({ name, 'piece length': 16384, pieces: hashes(1), files: [{ length: 1, path }] })).files[0]!.path;

  it.each([
    [['..', '..', 'etc', 'passwd'], 'root/etc/passwd'],
    [['/etc', 'passwd'], 'root/etc/passwd'],
    [['a/../../b'], 'root/a....b'],
    [['C:\\Windows', 'x'], 'root/C:Windows/x'],
    [['.', 'x'], 'root/x'],
    [['x', '..'], 'root/x/_'],
    [['', 'x'], 'root/_/x'],
    [['CON'], 'root/_CON'],
    [['nul.txt'], 'root/_nul.txt'],
    [['com1', 'x'], 'root/_com1/x'],
    [['a\u0000b\u001fc'], 'root/a_b_c'],
    [['evil\u202egpj.exe'], 'root/evilgpj.exe'],
    [[new Uint8Array([0x61, 0xff, 0x62])], 'root/a_b'],
  ])('%j → %s', (path, expected) => {
    expect(pathOf(path)).toBe(expected);
  });

  it('an unusable folder name becomes the info-hash', () => {
    const bytes = torrent({ name: '..', 'piece length': 16384, pieces: hashes(1), files: [{ length: 1, path: ['x'] }] });
    const meta = parseTorrent(bytes);
    expect(meta.name).toBe(meta.infoHashHex);
    expect(meta.files[0]!.path).toBe(`${meta.infoHashHex}/x`);
  });

  it('cuts long names to at most 255 bytes, keeping the extension', () => {
    const ascii = pathOf(['a'.repeat(400) + '.mkv']);
    expect(ascii).toBe(`root/${'a'.repeat(240)}.mkv`);
    const wide = pathOf(['\u{1F600}'.repeat(200) + '.txt']).slice('root/'.length);
    expect(encoder.encode(wide).length).toBeLessThanOrEqual(255);
    expect(wide.endsWith('.txt')).toBe(true);
    expect(wide.includes('\uFFFD')).toBe(false);
  });
});

describe('refusals', () => {
  it.each<[string, Uint8Array, MetainfoErrorCode, RegExp?]>([
    ['not bencode', encoder.encode('hello'), 'not_a_dict'],
    ['damaged bencode', encoder.encode('d4:infod'), 'invalid_bencoding', /damaged/],
    ['no info', bencode({ announce: 'x' }), 'missing_info'],
    ['piece length 0', torrent(info({ 'piece length': 0 })), 'missing_piece_length'],
    ['piece length over 512 MiB', torrent(info({ 'piece length': 2 ** 30 })), 'missing_piece_length'],
    ['no name', torrent(info({ name: undefined })), 'missing_name'],
    ['negative length', torrent(info({ length: -1 })), 'invalid_length', /negative length/],
    ['no length', torrent(info({ length: undefined })), 'invalid_length'],
    ['over 2^50 bytes', torrent(info({ length: 2 ** 50 + 1, 'piece length': 2 ** 29 })), 'invalid_length'],
    [
      'files adding up to over 2^50 bytes',
      torrent(info({ length: undefined, 'piece length': 2 ** 29, files: [{ length: 2 ** 49, path: ['a'] }, { length: 2 ** 49 + 1, path: ['b'] }] })),
      'invalid_length',
      /larger than 1125899906842624 bytes/,
    ],
    ['too many pieces', torrent(info({ length: 16384 * (2 ** 21 + 1) })), 'too_many_pieces'],
    ['missing pieces', torrent(info({ pieces: undefined })), 'missing_pieces'],
    ['pieces not a multiple of 20', torrent(info({ pieces: new Uint8Array(59) })), 'invalid_hashes'],
    ['too few hashes', torrent(info({ pieces: hashes(2) })), 'invalid_hashes', /need 60/],
    ['empty torrent', torrent(info({ length: 0, pieces: new Uint8Array() })), 'invalid_length', /no data/],
    ['file entry not a dict', torrent(info({ length: undefined, files: [1] })), 'invalid_file', /file 0/],
    ['v2 only', torrent({ name: 'x', 'piece length': 16384, 'meta version': 2, 'file tree': {} }), 'unsupported_v2', /^BitTorrent v2 is not supported yet$/],
    ['unknown version', torrent(info({ 'meta version': 3 })), 'unknown_version'],
    ['hybrid with odd piece length', torrent(info({ 'meta version': 2, 'piece length': 20000, pieces: hashes(2) })), 'missing_piece_length'],
  ])('%s', (_label, bytes, code, message) => {
    const error = refusal(bytes);
    expect(error.code).toBe(code);
    if (message) expect(error.message).toMatch(message);
  });

  it('accepts a piece length of exactly 512 MiB', () => {
    expect(parseTorrent(torrent(info({ 'piece length': 2 ** 29, pieces: hashes(1) }))).pieceLength).toBe(2 ** 29);
  });

  it('reads only the first 16 bytes of a BEP 47 attr (a 1 MB attr string is no problem)', () => {
    const attr = new Uint8Array(1 << 20).fill(0x78); // 'x'
    attr[0] = 0x70; // 'p': a pad file
    const meta = parseTorrent(torrent(info({ length: undefined, files: [{ length: 39999, path: ['a'] }, { length: 1, attr, path: ['p'] }] })));
    expect(meta.files[1]!.padding).toBe(true);
  });

  it('accepts a non-power-of-two piece length in v1 (BEP 3 does not require it)', () => {
    expect(parseTorrent(torrent(info({ 'piece length': 20000, pieces: hashes(2) }))).pieceCount).toBe(2);
  });

  it('ignores trailing bytes after the top-level dict, as libtorrent does', () => {
    expect(parseTorrent(concat(torrent(info()), '\n')).name).toBe('film');
  });
});

describe('trackers and web seeds', () => {
  it('reads announce-list tiers (BEP 12), deduplicated, keeping usable schemes only', () => {
    const meta = parseTorrent(torrent(info(), {
      announce: 'http://ignored.example/announce',
      'announce-list': [
        ['udp://a.example:80', ' http://b.example/announce '],
        ['udp://a.example:80', 'dht://nope', 'tracker.example:80/announce'],
        ['wss://c.example/announce', 'HTTPS://d.example/a'],
        [],
        'not a tier',
        [5],
      ],
    }));
    expect(meta.announce).toEqual([
      ['udp://a.example:80', 'http://b.example/announce'],
      ['wss://c.example/announce', 'HTTPS://d.example/a'],
    ]);
  });

  it('falls back to announce when announce-list yields nothing', () => {
    const meta = parseTorrent(torrent(info(), { announce: '\t udp://t.example:1 ', 'announce-list': [['x']] }));
    expect(meta.announce).toEqual([['udp://t.example:1']]);
  });

  it('reads url-list (BEP 19) as a string or list', () => {
    expect(parseTorrent(torrent(info(), { 'url-list': 'http://s.example/film' })).urlList).toEqual(['http://s.example/film']);
    const multi = torrent(
      { name: 'p', 'piece length': 16384, pieces: hashes(1), files: [{ length: 1, path: ['a'] }, { length: 1, path: ['b'] }] },
      { 'url-list': ['http://s.example/p', 'http://s.example/p/', 'ftp://s.example/p', 'http://s.example/a b'] },
    );
    expect(parseTorrent(multi).urlList).toEqual(['http://s.example/p/', 'http://s.example/a%20b/']);
  });

  it('skips 100,000 junk tracker and web seed entries in linear time', () => {
    // Each junk URL used to make `new URL` throw: seconds for this 600 KB torrent.
    const junk = Array.from({ length: 100_000 }, () => 'a');
    const bytes = torrent(info(), { 'announce-list': [junk, ['http://t.example/a']], 'url-list': junk });
    const started = performance.now();
    const meta = parseTorrent(bytes);
    expect(performance.now() - started).toBeLessThan(2000);
    expect(meta.announce).toEqual([['http://t.example/a']]);
    expect(meta.urlList).toEqual([]);
  });
});
