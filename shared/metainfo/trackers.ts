// Trackers (BEP 3 `announce`, BEP 12 `announce-list`) and web seeds (BEP 19 `url-list`) from the
// top level of a .torrent file. Junk here never makes a torrent unusable: bad entries are skipped.

import { isBytes, type BDict, type BValue } from '../bencode/index.ts';

const TRACKER_PROTOCOLS = new Set(['http:', 'https:', 'udp:', 'ws:', 'wss:']);
const WEB_SEED_PROTOCOLS = new Set(['http:', 'https:']);
const utf8 = new TextDecoder();

/** Tiers of tracker URLs: announce-list when it yields any URL, else [[announce]]. */
export function extractTrackerTiers(torrent: BDict): string[][] {
  const seen = new Set<string>();
  const tiers: string[][] = [];
  const announceList = torrent.get('announce-list');
  if (Array.isArray(announceList)) {
    for (const tier of announceList) {
      if (!Array.isArray(tier)) continue;
      const urls = tier.map((entry) => usableUrl(entry, TRACKER_PROTOCOLS, seen)).filter(isString);
      if (urls.length > 0) tiers.push(urls);
    }
  }
  if (tiers.length > 0) return tiers;
  const announce = usableUrl(torrent.get('announce'), TRACKER_PROTOCOLS, seen);
  return announce === undefined ? [] : [[announce]];
}

/**
 * BEP 19 web seeds. For a torrent of several files the URL names a folder, so it gets a trailing
 * '/' (as libtorrent does); for one file it may name the file itself and is kept as it is.
 */
export function extractWebSeeds(torrent: BDict, fileCount: number): string[] {
  const value = torrent.get('url-list');
  const entries = Array.isArray(value) ? value : value === undefined ? [] : [value];
  const seen = new Set<string>();
  const seeds: string[] = [];
  for (const entry of entries) {
    let url = usableUrl(entry, WEB_SEED_PROTOCOLS, new Set());
    if (url === undefined) continue;
    url = url.replaceAll(' ', '%20');
    if (fileCount > 1 && !url.endsWith('/')) url += '/';
    if (seen.has(url)) continue;
    seen.add(url);
    seeds.push(url);
  }
  return seeds;
}

/** The trimmed URL if it is a byte string with an allowed scheme and not seen before. */
function usableUrl(entry: BValue | undefined, protocols: Set<string>, seen: Set<string>): string | undefined {
  if (!isBytes(entry)) return undefined;
  const url = utf8.decode(entry).trim();
  if (url === '' || seen.has(url) || !protocols.has(protocolOf(url))) return undefined;
  seen.add(url);
  return url;
}

/** URL.canParse first: `new URL` throws on junk, and 200,000 junk entries threw for 3–7 s. */
function protocolOf(url: string): string {
  return URL.canParse(url) ? new URL(url).protocol : '';
}

function isString(value: string | undefined): value is string {
  return value !== undefined;
}
