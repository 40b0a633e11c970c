// Metainfo (shared/metainfo): .torrent files (parseTorrent) and bare info dicts as learned over
// BEP 9 (parseInfoDict). An accepted torrent must keep its promises: consistent sizes, one hash
// per piece, safe relative paths, no two files on one path.

import { bdecodeDictSpans, bencode } from '../../../shared/bencode/index.ts';
import { MetainfoError, parseInfoDict, parseTorrent, type Metainfo } from '../../../shared/metainfo/index.ts';
import { check, type FuzzTarget } from '../target.ts';
import { smallTorrentFixtures } from './fixtures.ts';

export const METAINFO_KEYS = [
  'info', 'name', 'name.utf-8', 'piece length', 'pieces', 'length', 'files', 'path', 'path.utf-8', 'attr',
  'symlink path', 'private', 'announce', 'announce-list', 'url-list', 'comment', 'created by', 'creation date',
  'meta version', 'file tree', 'pieces root', '', '..', '.', '/', 'CON', 'p', 'l', 'x', 'h', '_____padding_file_',
  'http://t.example/a', 'udp://t.example:80', '\u00e9\u00ff',
];

function checkMetainfo(meta: Metainfo): void {
  check(meta.infoHash.length === 20, 'info-hash is not 20 bytes');
  check(meta.pieceHashes.length === meta.pieceCount * 20, 'piece hashes do not match the piece count');
  check(meta.pieceCount === Math.ceil(meta.totalLength / meta.pieceLength), 'piece count does not match the length');
  const paths = new Set<string>();
  let offset = 0;
  for (const file of meta.files) {
    check(file.offset === offset && file.length >= 0, `file ${file.index} has offset ${file.offset}, expected ${offset}`);
    offset += file.length;
    check(file.path === file.pathSegments.join('/'), `file ${file.index} path and segments disagree`);
    for (const segment of file.pathSegments) {
      check(segment !== '' && segment !== '.' && segment !== '..' && !/[/\\]/.test(segment), `unsafe path segment ${JSON.stringify(segment)}`);
    }
    if (file.padding) continue;
    const folded = file.path.replace(/[A-Z]+/g, (s) => s.toLowerCase());
    check(!paths.has(folded), `two files share the path ${JSON.stringify(file.path)}`);
    paths.add(folded);
  }
  check(offset === meta.totalLength, 'file lengths do not add up to the total');
}

function infoDicts(): Uint8Array[] {
  const dicts: Uint8Array[] = [];
  for (const torrent of smallTorrentFixtures()) {
    try {
      const span = bdecodeDictSpans(torrent).spans.get('info');
      if (span) dicts.push(torrent.slice(span[0], span[1]));
    } catch {
      // a fixture that is not bencode at all has no info dict to offer
    }
  }
  return dicts;
}

const minimalInfo = { length: 5, name: 'a.txt', 'piece length': 16384, pieces: new Uint8Array(20) };

export const metainfoTarget: FuzzTarget = {
  name: 'metainfo',
  bencode: true,
  dictionary: METAINFO_KEYS,
  seeds: () => [bencode({ announce: 'http://t.example/announce', info: minimalInfo }), ...smallTorrentFixtures()],
  typedErrors: [MetainfoError],
  run(input) {
    checkMetainfo(parseTorrent(input));
  },
};

export const infoDictTarget: FuzzTarget = {
  name: 'info-dict',
  bencode: true,
  dictionary: METAINFO_KEYS,
  seeds: () => [bencode(minimalInfo), ...infoDicts()],
  typedErrors: [MetainfoError],
  run(input) {
    checkMetainfo(parseInfoDict(input));
  },
};
