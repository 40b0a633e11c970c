// RC4 stream cipher. MSE/PE keys one per direction and drops the first 1024 bytes of keystream,
// whose bias is RC4's best-known weakness ("RC4-drop1024"). The keystream loop runs in WebAssembly
// where it can (rc4-wasm.ts, about twice as fast), else in JavaScript; both give the same bytes.
import { RC4_STATE_BYTES, wasmRc4Xor, type Rc4Xor } from './rc4-wasm.ts';

const KEY_MAX_BYTES = 256;
/**
 * Below this many bytes the JavaScript loop wins: the WebAssembly call copies the state (258 bytes)
 * in and out. Protocol messages other than PIECE are this short.
 */
const WASM_MIN_BYTES = 128;

/** Keystream bytes MSE discards before the first byte it encrypts. */
export const MSE_DISCARD_BYTES = 1024;

export interface Rc4Options {
  /** Keystream bytes to generate and throw away before the first encryption (default 0). */
  discardBytes?: number;
  /** false: never the WebAssembly loop (tests compare the two; default true). */
  wasm?: boolean;
}

export class RC4 {
  /**
   * S, then i and j: the layout the WebAssembly loop copies in and out (rc4-wasm.ts). Int32Array,
   * not Uint8Array: V8 runs the JavaScript loop faster on 32-bit elements. Values stay 0..255.
   */
  private readonly state = new Int32Array(RC4_STATE_BYTES);
  private readonly wasmXor: Rc4Xor | null;

  constructor(key: Uint8Array, options: Rc4Options = {}) {
    if (key.length < 1 || key.length > KEY_MAX_BYTES) {
      throw new RangeError(`RC4 key must be 1 to 256 bytes, got ${key.length}`);
    }
    this.wasmXor = options.wasm === false ? null : wasmRc4Xor();
    const state = this.state;
    for (let n = 0; n < 256; n++) state[n] = n;
    // Key scheduling: one pass of swaps driven by the key.
    let j = 0;
    for (let n = 0; n < 256; n++) {
      const value = state[n]!;
      j = (j + value + key[n % key.length]!) & 0xff;
      state[n] = state[j]!;
      state[j] = value;
    }
    this.skip(options.discardBytes ?? 0);
  }

  /** XORs the keystream into `bytes` in place and returns the same array. Decrypting is the same. */
  encrypt<T extends Uint8Array>(bytes: T): T {
    if (this.wasmXor && bytes.length >= WASM_MIN_BYTES) this.wasmXor(this.state, bytes, bytes);
    else xorKeystream(this.state, plain(bytes));
    return bytes;
  }

  /** A new plain Uint8Array holding the encryption of `bytes`, which stay as they were. */
  encrypted(bytes: Uint8Array): Uint8Array {
    // The WebAssembly path copies out of its memory anyway: straight into the new array, one copy.
    if (!this.wasmXor || bytes.length < WASM_MIN_BYTES) return this.encrypt(new Uint8Array(bytes));
    const output = new Uint8Array(bytes.length);
    this.wasmXor(this.state, bytes, output);
    return output;
  }

  /** Same as encrypt: RC4 is its own inverse. */
  decrypt<T extends Uint8Array>(bytes: T): T {
    return this.encrypt(bytes);
  }

  /** Same as encrypted. */
  decrypted(bytes: Uint8Array): Uint8Array {
    return this.encrypted(bytes);
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

/** A plain Uint8Array view: the JavaScript loop only ever sees one kind of array. */
function plain(bytes: Uint8Array): Uint8Array {
  return bytes.constructor === Uint8Array ? bytes : new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/**
 * The JavaScript loop (short inputs, or no WebAssembly), only ever given plain Uint8Arrays: fed
 * Node Buffers as well (subclasses), V8's element access turned polymorphic and ran at a third of
 * its speed.
 */
function xorKeystream(state: Int32Array, bytes: Uint8Array): void {
  const byteLength = bytes.length;
  let i = state[256]!;
  let j = state[257]!;
  for (let n = 0; n < byteLength; n++) {
    i = (i + 1) & 0xff;
    const a = state[i]!;
    j = (j + a) & 0xff;
    const b = state[j]!;
    state[i] = b;
    state[j] = a;
    bytes[n] ^= state[(a + b) & 0xff]!;
  }
  state[256] = i;
  state[257] = j;
}

/** An RC4 cipher as MSE uses it: 1024 keystream bytes discarded. */
export function mseRc4(key: Uint8Array): RC4 {
  return new RC4(key, { discardBytes: MSE_DISCARD_BYTES });
}
