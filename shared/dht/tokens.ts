// get_peers tokens (BEP 5): a token binds an announce to the IP that asked. As BEP 5 suggests, it
// is the SHA-1 of the IP and a secret that changes every five minutes; tokens from the current
// and the previous secret are accepted, so a token lives five to ten minutes. Pure: the caller
// passes the time.

import { concatBytes, equalBytes, randomBytes, utf8Encode } from '../bytes.ts';
import { sha1 } from '../crypto/sha1.ts';

export const TOKEN_ROTATE_MS = 5 * 60_000;
const SECRET_BYTES = 16;
const TOKEN_BYTES = 8;

export class DhtTokens {
  private current = randomBytes(SECRET_BYTES);
  private previous = randomBytes(SECRET_BYTES);
  private rotatedMs: number;

  constructor(nowMs: number) {
    this.rotatedMs = nowMs;
  }

  issue(host: string, nowMs: number): Uint8Array {
    this.rotate(nowMs);
    return tokenFor(this.current, host);
  }

  verify(host: string, token: Uint8Array, nowMs: number): boolean {
    this.rotate(nowMs);
    return equalBytes(token, tokenFor(this.current, host)) || equalBytes(token, tokenFor(this.previous, host));
  }

  private rotate(nowMs: number): void {
    const elapsedMs = nowMs - this.rotatedMs;
    if (elapsedMs < TOKEN_ROTATE_MS) return;
    // Two or more periods gone: the previous secret has expired too.
    this.previous = elapsedMs >= 2 * TOKEN_ROTATE_MS ? randomBytes(SECRET_BYTES) : this.current;
    this.current = randomBytes(SECRET_BYTES);
    this.rotatedMs = nowMs;
  }
}

function tokenFor(secret: Uint8Array, host: string): Uint8Array {
  return sha1(concatBytes([secret, utf8Encode(host)])).subarray(0, TOKEN_BYTES);
}
