// How a client that is not the gateway's own page proves it holds the access token when it opens
// /signal: as a WebSocket subprotocol, never in the URL (URLs end up in proxy logs and history).
// The client offers both values; the gateway answers with BRIDGE_SUBPROTOCOL only.
import { EncodingError, fromHex, toHex } from '../hex.ts';

export const BRIDGE_SUBPROTOCOL = 'tabtorrent';
export const TOKEN_SUBPROTOCOL_PREFIX = 'tabtorrent-token.';
/** Tokens are short secrets; anything longer in a header is junk. */
const MAX_TOKEN_HEX_CHARS = 1024;

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

/** The subprotocols a client offers to open /signal with `token` (hex keeps it a valid token68). */
export function tokenSubprotocols(token: string): string[] {
  return [BRIDGE_SUBPROTOCOL, TOKEN_SUBPROTOCOL_PREFIX + toHex(encoder.encode(token))];
}

/** The token carried by an offered subprotocol, or null when none carries one (or it is malformed). */
export function tokenFromSubprotocols(offered: readonly string[]): string | null {
  for (const protocol of offered) {
    if (!protocol.startsWith(TOKEN_SUBPROTOCOL_PREFIX)) continue;
    const hex = protocol.slice(TOKEN_SUBPROTOCOL_PREFIX.length);
    if (hex.length === 0 || hex.length > MAX_TOKEN_HEX_CHARS) return null;
    try {
      return decoder.decode(fromHex(hex));
    } catch (error) {
      if (error instanceof EncodingError || error instanceof TypeError) return null;
      throw error;
    }
  }
  return null;
}
