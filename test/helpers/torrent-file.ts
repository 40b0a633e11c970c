// A deliberately tiny bencode reader, independent of shared/ (the code under test): enough to find
// the info dictionary's byte span, hash it for the info-hash, and list the files of a test torrent.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';

type BValue = number | Buffer | BValue[] | BDict;
interface BDict {
  [key: string]: BValue;
}

const COLON = 0x3a;
const LETTER_E = 0x65;

class Reader {
  pos = 0;
  /** Byte span of the top-level dictionary's "info" value. */
  infoSpan: [number, number] | null = null;
  constructor(private readonly bytes: Buffer) {}

  value(depth: number): BValue {
    if (depth > 64) throw new Error(`bencode nested too deep at ${this.pos}`);
    const c = String.fromCharCode(this.bytes[this.pos]!);
    if (c === 'i') return this.integer();
    if (c === 'l') return this.list(depth);
    if (c === 'd') return this.dict(depth);
    if (c >= '0' && c <= '9') return this.string();
    throw new Error(`bad bencode byte ${JSON.stringify(c)} at ${this.pos}`);
  }

  private integer(): number {
    const end = this.bytes.indexOf(LETTER_E, this.pos);
    if (end < 0) throw new Error(`unterminated integer at ${this.pos}`);
    const n = Number(this.bytes.toString('latin1', this.pos + 1, end));
    this.pos = end + 1;
    return n;
  }

  private string(): Buffer {
    const colon = this.bytes.indexOf(COLON, this.pos);
    if (colon < 0) throw new Error(`unterminated string length at ${this.pos}`);
    const length = Number(this.bytes.toString('latin1', this.pos, colon));
    const start = colon + 1;
    if (start + length > this.bytes.length) throw new Error(`string past end at ${this.pos}`);
    this.pos = start + length;
    return this.bytes.subarray(start, start + length);
  }

  private list(depth: number): BValue[] {
    this.pos++;
    const items: BValue[] = [];
    while (this.bytes[this.pos] !== LETTER_E) items.push(this.value(depth + 1));
    this.pos++;
    return items;
  }

  private dict(depth: number): BDict {
    this.pos++;
    const dict: BDict = Object.create(null) as BDict;
    while (this.bytes[this.pos] !== LETTER_E) {
      const key = this.string().toString('utf8');
      const start = this.pos;
      dict[key] = this.value(depth + 1);
      if (depth === 0 && key === 'info') this.infoSpan = [start, this.pos];
    }
    this.pos++;
    return dict;
  }
}

export interface TorrentFileEntry {
  /** Path inside the torrent, '/'-joined, starting with the torrent's name for multi-file torrents. */
  path: string;
  length: number;
}

export interface TorrentSummary {
  /** BitTorrent v1 info-hash, lower-case hex (SHA-1 of the raw info dictionary bytes). */
  infoHash: string;
  name: string;
  pieceLength: number;
  pieceCount: number;
  totalLength: number;
  files: TorrentFileEntry[];
  /** The raw .torrent bytes. */
  bytes: Buffer;
}

export function summarizeTorrent(bytes: Buffer): TorrentSummary {
  const reader = new Reader(bytes);
  const top = reader.value(0) as BDict;
  if (!reader.infoSpan) throw new Error('torrent has no info dictionary');
  const info = top.info as BDict;
  const name = (info.name as Buffer).toString('utf8');
  const infoHash = createHash('sha1').update(bytes.subarray(...reader.infoSpan)).digest('hex');
  const files: TorrentFileEntry[] = Array.isArray(info.files)
    ? (info.files as BDict[]).map((f) => ({
        path: [name, ...(f.path as Buffer[]).map((p) => p.toString('utf8'))].join('/'),
        length: f.length as number,
      }))
    : [{ path: name, length: info.length as number }];
  return {
    infoHash,
    name,
    pieceLength: info['piece length'] as number,
    pieceCount: (info.pieces as Buffer).length / 20,
    totalLength: files.reduce((sum, f) => sum + f.length, 0),
    files,
    bytes,
  };
}

export async function readTorrentFile(path: string): Promise<TorrentSummary> {
  return summarizeTorrent(await readFile(path));
}

/** A magnet link for the torrent (info-hash, name, and trackers if given). */
export function magnetFor(summary: Pick<TorrentSummary, 'infoHash' | 'name'>, trackers: readonly string[] = []): string {
  const params = [`xt=urn:btih:${summary.infoHash}`, `dn=${encodeURIComponent(summary.name)}`];
  for (const tracker of trackers) params.push(`tr=${encodeURIComponent(tracker)}`);
  return `magnet:?${params.join('&')}`;
}
