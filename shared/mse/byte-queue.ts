// A growable FIFO of received bytes for the handshake: appends without re-copying everything
// (a peer may send one byte at a time) and hands out views or copies from the front.

export class ByteQueue {
  private bytes = new Uint8Array(256);
  private start = 0;
  private end = 0;

  get length(): number {
    return this.end - this.start;
  }

  push(chunk: Uint8Array): void {
    if (this.end + chunk.length > this.bytes.length) this.makeRoom(chunk.length);
    this.bytes.set(chunk, this.end);
    this.end += chunk.length;
  }

  /** A view of the queued bytes; valid until the next push. */
  peek(): Uint8Array {
    return this.bytes.subarray(this.start, this.end);
  }

  /** Removes and returns a copy of the first `byteLength` bytes. */
  take(byteLength: number): Uint8Array {
    if (byteLength > this.length) throw new RangeError(`take ${byteLength} of ${this.length} queued bytes`);
    const out = this.bytes.slice(this.start, this.start + byteLength);
    this.start += byteLength;
    return out;
  }

  drop(byteLength: number): void {
    this.start += Math.min(byteLength, this.length);
  }

  takeAll(): Uint8Array {
    return this.take(this.length);
  }

  private makeRoom(extraBytes: number): void {
    const needed = this.length + extraBytes;
    const target = needed <= this.bytes.length ? this.bytes : new Uint8Array(Math.max(needed, 2 * this.bytes.length));
    target.set(this.bytes.subarray(this.start, this.end));
    this.end = this.length;
    this.start = 0;
    this.bytes = target;
  }
}

/** Index of the first occurrence of `pattern` in `haystack`, or -1. */
export function indexOfBytes(haystack: Uint8Array, pattern: Uint8Array): number {
  const last = haystack.length - pattern.length;
  outer: for (let i = 0; i <= last; i++) {
    for (let k = 0; k < pattern.length; k++) if (haystack[i + k] !== pattern[k]) continue outer;
    return i;
  }
  return -1;
}
