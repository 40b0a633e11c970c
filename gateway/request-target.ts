// The request target of an HTTP request as a URL, or null when it is not a plain path. Only the
// origin form (RFC 9112 §3.2.1: "/path?query") is served; "*", absolute URLs, junk and paths that
// start with "//" (which URL parsers read as a host: the request that once crashed the gateway)
// are answered with 400 by the callers, never thrown.
const BASE = 'http://gateway';

export function parseRequestTarget(target: string | undefined): URL | null {
  if (target === undefined || !target.startsWith('/') || target.startsWith('//')) return null;
  try {
    // Concatenated, not resolved against a base: "//host" must stay a path, not become a host.
    const url = new URL(BASE + target);
    return url.origin === BASE ? url : null;
  } catch {
    return null;
  }
}
