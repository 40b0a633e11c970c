// The HTTP Range header of a GET for one file (RFC 9110 §14): a single byte range, or the whole
// file. Several ranges in one header are answered with the first (a media element asks for one).

export type RangeRequest =
  | { kind: 'whole' }
  /** Bytes [start, end) of the file: end is exclusive here, unlike the header's inclusive last. */
  | { kind: 'partial'; start: number; end: number }
  /** 416: the range starts past the end, or the file is empty. */
  | { kind: 'unsatisfiable' };

const BYTE_RANGE = /^\s*(\d*)\s*-\s*(\d*)\s*$/;

/** Reads a Range header against a file of `size` bytes; a header that is not a byte range is ignored. */
export function parseRange(header: string | null | undefined, size: number): RangeRequest {
  if (!header) return { kind: 'whole' };
  const match = /^\s*bytes\s*=\s*([^,]*)/i.exec(header);
  const spec = match && BYTE_RANGE.exec(match[1]!);
  if (!spec || (spec[1] === '' && spec[2] === '')) return { kind: 'whole' };
  const first = spec[1] === '' ? undefined : Number(spec[1]);
  const last = spec[2] === '' ? undefined : Number(spec[2]);
  if (first === undefined) {
    // bytes=-N: the last N bytes.
    if (last === 0 || size === 0) return { kind: 'unsatisfiable' };
    return { kind: 'partial', start: Math.max(0, size - last!), end: size };
  }
  if (last !== undefined && last < first) return { kind: 'whole' }; // invalid: RFC says ignore it
  if (first >= size) return { kind: 'unsatisfiable' };
  return { kind: 'partial', start: first, end: Math.min(size, last === undefined ? size : last + 1) };
}

/** The Content-Range value of a 206 (`partial`) or a 416 (`unsatisfiable`). */
export function contentRange(range: RangeRequest, size: number): string {
  return range.kind === 'partial' ? `bytes ${range.start}-${range.end - 1}/${size}` : `bytes */${size}`;
}
