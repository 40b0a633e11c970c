// Turning untrusted path elements from a torrent into safe ones. A hostile torrent may name files
// "../../.bashrc", "/etc/passwd", "C:\x", "CON" or 10,000 bytes long; none of that may escape the
// download folder or break the file system. Rules follow libtorrent's sanitize_append_path_element
// (its test torrents are our fixtures), so both clients name files the same way:
// - '/' and '\' are dropped from inside an element, as are bidi-override characters (they disguise
//   extensions: "gpj.exe" shown as "exe.jpg");
// - control characters and invalid UTF-8 become '_';
// - an element that ends up as "." or ".." (or nothing) is dropped — or, for a file name, becomes "_";
// - an empty element becomes "_";
// - elements are cut at 240 bytes, keeping a short extension, so they stay within 255 bytes;
// - Windows device names (CON, NUL, COM1…) get a '_' prefix (files may end up on Windows disks).

const MAX_ELEMENT_BYTES = 240; // then a ≤ 9-byte extension and at most 3 bytes of overshoot: ≤ 255
const EXTENSION_SEARCH_BYTES = 10;
const DOT = 0x2e;

// Unicode bidi controls (LRE, RLE, PDF, LRO, RLO, LRM, RLM).
const BIDI_CONTROLS = new Set([0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x200e, 0x200f]);
const WINDOWS_RESERVED = new Set([
  'con', 'prn', 'aux', 'nul', 'clock$',
  'com0', 'com1', 'com2', 'com3', 'com4', 'com5', 'com6', 'com7', 'com8', 'com9',
  'lpt0', 'lpt1', 'lpt2', 'lpt3', 'lpt4', 'lpt5', 'lpt6', 'lpt7', 'lpt8', 'lpt9',
]);

/**
 * Sanitises one path element. Returns undefined when the element should be dropped (only when
 * `isFileName` is false: a file name always yields something).
 */
export function sanitizePathElement(element: Uint8Array, isFileName: boolean): string | undefined {
  if (element.length === 1 && element[0] === DOT && !isFileName) return undefined;
  if (element.length === 0) return '_';
  let out = '';
  let addedBytes = 0;
  let dotCount = 0;
  let foundExtension = false;
  for (let i = 0; i < element.length; ) {
    const [codePoint, sequenceBytes] = readCodePoint(element, i);
    const next = i + sequenceBytes;
    if (codePoint === 0x2f || codePoint === 0x5c || BIDI_CONTROLS.has(codePoint)) {
      i = next;
      continue;
    }
    if (codePoint < 0x20) {
      // control character or invalid UTF-8 (-1)
      out += '_';
      addedBytes++;
      i = next;
      continue;
    }
    out += String.fromCodePoint(codePoint);
    addedBytes += sequenceBytes;
    if (codePoint === DOT) dotCount++;
    if (addedBytes >= MAX_ELEMENT_BYTES && !foundExtension) {
      const dot = findExtensionDot(element, i);
      if (dot < 0) break;
      foundExtension = true;
      i = dot;
      continue;
    }
    i = next;
  }
  if (addedBytes === dotCount && addedBytes <= 2) return isFileName ? '_' : undefined;
  return isWindowsReserved(out) ? `_${out}` : out;
}

/** A '.' among the last few bytes (after `current`), marking an extension worth keeping. */
function findExtensionDot(element: Uint8Array, current: number): number {
  const stop = Math.max(element.length - EXTENSION_SEARCH_BYTES, current);
  for (let j = element.length - 1; j > stop; j--) {
    if (element[j] === DOT) return j;
  }
  return -1;
}

function isWindowsReserved(element: string): boolean {
  const dot = element.indexOf('.');
  const stem = (dot < 0 ? element : element.slice(0, dot)).trimEnd().toLowerCase();
  return WINDOWS_RESERVED.has(stem);
}

/** Strict UTF-8: [codePoint, bytes]; invalid (overlong, surrogate, truncated) → [-1, 1]. */
export function readCodePoint(bytes: Uint8Array, index: number): [number, number] {
  const lead = bytes[index]!;
  if (lead < 0x80) return [lead, 1];
  let length: number;
  let min: number;
  if (lead >= 0xc2 && lead <= 0xdf) [length, min] = [2, 0x80];
  else if (lead >= 0xe0 && lead <= 0xef) [length, min] = [3, 0x800];
  else if (lead >= 0xf0 && lead <= 0xf4) [length, min] = [4, 0x10000];
  else return [-1, 1];
  if (index + length > bytes.length) return [-1, 1];
  let codePoint = lead & (0xff >> (length + 1));
  for (let k = 1; k < length; k++) {
    const byte = bytes[index + k]!;
    if ((byte & 0xc0) !== 0x80) return [-1, 1];
    codePoint = (codePoint << 6) | (byte & 0x3f);
  }
  if (codePoint < min || codePoint > 0x10ffff || (codePoint >= 0xd800 && codePoint <= 0xdfff)) return [-1, 1];
  return [codePoint, length];
}
