// SHA-1 of whole pieces with WebCrypto (a worker and Node 20 both have crypto.subtle).

export async function sha1(bytes: Uint8Array<ArrayBuffer>): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest('SHA-1', bytes));
}

/** True when `bytes` hash to the 20-byte `expected` digest. */
export async function pieceMatches(bytes: Uint8Array<ArrayBuffer>, expected: Uint8Array): Promise<boolean> {
  const actual = await sha1(bytes);
  for (let i = 0; i < 20; i++) if (actual[i] !== expected[i]) return false;
  return true;
}
