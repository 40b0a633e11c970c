import type { Metainfo } from '../../../shared/metainfo/index.ts';
import { Bitfield } from '../../../shared/bitfield.ts';
import type { BlockRef } from '../../../shared/peer-wire/index.ts';
import type { Transport } from '../transport.ts';

/** What a web seed needs from its torrent: blocks to fetch, and where to deliver them. */
export interface WebSeedHost {
  readonly meta: Metainfo;
  readonly transport: Transport;
  /** Blocks to fetch for this seed (it has every piece). */
  pickBlocks(seed: WebSeed, count: number): BlockRef[];
  /** Gives blocks back to the picker after a failed request. */
  returnBlocks(seed: WebSeed, blocks: BlockRef[]): void;
  onBlock(seed: WebSeed, block: BlockRef, bytes: Uint8Array): void;
  onWebSeedFailed(seed: WebSeed, message: string): void;
}

const BLOCKS_PER_REQUEST = 16; // 256 KiB of 16 KiB blocks per HTTP request
const REQUESTS_IN_FLIGHT = 2;
const MAX_FAILURES = 5;
const RETRY_MS = 30_000;

/** One byte range of one file, in torrent offsets. */
interface FileRange {
  url: string;
  fileStart: number;
  length: number;
}

/**
 * A BEP 19 (GetRight-style) web seed: an HTTP server holding the torrent's files. It behaves like
 * a peer that has everything: it takes runs of blocks from the picker and fetches them with Range
 * requests through the gateway (the byte range is a field of the HTTP_GET frame).
 */
export class WebSeed {
  readonly all: Bitfield;
  private inFlight = 0;
  private failures = 0;
  private pausedUntil = 0;
  disabled = false;

  constructor(readonly url: string, private readonly host: WebSeedHost) {
    this.all = Bitfield.full(host.meta.pieceCount);
  }

  get id(): string {
    return `webseed ${this.url}`;
  }

  /** Starts requests while there is room; called on every torrent tick and after each answer. */
  fill(now = Date.now()): void {
    while (!this.disabled && now >= this.pausedUntil && this.inFlight < REQUESTS_IN_FLIGHT) {
      const blocks = this.host.pickBlocks(this, BLOCKS_PER_REQUEST);
      if (blocks.length === 0) return;
      for (const run of contiguousRuns(blocks)) void this.fetchRun(run);
    }
  }

  private async fetchRun(blocks: BlockRef[]): Promise<void> {
    this.inFlight++;
    const meta = this.host.meta;
    const first = blocks[0]!;
    const start = first.piece * meta.pieceLength + first.offset;
    const length = blocks.reduce((n, b) => n + b.length, 0);
    try {
      const bytes = await this.fetchRange(start, length);
      this.failures = 0;
      let offset = 0;
      for (const block of blocks) {
        this.host.onBlock(this, block, bytes.subarray(offset, offset + block.length));
        offset += block.length;
      }
    } catch (error) {
      this.host.returnBlocks(this, blocks);
      this.failures++;
      this.pausedUntil = Date.now() + RETRY_MS;
      if (this.failures >= MAX_FAILURES) this.disabled = true;
      this.host.onWebSeedFailed(this, (error as Error).message);
    } finally {
      this.inFlight--;
    }
  }

  /** Fetches torrent bytes [start, start+length), which may span several files. */
  private async fetchRange(start: number, length: number): Promise<Uint8Array> {
    const out = new Uint8Array(length);
    let filled = 0;
    for (const range of this.fileRanges(start, length)) {
      const bytes = { start: range.fileStart, end: range.fileStart + range.length - 1 };
      const result = await this.host.transport.httpGet(range.url, { maxBytes: range.length, timeoutMs: 30_000, range: bytes });
      if (result.status !== 206 && !(result.status === 200 && range.fileStart === 0)) {
        throw new Error(`web seed answered HTTP ${result.status}`);
      }
      if (result.body.length < range.length) throw new Error('web seed sent a short body');
      out.set(result.body.subarray(0, range.length), filled);
      filled += range.length;
    }
    return out;
  }

  private fileRanges(start: number, length: number): FileRange[] {
    const meta = this.host.meta;
    const end = start + length;
    const ranges: FileRange[] = [];
    for (const file of meta.files) {
      const fileEnd = file.offset + file.length;
      if (file.length === 0 || fileEnd <= start || file.offset >= end) continue;
      if (file.padding) throw new Error('pad files are not fetched from web seeds');
      const from = Math.max(start, file.offset);
      const to = Math.min(end, fileEnd);
      ranges.push({ url: this.fileUrl(file.pathSegments), fileStart: from - file.offset, length: to - from });
    }
    return ranges;
  }

  /** BEP 19: a URL ending in '/' is a folder holding the torrent's name (and, multi-file, paths). */
  private fileUrl(segments: string[]): string {
    if (!this.url.endsWith('/')) return this.url;
    return this.url + segments.map(encodeURIComponent).join('/');
  }
}

/** Splits blocks into runs that are adjacent in the torrent (one HTTP request each). */
function contiguousRuns(blocks: BlockRef[]): BlockRef[][] {
  const runs: BlockRef[][] = [];
  for (const block of blocks) {
    const run = runs[runs.length - 1];
    const last = run?.[run.length - 1];
    if (last && last.piece === block.piece && last.offset + last.length === block.offset) run!.push(block);
    else runs.push([block]);
  }
  return runs;
}
