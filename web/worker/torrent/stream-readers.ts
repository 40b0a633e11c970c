// Reading a torrent's files while it downloads (the service worker's byte ranges). A read waits
// for the pieces it covers; each reader (one HTTP response) gives the picker deadlines for the
// pieces at its position and a read-ahead window after it (libtorrent's time-critical pieces), so
// those go first; a reader that moves (a seek) replaces its deadlines.
import type { Bitfield } from '../../../shared/bitfield.ts';
import { pieceSize, type Metainfo } from '../../../shared/metainfo/index.ts';

/** What the readers need of their torrent. */
export interface StreamSource {
  readonly meta: Metainfo;
  readonly have: Bitfield;
  getPiece(index: number): Promise<Uint8Array | undefined>;
  /**
   * The pieces a reader needs, in the order it needs them; [] drops the reader's deadlines.
   * `jumped`: the reader is new or left its window (Play, a seek): what peers have queued for
   * others should not hold its pieces up.
   */
  setDeadlines(readerId: string, pieces: number[], jumped: boolean): void;
  /** A reader reads a file the user skipped: it is wanted now. */
  wantFile(fileIndex: number): void;
}

export class StreamReadError extends Error {
  constructor(readonly code: 'no-such-file' | 'out-of-range' | 'closed', message: string) {
    super(message);
  }
}

const MiB = 1024 * 1024;
/** Seconds of playback the window holds ahead of a reader, once the file's bitrate is known. */
const WINDOW_SECONDS = 20;
/** The window before the bitrate is known, and its bounds. */
const DEFAULT_WINDOW_BYTES = 8 * MiB;
const MIN_WINDOW_PIECES = 2;
const MAX_WINDOW_BYTES = 128 * MiB;

export class StreamReaders {
  /** Who waits for which piece. */
  private readonly waiters = new Map<number, Set<() => void>>();
  /** Bytes per second of each file, when the player said (its length over its duration). */
  private readonly bitrates = new Map<number, number>();
  /**
   * Each reader's window (its first and last piece, the last time it read) and the torrent
   * offsets its reads wait at: a reader may have several reads out, and its window starts at the
   * earliest, so a read further on never drops the deadline of one before it.
   */
  private readonly readers = new Map<string, { first: number; last: number; waiting: Map<number, number> }>();
  private closed = false;

  constructor(private readonly source: StreamSource) {}

  /**
   * Bytes of file `fileIndex` from `start` up to `end` (exclusive) or the end of the piece that
   * holds `start`, whichever comes first: waits until that piece is verified. Moves the reader's
   * window to `start`.
   */
  async read(readerId: string, fileIndex: number, start: number, end: number): Promise<Uint8Array<ArrayBuffer>> {
    const { meta } = this.source;
    const file = meta.files[fileIndex];
    if (!file || file.padding) throw new StreamReadError('no-such-file', `the torrent has no file ${fileIndex}`);
    if (!(start >= 0 && start < end && end <= file.length)) {
      throw new StreamReadError('out-of-range', `bytes ${start}–${end} are outside the file's ${file.length}`);
    }
    const at = file.offset + start;
    const piece = Math.floor(at / meta.pieceLength);
    const pieceStart = piece * meta.pieceLength;
    const stop = Math.min(file.offset + end, pieceStart + pieceSize(meta, piece));

    this.source.wantFile(fileIndex);
    const reader = this.readers.get(readerId) ?? { first: -1, last: -1, waiting: new Map<number, number>() };
    this.readers.set(readerId, reader);
    reader.waiting.set(at, (reader.waiting.get(at) ?? 0) + 1);
    try {
      this.moveWindow(readerId, reader, fileIndex);
      const bytes = await this.pieceBytes(piece);
      return bytes.slice(at - pieceStart, stop - pieceStart); // a copy of its own: it is transferred
    } finally {
      const count = reader.waiting.get(at)! - 1;
      if (count > 0) reader.waiting.set(at, count);
      else reader.waiting.delete(at);
    }
  }

  /** Gives the picker the reader's window from its earliest waiting read. */
  private moveWindow(readerId: string, reader: { first: number; last: number; waiting: Map<number, number> }, fileIndex: number): void {
    const window = this.window(fileIndex, Math.min(...reader.waiting.keys()));
    const jumped = reader.first < 0 || window.first < reader.first || window.first > reader.last;
    reader.first = window.first;
    reader.last = window.last;
    this.source.setDeadlines(readerId, window.missing, jumped);
  }

  /** The player knows the file's duration: the window becomes WINDOW_SECONDS of it. */
  setBitrate(fileIndex: number, bytesPerSecond: number): void {
    if (Number.isFinite(bytesPerSecond) && bytesPerSecond > 0) this.bitrates.set(fileIndex, bytesPerSecond);
  }

  closeReader(readerId: string): void {
    if (this.readers.delete(readerId)) this.source.setDeadlines(readerId, [], false);
  }

  /** A piece is verified (and readable from storage): its waiters go on. */
  pieceVerified(index: number): void {
    const waiting = this.waiters.get(index);
    if (!waiting) return;
    this.waiters.delete(index);
    for (const wake of waiting) wake();
  }

  /** The torrent is removed: every waiting read fails. */
  close(): void {
    this.closed = true;
    for (const readerId of this.readers.keys()) this.source.setDeadlines(readerId, [], false);
    this.readers.clear();
    const all = [...this.waiters.values()];
    this.waiters.clear();
    for (const waiting of all) for (const wake of waiting) wake();
  }

  /** The window from the piece holding torrent offset `at`: its first and last piece, and those missing, in order. */
  private window(fileIndex: number, at: number): { first: number; last: number; missing: number[] } {
    const { meta } = this.source;
    const file = meta.files[fileIndex]!;
    const bitrate = this.bitrates.get(fileIndex);
    const bytes = bitrate === undefined ? DEFAULT_WINDOW_BYTES : Math.min(MAX_WINDOW_BYTES, bitrate * WINDOW_SECONDS);
    const windowBytes = Math.max(bytes, MIN_WINDOW_PIECES * meta.pieceLength);
    const first = Math.floor(at / meta.pieceLength);
    const last = Math.floor((Math.min(file.offset + file.length, at + windowBytes) - 1) / meta.pieceLength);
    const missing: number[] = [];
    for (let i = first; i <= last; i++) if (!this.source.have.get(i)) missing.push(i);
    return { first, last, missing };
  }

  private async pieceBytes(index: number): Promise<Uint8Array> {
    for (;;) {
      if (this.closed) throw new StreamReadError('closed', 'the torrent was removed');
      if (this.source.have.get(index)) {
        const bytes = await this.source.getPiece(index);
        if (bytes) return bytes;
        // Verified but lost by a failed write: it is fetched again, so wait for it again.
      }
      await new Promise<void>((resolve) => {
        const waiting = this.waiters.get(index) ?? new Set();
        waiting.add(resolve);
        this.waiters.set(index, waiting);
      });
    }
  }
}
