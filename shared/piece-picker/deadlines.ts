// Time-critical pieces, after libtorrent's set_piece_deadline. Each reader (a playing file, an HTTP
// range request) lists the pieces it needs, most urgent first; the picker serves them before
// anything else. Readers interleave by rank (every reader's first piece, then every reader's
// second…), and a piece on several lists keeps its best rank. Lists are short (tens of pieces), so
// the merged order is rebuilt whenever one changes and pickBlocks never scans the torrent for them.

/** Ranks below this, per reader, are urgent: a fast peer may request their busy blocks again. */
export const URGENT_DEADLINE_RANKS = 2;
/** At most this many peers hold a request for one block of an urgent piece. */
export const MAX_URGENT_HOLDERS = 2;

export class DeadlineTable {
  private readonly readers = new Map<string, readonly number[]>();
  private ranks = new Map<number, number>(); // piece → best rank over all readers
  private order: number[] = []; // every deadline piece once, by rank, readers interleaved

  /** Deadline pieces in picking order (ranks never decrease along it). */
  get pieces(): readonly number[] {
    return this.order;
  }

  get isEmpty(): boolean {
    return this.order.length === 0;
  }

  rankOf(piece: number): number | undefined {
    return this.ranks.get(piece);
  }

  /** Replaces a reader's list (empty removes the reader); returns the pieces left without a deadline. */
  set(readerId: string, pieces: readonly number[]): number[] {
    const unique = [...new Set(pieces)];
    if (unique.length === 0) this.readers.delete(readerId);
    else this.readers.set(readerId, unique);
    return this.rebuild();
  }

  /** Takes a piece off every list (it is ours now): each reader's later pieces move up one rank. */
  drop(piece: number): void {
    if (!this.ranks.has(piece)) return;
    for (const [readerId, list] of this.readers) {
      if (list.includes(piece)) this.set(readerId, list.filter((other) => other !== piece));
    }
  }

  private rebuild(): number[] {
    const previous = this.ranks;
    this.ranks = new Map();
    this.order = [];
    let longest = 0;
    for (const list of this.readers.values()) longest = Math.max(longest, list.length);
    for (let rank = 0; rank < longest; rank++) {
      for (const list of this.readers.values()) {
        const piece = list[rank];
        if (piece === undefined || this.ranks.has(piece)) continue;
        this.ranks.set(piece, rank);
        this.order.push(piece);
      }
    }
    return [...previous.keys()].filter((piece) => !this.ranks.has(piece));
  }
}
