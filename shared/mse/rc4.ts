// RC4 stream cipher. MSE/PE keys one per direction and drops the first 1024 bytes of keystream,
// whose bias is RC4's best-known weakness ("RC4-drop1024").

const STATE_BYTES = 256;

/** Keystream bytes MSE discards before the first byte it encrypts. */
export const MSE_DISCARD_BYTES = 1024;

export interface Rc4Options {
  /** Keystream bytes to generate and throw away before the first encryption (default 0). */
  discardBytes?: number;
}

export class RC4 {
  // Int32Array, not Uint8Array: V8 runs this loop ~1.5x faster on 32-bit elements (every
  // encrypted byte passes through it). Values stay 0..255.
  private readonly state = new Int32Array(STATE_BYTES);
  private i = 0;
  private j = 0;

  constructor(key: Uint8Array, options: Rc4Options = {}) {
    if (key.length < 1 || key.length > STATE_BYTES) {
      throw new RangeError(`RC4 key must be 1 to 256 bytes, got ${key.length}`);
    }
    const state = this.state;
    for (let n = 0; n < STATE_BYTES; n++) state[n] = n;
    // Key scheduling: one pass of swaps driven by the key.
    let j = 0;
    for (let n = 0; n < STATE_BYTES; n++) {
      const value = state[n]!;
      j = (j + value + key[n % key.length]!) & 0xff;
      state[n] = state[j]!;
      state[j] = value;
    }
    this.skip(options.discardBytes ?? 0);
  }

  /** XORs the keystream into `bytes` in place and returns the same array. Decrypting is the same. */
  encrypt<T extends Uint8Array>(bytes: T): T {
    this.xorKeystream(bytes.constructor === Uint8Array ? bytes : new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    return bytes;
  }

  /**
   * The hot loop, only ever given a plain Uint8Array: fed Node Buffers as well (subclasses), V8's
   * element access turned polymorphic and the loop ran at a third of its speed.
   */
  private xorKeystream(bytes: Uint8Array): void {
    const state = this.state;
    const byteLength = bytes.length;
    let i = this.i;
    let j = this.j;
    for (let n = 0; n < byteLength; n++) {
      i = (i + 1) & 0xff;
      const a = state[i]!;
      j = (j + a) & 0xff;
      const b = state[j]!;
      state[i] = b;
      state[j] = a;
      bytes[n] ^= state[(a + b) & 0xff]!;
    }
    this.i = i;
    this.j = j;
  }

  /** Same as encrypt: RC4 is its own inverse. */
  decrypt<T extends Uint8Array>(bytes: T): T {
    return this.encrypt(bytes);
  }

  /** The next `byteLength` bytes of keystream (the encryption of zeros). */
  keystream(byteLength: number): Uint8Array {
    return this.encrypt(new Uint8Array(byteLength));
  }

  /** Advances the keystream by `byteLength` bytes without output. */
  skip(byteLength: number): void {
    const CHUNK_BYTES = 1024;
    const scratch = new Uint8Array(Math.min(byteLength, CHUNK_BYTES));
    for (let left = byteLength; left > 0; left -= CHUNK_BYTES) {
      this.encrypt(left >= CHUNK_BYTES ? scratch : scratch.subarray(0, left));
    }
  }
}

/** An RC4 cipher as MSE uses it: 1024 keystream bytes discarded. */
export function mseRc4(key: Uint8Array): RC4 {
  return new RC4(key, { discardBytes: MSE_DISCARD_BYTES });
}
