// Pieces kept sorted by a small integer key, as libtorrent's picker does: `order` holds every
// piece, grouped into buckets of equal key in ascending key order, and `bucketStart[k]` is where
// bucket k begins. Changing a piece's key by one (a peer's HAVE) is one swap and one boundary
// move; changing it by d costs d such steps. Finding the first piece a peer has is a walk from the
// front, so a seed's request is answered at once whatever the piece count.

export class PieceOrder {
  private readonly order: Uint32Array;
  private readonly position: Uint32Array; // position[piece] = index in order
  private readonly keys: Uint16Array;
  private readonly bucketStart: Uint32Array; // keyCount + 1 entries; the last is pieceCount

  /** Every piece starts with `initialKey`, in a random order (ties between equals fall at random). */
  constructor(
    readonly pieceCount: number,
    readonly keyCount: number,
    initialKey: number,
    random: () => number,
  ) {
    this.order = new Uint32Array(pieceCount);
    this.position = new Uint32Array(pieceCount);
    this.keys = new Uint16Array(pieceCount).fill(initialKey);
    this.bucketStart = new Uint32Array(keyCount + 1);
    for (let k = initialKey + 1; k <= keyCount; k++) this.bucketStart[k] = pieceCount;
    for (let i = 0; i < pieceCount; i++) this.order[i] = i;
    for (let i = pieceCount - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      const swap = this.order[i]!;
      this.order[i] = this.order[j]!;
      this.order[j] = swap;
    }
    for (let i = 0; i < pieceCount; i++) this.position[this.order[i]!] = i;
  }

  keyOf(piece: number): number {
    return this.keys[piece]!;
  }

  /** How many pieces have a key below `key`. */
  countBelow(key: number): number {
    return this.bucketStart[key]!;
  }

  setKey(piece: number, key: number): void {
    let current = this.keys[piece]!;
    while (current < key) {
      // Move to the end of bucket `current`, then shift the boundary so it opens bucket current+1.
      const last = this.bucketStart[current + 1]! - 1;
      this.swap(this.position[piece]!, last);
      this.bucketStart[current + 1] = last;
      current++;
    }
    while (current > key) {
      // Move to the start of bucket `current`, then shift the boundary so it closes bucket current-1.
      const first = this.bucketStart[current]!;
      this.swap(this.position[piece]!, first);
      this.bucketStart[current] = first + 1;
      current--;
    }
    this.keys[piece] = key;
  }

  /**
   * The first piece with key below `keyLimit` whose bit is set in `wanted` (a BEP 3 bitfield's
   * bytes). Within the first bucket holding one, the search starts at a random position. -1 if none.
   */
  findFirst(wanted: Uint8Array, keyLimit: number, random: () => number): number {
    for (let key = 0; key < keyLimit; key++) {
      const start = this.bucketStart[key]!;
      const end = this.bucketStart[key + 1]!;
      if (start === end) continue;
      const pivot = start + Math.floor(random() * (end - start));
      const found = this.scan(wanted, pivot, end);
      if (found >= 0) return found;
      const before = this.scan(wanted, start, pivot);
      if (before >= 0) return before;
    }
    return -1;
  }

  private scan(wanted: Uint8Array, from: number, to: number): number {
    const order = this.order;
    for (let i = from; i < to; i++) {
      const piece = order[i]!;
      if (wanted[piece >> 3]! & (0x80 >> (piece & 7))) return piece;
    }
    return -1;
  }

  private swap(i: number, j: number): void {
    if (i === j) return;
    const a = this.order[i]!;
    const b = this.order[j]!;
    this.order[i] = b;
    this.order[j] = a;
    this.position[b] = i;
    this.position[a] = j;
  }
}
