// Small byte helpers shared by the codecs. Pure: no Node Buffer, no DOM.

/** Joins byte arrays into one new array (one allocation, one copy per part). */
export function concatBytes(parts: readonly Uint8Array[]): Uint8Array<ArrayBuffer> {
  let totalBytes = 0;
  for (const part of parts) totalBytes += part.length;
  const out = new Uint8Array(totalBytes);
  let byteOffset = 0;
  for (const part of parts) {
    out.set(part, byteOffset);
    byteOffset += part.length;
  }
  return out;
}

export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export function readU16BE(bytes: Uint8Array, byteOffset: number): number {
  return (bytes[byteOffset]! << 8) | bytes[byteOffset + 1]!;
}

export function writeU16BE(bytes: Uint8Array, byteOffset: number, value: number): void {
  bytes[byteOffset] = (value >>> 8) & 0xff;
  bytes[byteOffset + 1] = value & 0xff;
}

export function readU32BE(bytes: Uint8Array, byteOffset: number): number {
  return (
    ((bytes[byteOffset]! << 24) |
      (bytes[byteOffset + 1]! << 16) |
      (bytes[byteOffset + 2]! << 8) |
      bytes[byteOffset + 3]!) >>>
    0
  );
}

export function writeU32BE(bytes: Uint8Array, byteOffset: number, value: number): void {
  bytes[byteOffset] = (value >>> 24) & 0xff;
  bytes[byteOffset + 1] = (value >>> 16) & 0xff;
  bytes[byteOffset + 2] = (value >>> 8) & 0xff;
  bytes[byteOffset + 3] = value & 0xff;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function utf8Encode(text: string): Uint8Array<ArrayBuffer> {
  return encoder.encode(text);
}

/** Decodes UTF-8; invalid sequences become U+FFFD (never throws). */
export function utf8Decode(bytes: Uint8Array): string {
  return decoder.decode(bytes);
}

/** Cryptographically random bytes (Web Crypto, available in browsers, workers and Node 20). */
export function randomBytes(byteLength: number): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(byteLength);
  const MAX_PER_CALL = 65536; // getRandomValues refuses more at once
  for (let i = 0; i < byteLength; i += MAX_PER_CALL) {
    globalThis.crypto.getRandomValues(out.subarray(i, Math.min(byteLength, i + MAX_PER_CALL)));
  }
  return out;
}
