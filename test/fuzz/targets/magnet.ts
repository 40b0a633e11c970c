// Magnet links (shared/magnet): the input bytes read as UTF-8 text. An accepted link has a
// 20-byte info-hash (or a v2 one) and survives formatMagnet → parseMagnet unchanged.

import { formatMagnet, MagnetError, parseMagnet } from '../../../shared/magnet/index.ts';
import type { Prng } from '../prng.ts';
import { check, roundTrip, type FuzzTarget } from '../target.ts';

const utf8 = new TextDecoder();
const encoder = new TextEncoder();

const HEX_HASH = 'c12fe1c06bba254a9dc9f519b335aa7c1367a88a';
const BASE32_HASH = 'YEX6DQDLXISUVHOJ6UM3GNNKPQJWPKEK';
const V2_HASH = '1220' + 'ab'.repeat(32);

const PARAMETERS = [
  `xt=urn:btih:${HEX_HASH}`, `xt=urn:btih:${BASE32_HASH}`, `xt=urn:btmh:${V2_HASH}`, 'xt.1=urn:btih:', 'dn=Some+Name%20here',
  'tr=http%3A%2F%2Ftracker.example%2Fannounce', 'tr=udp://t.example:6969', 'ws=https://seed.example/files/', 'x.pe=192.0.2.1:6881',
  'x.pe=[2001:db8::1]:51413', 'so=0,2,4-6', 'so=0-999999999', 'dn=%E2%82%AC', 'tr=%ZZ', 'xt=urn:btih:====', '&&', '=', '%',
];

const SEEDS = [
  `magnet:?xt=urn:btih:${HEX_HASH}`,
  `magnet:?xt=urn:btih:${BASE32_HASH}&dn=Ubuntu`,
  `magnet:?xt=urn:btih:${HEX_HASH}&dn=My+File&tr=udp%3A%2F%2Ftracker.example%3A6969&tr=http://t.example/a&ws=http://s.example/f&x.pe=10.0.0.1:6881&x.pe=[::1]:80&so=0,2-3`,
  `magnet:?xt=urn:btmh:${V2_HASH}&xt=urn:btih:${HEX_HASH}`,
];

function generateMagnet(prng: Prng): Uint8Array {
  const parts: string[] = [];
  const count = 1 + prng.length(8);
  for (let i = 0; i < count; i++) parts.push(prng.pick(PARAMETERS));
  return encoder.encode(`${prng.chance(0.9) ? 'magnet:?' : 'MAGNET:?'}${parts.join('&')}`);
}

/** Element by element: `so` may select a million files, and joining them costs 400 ms. */
function sameNumbers(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export const magnetTarget: FuzzTarget = {
  name: 'magnet',
  dictionary: [...PARAMETERS, 'magnet:?', 'urn:btih:', '%00', '%C3%A9', '%F0%9F%98%80', HEX_HASH, BASE32_HASH],
  generate: generateMagnet,
  // parseMagnet, formatMagnet, parseMagnet again; `so` may expand to a million indices each time.
  decodesPerRun: 3,
  seeds: () => SEEDS.map((text) => encoder.encode(text)),
  typedErrors: [MagnetError],
  run(input) {
    const link = parseMagnet(utf8.decode(input));
    check(link.infoHash === undefined || link.infoHash.length === 20, `info-hash of ${link.infoHash?.length} bytes`);
    check(link.v2InfoHash === undefined || /^[0-9a-f]{64}$/.test(link.v2InfoHash), 'v2 info-hash is not 64 hex digits');
    const again = roundTrip('formatMagnet → parseMagnet', () => parseMagnet(formatMagnet(link)));
    check(again.infoHashHex === link.infoHashHex && again.v2InfoHash === link.v2InfoHash, 'info-hash changes through formatMagnet');
    check(again.displayName === link.displayName, 'display name changes through formatMagnet');
    check(again.trackers.join() === link.trackers.join() && again.webSeeds.join() === link.webSeeds.join(), 'trackers change through formatMagnet');
    check(again.peers.length === link.peers.length, 'peers change through formatMagnet');
    check(sameNumbers(again.selectOnly ?? [], link.selectOnly ?? []), 'file selection changes through formatMagnet');
  },
};
