// Which kind of address an IP is, for the relay policy. Pure: IP text in, a class out.
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

// IPv6 prefixes as 16-bit groups.
const V6_RANGES: Range[] = [
  [[0, 0, 0, 0, 0, 0, 0, 0], 128, 'unspecified'],
  [[0, 0, 0, 0, 0, 0, 0, 1], 128, 'loopback'],
  [[0xfe80], 10, 'link-local'],
  [[0xfec0], 10, 'private'], // deprecated site-local
  [[0xfc00], 7, 'private'], // unique local
  [[0xff00], 8, 'multicast'],
  [[0x2001, 0x0db8], 32, 'reserved'], // documentation
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

/** The IPv4 address embedded in an IPv4-mapped (::ffff:0:0/96) or NAT64 (64:ff9b::/96) address. */
function embeddedV4(groups: number[]): string | null {
  const mapped = groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff;
  const nat64 = groups[0] === 0x64 && groups[1] === 0xff9b && groups.slice(2, 6).every((g) => g === 0);
  if (!mapped && !nat64) return null;
  const [hi, lo] = [groups[6]!, groups[7]!];
  return `${hi >> 8}.${hi & 0xff}.${lo >> 8}.${lo & 0xff}`;
}

export function classifyAddress(ip: string): AddressClass {
  const family = isIP(ip.split('%')[0]!);
  if (family === 4) {
    const v = parseV4(ip);
    for (const [prefix, bits, cls] of V4_RANGES) if (matches(v, prefix, bits, 8)) return cls;
    return 'public';
  }
  if (family === 6) {
    const groups = parseV6(ip);
    const v4 = embeddedV4(groups);
    if (v4) return classifyAddress(v4);
    for (const [prefix, bits, cls] of V6_RANGES) if (matches(groups, prefix, bits, 16)) return cls;
    return 'public';
  }
  throw new Error(`not an IP address: ${ip}`);
}

/** `::ffff:1.2.3.4` → `1.2.3.4`; other addresses unchanged. */
export function unmapAddress(ip: string): string {
  const m = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  return m ? m[1]! : ip;
}
