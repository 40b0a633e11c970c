// Which kind of address an IP is, for the relay policy. Pure: IP text in, a class out.
//
// Every textual form Node accepts as an IP is judged by the address it names: upper-case hex,
// leading zeros, zone ids and dotted-quad tails are parsed, never matched as text, and an IPv6
// address that carries an IPv4 address (IPv4-mapped, NAT64, 6to4, Teredo) is judged by the IPv4
// inside it, so `::ffff:7f00:1` or `2002:a00:1::1` cannot stand in for 127.0.0.1 or 10.0.0.1.
import { isIP } from 'node:net';

export type AddressClass =
  | 'public'
  | 'private'
  | 'loopback'
  | 'link-local'
  | 'carrier-grade NAT'
  | 'reserved'
  | 'unspecified'
  | 'multicast'
  | 'broadcast';

/** Classes that --allow-private lets through; the rest are never relayed to. */
export const PRIVATE_CLASSES: ReadonlySet<AddressClass> = new Set([
  'private',
  'loopback',
  'link-local',
  'carrier-grade NAT',
  'reserved',
]);

type Range = [prefix: number[], bits: number, cls: AddressClass];

const V4_RANGES: Range[] = [
  [[0, 0, 0, 0], 8, 'unspecified'], // "this network"
  [[10, 0, 0, 0], 8, 'private'],
  [[100, 64, 0, 0], 10, 'carrier-grade NAT'],
  [[127, 0, 0, 0], 8, 'loopback'],
  [[169, 254, 0, 0], 16, 'link-local'],
  [[172, 16, 0, 0], 12, 'private'],
  [[192, 0, 0, 0], 24, 'reserved'], // IETF protocol assignments
  [[192, 0, 2, 0], 24, 'reserved'], // documentation
  [[192, 168, 0, 0], 16, 'private'],
  [[198, 18, 0, 0], 15, 'reserved'], // benchmarking
  [[198, 51, 100, 0], 24, 'reserved'], // documentation
  [[203, 0, 113, 0], 24, 'reserved'], // documentation
  [[224, 0, 0, 0], 4, 'multicast'],
  [[255, 255, 255, 255], 32, 'broadcast'],
  [[240, 0, 0, 0], 4, 'reserved'],
];

// IPv6 prefixes as 16-bit groups, checked after the forms that embed an IPv4 address.
const V6_RANGES: Range[] = [
  [[0, 0, 0, 0, 0, 0, 0, 0], 128, 'unspecified'],
  [[0, 0, 0, 0, 0, 0, 0, 1], 128, 'loopback'],
  [[0xfe80], 10, 'link-local'],
  [[0xfec0], 10, 'private'], // deprecated site-local
  [[0xfc00], 7, 'private'], // unique local
  [[0xff00], 8, 'multicast'],
  [[0x2001, 0x0db8], 32, 'reserved'], // documentation
  [[0x3fff, 0], 20, 'reserved'], // documentation (RFC 9637)
  [[0x2001, 0x0002, 0], 48, 'reserved'], // benchmarking
  [[0x0100, 0, 0, 0], 64, 'reserved'], // discard-only
  [[0, 0, 0, 0, 0, 0], 96, 'reserved'], // deprecated IPv4-compatible
];

function matches(value: number[], prefix: number[], bits: number, width: number): boolean {
  for (let i = 0; bits > 0; i++, bits -= width) {
    const take = Math.min(bits, width);
    const mask = ((1 << take) - 1) << (width - take);
    if (((value[i] ?? 0) & mask) !== ((prefix[i] ?? 0) & mask)) return false;
  }
  return true;
}

function parseV4(ip: string): number[] {
  return ip.split('.').map(Number);
}

/** Expands IPv6 text (with `::` and an optional dotted-quad tail) into eight 16-bit groups. */
export function parseV6(ip: string): number[] {
  let text = ip.split('%')[0]!; // drop a zone id
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted.slice(1).map(Number);
    const hex = (x: number) => x.toString(16);
    text = text.slice(0, dotted.index) + hex((a! << 8) | b!) + ':' + hex((c! << 8) | d!);
  }
  const parse = (s: string) => (s === '' ? [] : s.split(':').map((x) => parseInt(x, 16)));
  const gap = text.indexOf('::');
  if (gap < 0) return parse(text);
  const left = parse(text.slice(0, gap));
  const right = parse(text.slice(gap + 2));
  return [...left, ...new Array<number>(Math.max(0, 8 - left.length - right.length)).fill(0), ...right];
}

