// Writing magnet links (BEP 9), e.g. to share a torrent or put it in the page's #fragment.

import { toHex } from '../hex.ts';
import type { MagnetLink } from './types.ts';

export function formatMagnet(link: MagnetLink): string {
  const parts: string[] = [];
  if (link.infoHash !== undefined) parts.push(`xt=urn:btih:${toHex(link.infoHash)}`);
  else if (link.infoHashHex !== undefined) parts.push(`xt=urn:btih:${link.infoHashHex.toLowerCase()}`);
  if (link.v2InfoHash !== undefined) parts.push(`xt=urn:btmh:1220${link.v2InfoHash}`);
  if (link.displayName !== undefined) parts.push(`dn=${encodeURIComponent(link.displayName)}`);
  for (const tracker of link.trackers) parts.push(`tr=${encodeURIComponent(tracker)}`);
  for (const seed of link.webSeeds) parts.push(`ws=${encodeURIComponent(seed)}`);
  for (const peer of link.peers) {
    const host = peer.host.includes(':') ? `[${peer.host}]` : peer.host;
    parts.push(`x.pe=${host}:${peer.port}`);
  }
  if (link.selectOnly !== undefined && link.selectOnly.length > 0) parts.push(`so=${formatSelectOnly(link.selectOnly)}`);
  return `magnet:?${parts.join('&')}`;
}

/** [0, 2, 4, 5, 6] → "0,2,4-6" (BEP 53). Linear for a list that is already sorted (as parsed). */
export function formatSelectOnly(indices: readonly number[]): string {
  const sorted = isAscending(indices) ? indices : [...indices].sort((a, b) => a - b);
  const ranges: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1]! <= sorted[j]! + 1) j++; // consecutive or repeated
    ranges.push(sorted[j]! > sorted[i]! ? `${sorted[i]}-${sorted[j]}` : String(sorted[i]));
    i = j + 1;
  }
  return ranges.join(',');
}

function isAscending(values: readonly number[]): boolean {
  for (let i = 1; i < values.length; i++) if (values[i]! < values[i - 1]!) return false;
  return true;
}
