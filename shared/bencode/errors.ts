// Typed errors for the bencode codec (BEP 3). Decoding errors carry the byte offset where the
// input went wrong, and say whether more input could have fixed it (`truncated`), so a caller
// reading from a stream can tell "wait for more bytes" from "this peer sent garbage".

export class BencodeError extends Error {
  constructor(
    message: string,
    /** Byte offset in the input where the problem was found (for encoding: bytes written so far). */
    readonly offset: number,
    /** True when the input ended too early: the same bytes plus more might decode. */
    readonly truncated = false,
  ) {
    super(message);
    this.name = 'BencodeError';
  }
}

/** A dictionary field exists but holds the wrong kind of value. */
export class BencodeFieldError extends Error {
  constructor(
    readonly key: string,
    readonly expected: string,
    readonly actual: string,
  ) {
    super(`field "${key}" should be ${expected} but is ${actual}`);
    this.name = 'BencodeFieldError';
  }
}