function v4Text(hi: number, lo: number): string {
  return `${hi >> 8}.${hi & 0xff}.${lo >> 8}.${lo & 0xff}`;
}

const zero = (groups: number[]) => groups.every((g) => g === 0);

/**
 * The IPv4 addresses an IPv6 address carries: IPv4-mapped (::ffff:0:0/96), NAT64 (64:ff9b::/96
 * and the local-use 64:ff9b:1::/48 of RFC 8215 in its /96 layout), 6to4 (2002::/16, RFC 3056)
 * and Teredo (2001::/32, RFC 4380: the server, and the client's address XOR 0xffffffff).
 */
function embeddedV4(g: number[]): string[] {
  const tail = v4Text(g[6]!, g[7]!);
  if (zero(g.slice(0, 5)) && g[5] === 0xffff) return [tail];
  if (g[0] === 0x64 && g[1] === 0xff9b && zero(g.slice(2, 6))) return [tail];
  if (g[0] === 0x64 && g[1] === 0xff9b && g[2] === 1 && zero(g.slice(3, 6))) return [tail];
  if (g[0] === 0x2002) return [v4Text(g[1]!, g[2]!)];
  if (g[0] === 0x2001 && g[1] === 0) return [v4Text(g[2]!, g[3]!), v4Text(g[6]! ^ 0xffff, g[7]! ^ 0xffff)];
  return [];
}

/** 0 public, 1 allowed by --allow-private, 2 never allowed. */
function strictness(cls: AddressClass): number {
  return cls === 'public' ? 0 : PRIVATE_CLASSES.has(cls) ? 1 : 2;
}

function classifyV4(ip: string): AddressClass {
  const v = parseV4(ip);
  for (const [prefix, bits, cls] of V4_RANGES) if (matches(v, prefix, bits, 8)) return cls;
  return 'public';
}

function classifyV6(groups: number[]): AddressClass {
  const inside = embeddedV4(groups);
  if (inside.length > 0) {
    // Judged by every IPv4 address inside: the stricter class wins.
    return inside.map(classifyV4).reduce((a, b) => (strictness(b) > strictness(a) ? b : a));
  }
  for (const [prefix, bits, cls] of V6_RANGES) if (matches(groups, prefix, bits, 16)) return cls;
  // Global unicast is 2000::/3 (RFC 4291 §2.4). The rest of 64:ff9b::/32 and 64:ff9b:1::/48
  // (an unknown translator layout) and everything else unassigned lands here.
  if ((groups[0]! & 0xe000) !== 0x2000) return 'reserved';
  return 'public';
}

export function classifyAddress(ip: string): AddressClass {
  const family = isIP(ip); // Node takes a zone id on IPv6 only
  if (family === 4) return classifyV4(ip);
  if (family === 6) return classifyV6(parseV6(ip));
  throw new Error(`not an IP address: ${ip}`);
}

/** The IPv4 addresses inside an IPv6 address (see embeddedV4); none for IPv4 or non-IP text. */
export function embeddedAddresses(ip: string): string[] {
  return isIP(ip) === 6 ? embeddedV4(parseV6(ip)) : [];
}

/** RFC 5952 text for eight groups: lower case, no leading zeros, the longest zero run as `::`. */
function formatV6(groups: number[]): string {
  let best = -1;
  let bestLength = 1; // a single zero group is not compressed
  for (let i = 0; i < 8; ) {
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) [best, bestLength] = [i, j - i];
    i = j === i ? i + 1 : j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (best < 0) return hex.join(':');
  return `${hex.slice(0, best).join(':')}::${hex.slice(best + bestLength).join(':')}`;
}

/**
 * One text per address, for comparing addresses: IPv4 as is, IPv4-mapped IPv6 as its IPv4, other
 * IPv6 in RFC 5952 form without a zone id. Text that is not an IP comes back unchanged.
 */
export function canonicalAddress(ip: string): string {
  const family = isIP(ip);
  if (family !== 6) return ip;
  const groups = parseV6(ip);
  if (zero(groups.slice(0, 5)) && groups[5] === 0xffff) return v4Text(groups[6]!, groups[7]!);
  return formatV6(groups);
}

/** `::ffff:1.2.3.4` (or `::FFFF:102:304`) → `1.2.3.4`; other text unchanged. */
export function unmapAddress(ip: string): string {
  if (isIP(ip) !== 6) return ip;
  const groups = parseV6(ip);
  return zero(groups.slice(0, 5)) && groups[5] === 0xffff ? v4Text(groups[6]!, groups[7]!) : ip;
}
