// Which web pages may open /signal. A browser always sends Origin on a WebSocket upgrade, so a
// page on another site cannot use a gateway (and its token, if it leaked) from its visitors'
// tabs. Allowed: the gateway's own pages (Origin's host equals the Host the request came to),
// origins listed with --allow-origin ("*" for any), and clients that send no Origin at all
// (non-browser programs, which the token alone guards).

/** Origins as `--allow-origin` gives them, normalised to `scheme://host[:port]`. */
export function normaliseOrigin(text: string): string {
  if (text === '*') return text;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new Error(`not an origin: ${text}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`not an http(s) origin: ${text}`);
  return url.origin;
}

export function originAllowed(origin: string | undefined, host: string | undefined, allowed: readonly string[]): boolean {
  if (origin === undefined) return true;
  if (allowed.includes('*')) return true;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false; // "null" (sandboxed frames, file://) and junk
  }
  if (allowed.includes(url.origin)) return true;
  return host !== undefined && url.host.toLowerCase() === host.toLowerCase();
}
