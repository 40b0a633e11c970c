// HTTP tracker request URLs (BEP 3, BEP 23 compact, BEP 48 scrape convention).

import { utf8Encode } from '../bytes.ts';

export type AnnounceEvent = 'started' | 'completed' | 'stopped';

export interface AnnounceParams {
  readonly infoHash: Uint8Array;
  readonly peerId: Uint8Array;
  readonly port: number;
  readonly uploaded: number; // bytes
  readonly downloaded: number; // bytes
  readonly left: number; // bytes
  readonly event?: AnnounceEvent;
  readonly numwant?: number;
  /** Ask for compact peers (BEP 23). Default true. */
  readonly compact?: boolean;
  /** BEP 7 key: lets the tracker recognize us across IP changes. */
  readonly key?: string;
  /** Echo of the "tracker id" a previous response carried, byte for byte. */
  readonly trackerId?: Uint8Array | string;
}

/**
 * Percent-escapes raw bytes: every byte outside the unreserved set A-Za-z0-9 . - _ ~ becomes %XX
 * (uppercase). This is how info_hash and peer_id travel; encodeURIComponent would mangle them.
 */
export function percentEncodeBytes(bytes: Uint8Array): string {
  let out = '';
  for (const byte of bytes) {
    out += isUnreserved(byte) ? String.fromCharCode(byte) : `%${HEX_UPPER[byte]}`;
  }
  return out;
}

const HEX_UPPER = Array.from({ length: 256 }, (_, byte) => byte.toString(16).toUpperCase().padStart(2, '0'));

function isUnreserved(byte: number): boolean {
  return (
    (byte >= 0x41 && byte <= 0x5a) || // A-Z
    (byte >= 0x61 && byte <= 0x7a) || // a-z
    (byte >= 0x30 && byte <= 0x39) || // 0-9
    byte === 0x2d || // -
    byte === 0x2e || // .
    byte === 0x5f || // _
    byte === 0x7e // ~
  );
}

export function buildAnnounceUrl(announceUrl: string, params: AnnounceParams): string {
  const query: string[] = [
    `info_hash=${percentEncodeBytes(params.infoHash)}`,
    `peer_id=${percentEncodeBytes(params.peerId)}`,
    `port=${params.port}`,
    `uploaded=${Math.trunc(params.uploaded)}`,
    `downloaded=${Math.trunc(params.downloaded)}`,
    `left=${Math.trunc(params.left)}`,
  ];
  if (params.compact ?? true) query.push('compact=1');
  if (params.event) query.push(`event=${params.event}`);
  if (params.numwant !== undefined) query.push(`numwant=${params.numwant}`);
  if (params.key !== undefined) query.push(`key=${percentEncodeBytes(utf8Encode(params.key))}`);
  if (params.trackerId !== undefined) {
    const trackerId = typeof params.trackerId === 'string' ? utf8Encode(params.trackerId) : params.trackerId;
    query.push(`trackerid=${percentEncodeBytes(trackerId)}`);
  }
  return appendQuery(announceUrl, query.join('&'));
}

/**
 * The scrape URL for an announce URL (BEP 48 convention): the last path segment must start with
 * "announce", which becomes "scrape" (`/x/announce.php?k=1` → `/x/scrape.php?k=1`). Returns
 * undefined when the tracker cannot be scraped. Each info-hash adds an `info_hash` parameter.
 */
export function buildScrapeUrl(announceUrl: string, infoHashes: readonly Uint8Array[] = []): string | undefined {
  const queryStart = announceUrl.search(/[?#]/);
  const pathEnd = queryStart < 0 ? announceUrl.length : queryStart;
  const schemeEnd = announceUrl.indexOf('://');
  const pathStart = announceUrl.indexOf('/', schemeEnd < 0 ? 0 : schemeEnd + 3);
  if (pathStart < 0 || pathStart >= pathEnd) return undefined; // no path: nothing to replace
  const segmentStart = announceUrl.lastIndexOf('/', pathEnd - 1) + 1;
  if (!announceUrl.startsWith('announce', segmentStart)) return undefined;
  const scrapeUrl =
    announceUrl.slice(0, segmentStart) + 'scrape' + announceUrl.slice(segmentStart + 'announce'.length);
  if (infoHashes.length === 0) return scrapeUrl;
  return appendQuery(scrapeUrl, infoHashes.map((hash) => `info_hash=${percentEncodeBytes(hash)}`).join('&'));
}

/** Adds `query` to a URL that may already have one (private trackers' `?passkey=…`). */
function appendQuery(url: string, query: string): string {
  const hashIndex = url.indexOf('#');
  const base = hashIndex < 0 ? url : url.slice(0, hashIndex); // a fragment is never sent
  if (!base.includes('?')) return `${base}?${query}`;
  return base.endsWith('?') || base.endsWith('&') ? base + query : `${base}&${query}`;
}
