import { describe, expect, it } from 'vitest';
import {
  baseName, fileRatio, formatBytes, formatEta, formatPercent, formatRate, formatRatio, percentInt,
} from '../../../web/ui/format.ts';

describe('formatBytes', () => {
  it('uses SI units with at most three significant digits', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(999)).toBe('999 B');
    expect(formatBytes(1000)).toBe('1 kB');
    expect(formatBytes(1234)).toBe('1.2 kB');
    expect(formatBytes(12_345_678)).toBe('12.3 MB');
    expect(formatBytes(256_000_000)).toBe('256 MB');
    expect(formatBytes(268_435_456)).toBe('268 MB');
    expect(formatBytes(1.2e9)).toBe('1.2 GB');
    expect(formatBytes(10e9)).toBe('10 GB');
    expect(formatBytes(3.5e15)).toBe('3.5 PB');
  });
  it('does not show "1000 kB"', () => {
    expect(formatBytes(999_999)).toBe('1 MB');
    expect(formatBytes(999_400)).toBe('999 kB');
  });
  it('treats nonsense as zero', () => {
    expect(formatBytes(-5)).toBe('0 B');
    expect(formatBytes(Number.NaN)).toBe('0 B');
    expect(formatBytes(Number.POSITIVE_INFINITY)).toBe('0 B');
  });
});

describe('formatRate', () => {
  it('appends /s', () => {
    expect(formatRate(12_300_000)).toBe('12.3 MB/s');
    expect(formatRate(0)).toBe('0 B/s');
  });
});

describe('formatEta', () => {
  it('shows the two largest units', () => {
    expect(formatEta(0)).toBe('0 s');
    expect(formatEta(42)).toBe('42 s');
    expect(formatEta(200)).toBe('3 min 20 s');
    expect(formatEta(180)).toBe('3 min');
    expect(formatEta(3600 * 2 + 5 * 60 + 7)).toBe('2 h 5 min');
    expect(formatEta(86_400 * 4 + 3600 * 3)).toBe('4 d 3 h');
  });
  it('shows a dash when unknown', () => {
    expect(formatEta(null)).toBe('—');
    expect(formatEta(undefined)).toBe('—');
    expect(formatEta(Number.POSITIVE_INFINITY)).toBe('—');
    expect(formatEta(-1)).toBe('—');
  });
});

describe('percentInt / formatPercent', () => {
  it('rounds down so that 100 means complete', () => {
    expect(percentInt(0)).toBe(0);
    expect(percentInt(0.29)).toBe(29);
    expect(percentInt(0.999_99)).toBe(99);
    expect(percentInt(1)).toBe(100);
    expect(percentInt(1.2)).toBe(100);
    expect(percentInt(Number.NaN)).toBe(0);
    expect(formatPercent(0.456_78)).toBe('45.6%');
    expect(formatPercent(0.999_9)).toBe('99.9%');
    expect(formatPercent(0.999_99)).toBe('99.9%');
    expect(formatPercent(1)).toBe('100%');
    expect(formatPercent(0)).toBe('0%');
  });
  it('counts an empty file as complete', () => {
    expect(fileRatio(0, 0)).toBe(1);
    expect(fileRatio(5, 10)).toBe(0.5);
  });
});

describe('baseName / formatRatio', () => {
  it('takes the last path segment', () => {
    expect(baseName('multi/sub/b.bin')).toBe('b.bin');
    expect(baseName('a.txt')).toBe('a.txt');
  });
  it('divides uploaded by downloaded', () => {
    expect(formatRatio(0, 0)).toBe('—');
    expect(formatRatio(5, 0)).toBe('∞');
    expect(formatRatio(150, 100)).toBe('1.50');
  });
});
