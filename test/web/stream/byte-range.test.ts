import { describe, expect, it } from 'vitest';
import { contentRange, parseRange } from '../../../web/stream/byte-range.ts';

describe('parseRange', () => {
  it('serves the whole file without a header, or with one that is not a byte range', () => {
    expect(parseRange(null, 100)).toEqual({ kind: 'whole' });
    expect(parseRange('items=0-5', 100)).toEqual({ kind: 'whole' });
    expect(parseRange('bytes=-', 100)).toEqual({ kind: 'whole' });
    expect(parseRange('bytes=9-3', 100)).toEqual({ kind: 'whole' }); // last before first: ignored
  });

  it('reads first-last (inclusive) as [first, last + 1)', () => {
    expect(parseRange('bytes=0-0', 100)).toEqual({ kind: 'partial', start: 0, end: 1 });
    expect(parseRange('bytes=10-19', 100)).toEqual({ kind: 'partial', start: 10, end: 20 });
    expect(parseRange('bytes = 10 - 19', 100)).toEqual({ kind: 'partial', start: 10, end: 20 });
  });

  it('runs an open range to the end, and clamps a last byte past it', () => {
    expect(parseRange('bytes=95-', 100)).toEqual({ kind: 'partial', start: 95, end: 100 });
    expect(parseRange('bytes=99-', 100)).toEqual({ kind: 'partial', start: 99, end: 100 }); // the last byte
    expect(parseRange('bytes=50-1000', 100)).toEqual({ kind: 'partial', start: 50, end: 100 });
  });

  it('reads a suffix as the last N bytes', () => {
    expect(parseRange('bytes=-10', 100)).toEqual({ kind: 'partial', start: 90, end: 100 });
    expect(parseRange('bytes=-1000', 100)).toEqual({ kind: 'partial', start: 0, end: 100 });
  });

  it('answers a range past the end, an empty suffix and any range of an empty file with 416', () => {
    expect(parseRange('bytes=100-', 100)).toEqual({ kind: 'unsatisfiable' });
    expect(parseRange('bytes=100-200', 100)).toEqual({ kind: 'unsatisfiable' });
    expect(parseRange('bytes=-0', 100)).toEqual({ kind: 'unsatisfiable' });
    expect(parseRange('bytes=0-', 0)).toEqual({ kind: 'unsatisfiable' });
    expect(parseRange('bytes=-5', 0)).toEqual({ kind: 'unsatisfiable' });
  });

  it('takes the first of several ranges', () => {
    expect(parseRange('bytes=0-9, 20-29', 100)).toEqual({ kind: 'partial', start: 0, end: 10 });
  });

  it('writes Content-Range for 206 and 416', () => {
    expect(contentRange({ kind: 'partial', start: 10, end: 20 }, 100)).toBe('bytes 10-19/100');
    expect(contentRange({ kind: 'unsatisfiable' }, 100)).toBe('bytes */100');
  });
});
