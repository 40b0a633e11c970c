// Numbers as people read them: SI byte units (1 kB = 1000 B, like file managers and disk
// labels), rates, durations and percentages. Pure functions, unit-tested.

const BYTE_UNITS = ['B', 'kB', 'MB', 'GB', 'TB', 'PB'] as const;

/** 1234567 → "1.2 MB"; 256000000 → "256 MB"; 10e9 → "10 GB". */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes <= 0) return '0 B';
  let value = bytes;
  let unit = 0;
  while (value >= 999.5 && unit < BYTE_UNITS.length - 1) {
    value /= 1000;
    unit++;
  }
  if (unit === 0) return `${Math.round(value)} B`;
  // Three significant digits at most, and no trailing ".0".
  const rounded = value < 99.95 ? Math.round(value * 10) / 10 : Math.round(value);
  return `${rounded} ${BYTE_UNITS[unit]}`;
}

/** Bytes per second → "12.3 MB/s". */
export function formatRate(bytesPerSecond: number): string {
  return `${formatBytes(bytesPerSecond)}/s`;
}

/** Seconds → "3 min 20 s", "2 h 5 min", "4 d 3 h"; unknown → "—". */
export function formatEta(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds) || seconds < 0) return '—';
  const total = Math.round(seconds);
  if (total < 60) return `${total} s`;
  const minutes = Math.floor(total / 60);
  if (minutes < 60) return joinUnits(minutes, 'min', total % 60, 's');
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return joinUnits(hours, 'h', minutes % 60, 'min');
  return joinUnits(Math.floor(hours / 24), 'd', hours % 24, 'h');
}

function joinUnits(major: number, majorUnit: string, minor: number, minorUnit: string): string {
  return minor === 0 ? `${major} ${majorUnit}` : `${major} ${majorUnit} ${minor} ${minorUnit}`;
}

/**
 * A 0..1 ratio as a whole percent, rounded down so that 100 means complete (99.99 % is 99).
 * The small epsilon keeps 0.29 (28.999… in floating point) at 29.
 */
export function percentInt(ratio: number): number {
  if (!Number.isFinite(ratio) || ratio <= 0) return 0;
  if (ratio >= 1) return 100;
  return Math.min(99, Math.floor(ratio * 100 + 1e-9));
}

/** A 0..1 ratio as "45.6%", rounded down to a tenth so that "100%" means complete. */
export function formatPercent(ratio: number): string {
  if (!Number.isFinite(ratio) || ratio <= 0) return '0%';
  if (ratio >= 1) return '100%';
  const tenths = Math.min(999, Math.floor(ratio * 1000 + 1e-9));
  return `${tenths / 10}%`;
}

/** Done bytes of a file as a ratio; an empty file is complete. */
export function fileRatio(doneBytes: number, length: number): number {
  return length <= 0 ? 1 : Math.min(1, doneBytes / length);
}

/** The last segment of a torrent path ("multi/sub/b.bin" → "b.bin"). */
export function baseName(path: string): string {
  const parts = path.split('/').filter((part) => part !== '');
  return parts.at(-1) ?? path;
}

/** Uploaded / downloaded, "1.25"; "—" before anything was downloaded. */
export function formatRatio(uploadedBytes: number, downloadedBytes: number): string {
  if (downloadedBytes <= 0) return uploadedBytes > 0 ? '∞' : '—';
  return (uploadedBytes / downloadedBytes).toFixed(2);
}
