// Agreement with libtorrent itself: libtorrent-expected.json is what python3-libtorrent (2.0.8)
// makes of each fixture (make-libtorrent-expected.py). The info-hash is also checked against an
// independent computation: node:crypto SHA-1 over the info span found by a reference parser below.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseTorrent, type Metainfo } from '../../../shared/metainfo/index.ts';
import { readFixture, readManifest } from '../bencode/fixtures.ts';

interface ExpectedFile {
  path: string;
  length: number;
  offset: number;
  padding: boolean;
  symlink: boolean;
}
interface Expected {
  error?: string;
  infoHash: string;
  name: string;
  pieceLength: number;
  pieceCount: number;
  totalLength: number;
  private: boolean;
  files: ExpectedFile[];
  trackers: [string, number][];
  webSeeds: string[];
  comment: string;
  createdBy: string;
  creationDate: number;
}

const expectations = JSON.parse(readFileSync(new URL('./libtorrent-expected.json', import.meta.url), 'utf8')) as {
  torrents: Record<string, Expected>;
};
const manifest = readManifest();
// duplicate_files2: libtorrent 2.0.8 loads it; newer libtorrent (the manifest) refuses it, as we do.
const loaded = Object.entries(expectations.torrents).filter(
  ([name, expected]) => expected.error === undefined && manifest[name]!.valid,
);

// Where we knowingly differ from libtorrent, and why.
const FILE_LIST_DIFFERENCES: Record<string, string> = {
  // hybrid: libtorrent lists files in v2 file-tree order; we keep the v1 order (same offsets)
  'empty-files-2.torrent': 'v1 order',
  // a pad file without a path: libtorrent files it under ".pad/" at the top; we keep it in the folder
  'pad_file_no_path.torrent': 'pad file kept inside the torrent folder',
};

/** Reference: the [start, end) of the top-level "info" value, by a separate minimal parser. */
function referenceInfoSpan(bytes: Uint8Array): [number, number] {
  const skip = (at: number): number => {
    const c = bytes[at]!;
    if (c === 0x69) return bytes.indexOf(0x65, at) + 1; // i…e
    if (c === 0x6c || c === 0x64) {
      let p = at + 1;
      while (bytes[p] !== 0x65) p = skip(p);
      return p + 1;
    }
    const colon = bytes.indexOf(0x3a, at);
    return colon + 1 + Number(new TextDecoder().decode(bytes.subarray(at, colon)));
  };
  let p = 1;
  while (bytes[p] !== 0x65) {
    const keyEnd = skip(p);
    const key = new TextDecoder().decode(bytes.subarray(bytes.indexOf(0x3a, p) + 1, keyEnd));
    const valueEnd = skip(keyEnd);
    if (key === 'info') return [keyEnd, valueEnd];
    p = valueEnd;
  }
  throw new Error('no info');
}

function comparableFiles(meta: Metainfo): ExpectedFile[] {
  return meta.files.map((file) => ({
    path: file.path,
    length: file.length,
    offset: file.offset,
    padding: file.padding,
    symlink: file.symlinkTarget !== undefined,
  }));
}

describe('agreement with libtorrent', () => {
  it('has expectations for every loadable non-v2 fixture', () => {
    expect(loaded.length).toBe(54);
  });

  it.each(loaded)('%s', (name, expected) => {
    const bytes = readFixture(name);
    const meta = parseTorrent(bytes);
    expect(meta.infoHashHex).toBe(expected.infoHash);
    const [start, end] = referenceInfoSpan(bytes);
    expect(createHash('sha1').update(bytes.subarray(start, end)).digest('hex')).toBe(expected.infoHash);
    expect(meta.infoBytes).toEqual(bytes.subarray(start, end));

    expect(meta.name).toBe(expected.name);
    expect(meta.pieceLength).toBe(expected.pieceLength);
    expect(meta.pieceCount).toBe(expected.pieceCount);
    expect(meta.totalLength).toBe(expected.totalLength);
    expect(meta.private).toBe(expected.private);
    if (FILE_LIST_DIFFERENCES[name] === undefined) expect(comparableFiles(meta)).toEqual(expected.files);
    else expect(comparableFiles(meta)).not.toEqual(expected.files);

    // libtorrent keeps scheme-less tracker URLs; we keep only http(s), udp and ws(s).
    const usableTrackers = expected.trackers.map(([url]) => url).filter((url) => /^(https?|udp|wss?):\/\//.test(url));
    expect(meta.announce.flat()).toEqual(usableTrackers);
    // libtorrent's web seeds include BEP 17 `httpseeds`, a different protocol we do not list.
    const bep17 = name === 'httpseed.torrent' ? ['http://foobar.com/'] : [];
    expect(meta.urlList).toEqual(expected.webSeeds.filter((url) => !bep17.includes(url)));

    expect(meta.comment ?? '').toBe(expected.comment);
    expect(meta.createdBy ?? '').toBe(expected.createdBy);
    expect(meta.creationDate ?? 0).toBe(expected.creationDate);
  });
});
