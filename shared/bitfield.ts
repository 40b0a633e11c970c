// A piece bitfield in BEP 3 order: the high bit of byte 0 is piece 0. The set-bit count is kept
// up to date on every change, so `count` and `isComplete` are O(1).

export class BitfieldError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BitfieldError';
  }
}

const POPCOUNT = new Uint8Array(256);
for (let i = 1; i < 256; i++) POPCOUNT[i] = (i & 1) + POPCOUNT[i >> 1]!;

export function bitfieldByteLength(length: number): number {
  return Math.ceil(length / 8);
}

export class Bitfield {
  readonly length: number;
  private readonly store: Uint8Array<ArrayBuffer>;
  private setCount = 0;

  /**
   * `length` is the number of bits (pieces). `bytes`, if given, is copied; its spare bits are
   * cleared (use `Bitfield.fromBytes` for bytes from a peer, which rejects them instead).
   */
  constructor(length: number, bytes?: Uint8Array) {
    if (!Number.isSafeInteger(length) || length < 0) {
      throw new BitfieldError(`invalid bitfield length ${length}`);
    }
    this.length = length;
    this.store = new Uint8Array(bitfieldByteLength(length));
    if (bytes) {
      this.store.set(bytes.subarray(0, this.store.length));
      const spareBits = this.store.length * 8 - length;
      if (spareBits > 0) this.store[this.store.length - 1]! &= (0xff << spareBits) & 0xff;
      for (const byte of this.store) this.setCount += POPCOUNT[byte]!;
    }
  }

  /**
   * Parses a peer's BITFIELD payload (BEP 3). Throws BitfieldError if the byte length is not
   * exactly ceil(length / 8) or a spare bit of the last byte is set: both are protocol errors.
   */
  static fromBytes(bytes: Uint8Array, length: number): Bitfield {
    const expectedBytes = bitfieldByteLength(length);
    if (bytes.length !== expectedBytes) {
      throw new BitfieldError(`bitfield has ${bytes.length} bytes, expected ${expectedBytes}`);
    }
    const spareBits = expectedBytes * 8 - length;
    if (spareBits > 0 && (bytes[expectedBytes - 1]! & ((1 << spareBits) - 1)) !== 0) {
      throw new BitfieldError('bitfield has spare bits set after the last piece');
    }
    return new Bitfield(length, bytes);
  }

  /** A bitfield with every bit set (e.g. for a BEP 6 HAVE_ALL peer). */
  static full(length: number): Bitfield {
    const bitfield = new Bitfield(length);
    bitfield.setAll();
    return bitfield;
  }

  get count(): number {
    return this.setCount;
  }

  get isComplete(): boolean {
    return this.setCount === this.length;
  }

  get isEmpty(): boolean {
    return this.setCount === 0;
  }

  /** The exact ceil(length / 8) bytes, as a view of the internal store: copy before keeping. */
  get bytes(): Uint8Array<ArrayBuffer> {
    return this.store;
  }

  get(index: number): boolean {
    this.checkIndex(index);
    return (this.store[index >> 3]! & (0x80 >> (index & 7))) !== 0;
  }

  /** Sets or clears one bit; returns true if the bit changed. */
  set(index: number, value = true): boolean {
    this.checkIndex(index);
    const byteIndex = index >> 3;
    const mask = 0x80 >> (index & 7);
    const old = this.store[byteIndex]!;
    const wasSet = (old & mask) !== 0;
    if (wasSet === value) return false;
    this.store[byteIndex] = value ? old | mask : old & ~mask;
    this.setCount += value ? 1 : -1;
    return true;
  }

  setAll(): void {
    this.store.fill(0xff);
    const spareBits = this.store.length * 8 - this.length;
    if (spareBits > 0) this.store[this.store.length - 1] = (0xff << spareBits) & 0xff;
    this.setCount = this.length;
  }

  clearAll(): void {
    this.store.fill(0);
    this.setCount = 0;
  }

  clone(): Bitfield {
    return new Bitfield(this.length, this.store);
  }

  /** Indices of set bits, ascending; skips zero bytes whole. */
  *setIndices(): IterableIterator<number> {
    const store = this.store;
    for (let byteIndex = 0; byteIndex < store.length; byteIndex++) {
      const byte = store[byteIndex]!;
      if (byte === 0) continue;
      for (let bit = 0; bit < 8; bit++) {
        if (byte & (0x80 >> bit)) yield (byteIndex << 3) | bit;
      }
    }
  }

  /** Calls `visit` for each set bit, ascending; faster than setIndices() over a whole torrent. */
  forEachSet(visit: (index: number) => void): void {
    const store = this.store;
    for (let byteIndex = 0; byteIndex < store.length; byteIndex++) {
      const byte = store[byteIndex]!;
      if (byte === 0) continue;
      for (let bit = 0; bit < 8; bit++) if (byte & (0x80 >> bit)) visit((byteIndex << 3) | bit);
    }
  }

  /** Indices of clear bits, ascending; skips full bytes whole. */
  *clearIndices(): IterableIterator<number> {
    const store = this.store;
    for (let byteIndex = 0; byteIndex < store.length; byteIndex++) {
      const byte = store[byteIndex]!;
      if (byte === 0xff) continue;
      for (let bit = 0; bit < 8; bit++) {
        const index = (byteIndex << 3) | bit;
        if (index >= this.length) return;
        if (!(byte & (0x80 >> bit))) yield index;
      }
    }
  }

  /** True if `other` (same length) has a bit set that this one lacks: "is the peer interesting". */
  lacksAnyOf(other: Bitfield): boolean {
    if (other.length !== this.length) throw new BitfieldError('bitfield lengths differ');
    const mine = this.store;
    const theirs = other.store;
    for (let i = 0; i < mine.length; i++) if (theirs[i]! & ~mine[i]!) return true;
    return false;
  }

  /** A string of '1' and '0', piece 0 first (for tests and debugging). */
  toString(): string {
    let text = '';
    for (let i = 0; i < this.length; i++) text += this.get(i) ? '1' : '0';
    return text;
  }

  private checkIndex(index: number): void {
    if (!(index >= 0 && index < this.length && Number.isInteger(index))) {
      throw new RangeError(`bit index ${index} outside 0..${this.length - 1}`);
    }
  }
}
