// Hex and base32 (RFC 4648) for info-hashes: hex in logs, URLs and magnets; base32 in older
// magnets (BEP 9 allows a 32-character base32 btih).

export class EncodingError extends Error {
  constructor(
    message: string,
    /** Character offset of the first bad character, or -1 when the length is wrong. */
    readonly offset: number,
  ) {
    super(message);
    this.name = 'EncodingError';
  }
}

const HEX_DIGITS = '0123456789abcdef';

export function toHex(bytes: Uint8Array): string {
  let text = '';
  for (const byte of bytes) text += HEX_DIGITS[byte >> 4]! + HEX_DIGITS[byte & 15]!;
  return text;
}

/** Parses hex (either case). Throws EncodingError on odd length or a non-hex character. */
export function fromHex(text: string): Uint8Array {
  if (text.length % 2 !== 0) throw new EncodingError(`hex string has an odd length (${text.length})`, -1);
  const bytes = new Uint8Array(text.length / 2);
  for (let i = 0; i < bytes.length; i++) {
    const high = hexValue(text, 2 * i);
    const low = hexValue(text, 2 * i + 1);
    bytes[i] = (high << 4) | low;
  }
  return bytes;
}

function hexValue(text: string, index: number): number {
  const code = text.charCodeAt(index);
  if (code >= 0x30 && code <= 0x39) return code - 0x30; // 0-9
  const lower = code | 0x20;
  if (lower >= 0x61 && lower <= 0x66) return lower - 0x61 + 10; // a-f
  throw new EncodingError(`invalid hex character ${JSON.stringify(text[index])} at ${index}`, index);
}

const BASE32_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** RFC 4648 base32, case-insensitive, optional '=' padding. Leftover bits must be zero. */
export function base32Decode(text: string): Uint8Array {
  const unpadded = text.replace(/=+$/, '');
  const bytes = new Uint8Array(Math.floor((unpadded.length * 5) / 8));
  let buffer = 0;
  let bufferedBits = 0;
  let written = 0;
  for (let i = 0; i < unpadded.length; i++) {
    const value = BASE32_ALPHABET.indexOf(unpadded[i]!.toUpperCase());
    if (value < 0) throw new EncodingError(`invalid base32 character ${JSON.stringify(unpadded[i])} at ${i}`, i);
    buffer = ((buffer << 5) | value) & 0xffff;
    bufferedBits += 5;
    if (bufferedBits >= 8) {
      bufferedBits -= 8;
      bytes[written++] = (buffer >> bufferedBits) & 0xff;
    }
  }
  if (bufferedBits >= 5 || (buffer & ((1 << bufferedBits) - 1)) !== 0) {
    throw new EncodingError(`base32 string of ${unpadded.length} characters has a malformed tail`, -1);
  }
  return bytes;
}

export function base32Encode(bytes: Uint8Array): string {
  let text = '';
  let buffer = 0;
  let bufferedBits = 0;
  for (const byte of bytes) {
    buffer = ((buffer << 8) | byte) & 0xffff;
    bufferedBits += 8;
    while (bufferedBits >= 5) {
      bufferedBits -= 5;
      text += BASE32_ALPHABET[(buffer >> bufferedBits) & 31]!;
    }
  }
  if (bufferedBits > 0) text += BASE32_ALPHABET[(buffer << (5 - bufferedBits)) & 31]!;
  return text;
}
