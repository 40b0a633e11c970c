// Synchronous SHA-1 (FIPS 180-4), used for the info-hash (BEP 3) where a one-off hash of a small
// buffer must not turn parsing async. Bulk piece verification uses crypto.subtle instead.

const BLOCK_BYTES = 64;
const DIGEST_BYTES = 20;

export function sha1(bytes: Uint8Array): Uint8Array {
  const state = new Int32Array([0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0]);
  const words = new Int32Array(80);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const fullBlocks = Math.floor(bytes.length / BLOCK_BYTES);
  for (let block = 0; block < fullBlocks; block++) {
    processBlock(state, words, view, block * BLOCK_BYTES);
  }
  // Final block(s): the tail, a 0x80 marker, zero padding and the message length in bits.
  const tailBytes = bytes.length - fullBlocks * BLOCK_BYTES;
  const padded = new Uint8Array(tailBytes < 56 ? BLOCK_BYTES : 2 * BLOCK_BYTES);
  padded.set(bytes.subarray(fullBlocks * BLOCK_BYTES));
  padded[tailBytes] = 0x80;
  const paddedView = new DataView(padded.buffer);
  const lengthBits = bytes.length * 8;
  paddedView.setUint32(padded.length - 8, Math.floor(lengthBits / 0x100000000));
  paddedView.setUint32(padded.length - 4, lengthBits >>> 0);
  for (let offset = 0; offset < padded.length; offset += BLOCK_BYTES) {
    processBlock(state, words, paddedView, offset);
  }
  const digest = new Uint8Array(DIGEST_BYTES);
  const digestView = new DataView(digest.buffer);
  for (let i = 0; i < 5; i++) digestView.setInt32(i * 4, state[i]!);
  return digest;
}

function processBlock(state: Int32Array, words: Int32Array, view: DataView, offset: number): void {
  for (let t = 0; t < 16; t++) words[t] = view.getInt32(offset + t * 4);
  for (let t = 16; t < 80; t++) {
    const x = words[t - 3]! ^ words[t - 8]! ^ words[t - 14]! ^ words[t - 16]!;
    words[t] = (x << 1) | (x >>> 31);
  }
  let a = state[0]!;
  let b = state[1]!;
  let c = state[2]!;
  let d = state[3]!;
  let e = state[4]!;
  for (let t = 0; t < 80; t++) {
    let f: number;
    let k: number;
    if (t < 20) {
      f = (b & c) | (~b & d);
      k = 0x5a827999;
    } else if (t < 40) {
      f = b ^ c ^ d;
      k = 0x6ed9eba1;
    } else if (t < 60) {
      f = (b & c) | (b & d) | (c & d);
      k = 0x8f1bbcdc;
    } else {
      f = b ^ c ^ d;
      k = 0xca62c1d6;
    }
    const temp = (((a << 5) | (a >>> 27)) + f + e + k + words[t]!) | 0;
    e = d;
    d = c;
    c = (b << 30) | (b >>> 2);
    b = a;
    a = temp;
  }
  state[0] = (state[0]! + a) | 0;
  state[1] = (state[1]! + b) | 0;
  state[2] = (state[2]! + c) | 0;
  state[3] = (state[3]! + d) | 0;
  state[4] = (state[4]! + e) | 0;
}
