// Input generators: random bytes of random length, and bencode built from the target's own
// vocabulary (its dictionary keys), including the shapes decoders get wrong: unsorted and
// duplicate keys, huge integers and lengths, deep nesting, compact-list-sized strings.

import { ascii } from './target.ts';
import type { Prng } from './prng.ts';

export const MAX_GENERATED_BYTES = 4096;

export const INTERESTING_INTEGERS = [
  '0', '1', '-1', '-0', '00', '01', '2', '19', '20', '255', '256', '65535', '65536', '16383', '16384',
  '16385', '131072', '131073', '1048576', '2147483647', '2147483648', '4294967295', '4294967296',
  '536870912', '536870913', '2097152', '2097153', '1125899906842624', '1125899906842625',
  '9007199254740991', '9007199254740992', '99999999999999999999', '-9007199254740991', '-2147483648',
];

export function randomBytes(prng: Prng): Uint8Array {
  return prng.bytes(prng.length(MAX_GENERATED_BYTES));
}

export function generateBencode(prng: Prng, dictionary: readonly string[]): Uint8Array {
  if (prng.chance(0.03)) return deepNesting(prng);
  const parts: string[] = [];
  writeValue(prng, dictionary, parts, 0);
  return ascii(parts.join(''));
}

/** "llll…eeee" around the common depth caps (8, 64) and far beyond. */
function deepNesting(prng: Prng): Uint8Array {
  const depth = prng.pick([7, 8, 9, 63, 64, 65, 200, 5000]);
  const open = prng.chance(0.5) ? 'l' : 'd1:a';
  const closed = prng.chance(0.8);
  return ascii(open.repeat(depth) + (prng.chance(0.5) ? 'i1e' : '0:') + (closed ? 'e'.repeat(depth) : ''));
}

function writeValue(prng: Prng, dictionary: readonly string[], out: string[], depth: number): void {
  const kind = depth > 5 ? prng.below(2) : prng.below(5);
  if (kind === 0) out.push(`i${integer(prng)}e`);
  else if (kind === 1) out.push(byteString(prng, dictionary));
  else if (kind === 2) {
    out.push('l');
    const count = prng.length(12);
    for (let i = 0; i < count; i++) writeValue(prng, dictionary, out, depth + 1);
    out.push('e');
  } else writeDict(prng, dictionary, out, depth);
}

function writeDict(prng: Prng, dictionary: readonly string[], out: string[], depth: number): void {
  const keys: string[] = [];
  const count = prng.length(10);
  for (let i = 0; i < count; i++) keys.push(dictionary.length > 0 && prng.chance(0.85) ? prng.pick(dictionary) : randomText(prng, 8));
  if (prng.chance(0.8)) keys.sort();
  out.push('d');
  for (const key of keys) {
    out.push(`${key.length}:${key}`);
    writeValue(prng, dictionary, out, depth + 1);
  }
  out.push('e');
}

function integer(prng: Prng): string {
  return prng.chance(0.5) ? prng.pick(INTERESTING_INTEGERS) : String(prng.between(-1000, 100000));
}

function byteString(prng: Prng, dictionary: readonly string[]): string {
  const roll = prng.below(6);
  let text: string;
  if (roll === 0 && dictionary.length > 0) text = prng.pick(dictionary);
  else if (roll === 1) text = randomText(prng, 6 * prng.below(8)); // compact peers
  else if (roll === 2) text = randomText(prng, prng.pick([4, 16, 18, 20, 26, 40, 52, 64, 65]));
  else text = randomText(prng, prng.length(64));
  if (prng.chance(0.02)) return `${prng.pick(INTERESTING_INTEGERS)}:${text}`; // a lying length
  return `${text.length}:${text}`;
}

function randomText(prng: Prng, length: number): string {
  let text = '';
  for (let i = 0; i < length; i++) text += String.fromCharCode(prng.chance(0.7) ? prng.between(0x20, 0x7e) : prng.below(256));
  return text;
}
