// Rate limits, upload slots and stop-seeding goals: the global settings (kept by the page in
// localStorage) and a torrent's overrides (kept in its record). 0 means no limit / no goal; a
// field a torrent leaves out follows the global one.

export interface LimitSettings {
  downloadKiBps: number;
  uploadKiBps: number;
  /** Peers unchoked at once, one of them optimistic when there are 2 or more; 0: every interested peer. */
  uploadSlots: number;
  /** Stop seeding when uploaded / size reaches this. */
  stopRatio: number;
  /** Stop seeding after this much time spent seeding (lifetime). */
  stopMinutes: number;
}

/** A torrent's overrides: an absent field uses the global setting. */
export type TorrentLimits = Partial<LimitSettings>;

export const LIMIT_FIELDS = ['downloadKiBps', 'uploadKiBps', 'uploadSlots', 'stopRatio', 'stopMinutes'] as const satisfies readonly (keyof LimitSettings)[];
export type LimitField = (typeof LIMIT_FIELDS)[number];

/** Libtorrent's default: 4 by rate plus 1 optimistic. */
export const DEFAULT_UPLOAD_SLOTS = 5;
export const DEFAULT_LIMITS: Readonly<LimitSettings> = { downloadKiBps: 0, uploadKiBps: 0, uploadSlots: DEFAULT_UPLOAD_SLOTS, stopRatio: 0, stopMinutes: 0 };

/** Larger values are typos, not limits (about 10 GiB/s, a year, a ratio of a million). */
const MAX_VALUE: Record<LimitField, number> = {
  downloadKiBps: 10_000_000, uploadKiBps: 10_000_000, uploadSlots: 10_000, stopRatio: 1_000_000, stopMinutes: 525_600,
};

export type LimitErrorCode = 'not-a-number' | 'negative' | 'not-whole' | 'too-large';

export class LimitError extends Error {
  constructor(readonly code: LimitErrorCode, readonly field: LimitField, message: string) {
    super(message);
    this.name = 'LimitError';
  }
}

/** One value, checked: a finite number ≥ 0 (slots whole), or a LimitError saying why not. */
export function checkLimitValue(field: LimitField, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new LimitError('not-a-number', field, 'Enter a number (or leave it empty for no limit).');
  if (value < 0) throw new LimitError('negative', field, 'Enter 0 or more (0 or empty: no limit).');
  if (field === 'uploadSlots' && !Number.isInteger(value)) throw new LimitError('not-whole', field, 'Upload slots are a whole number.');
  if (value > MAX_VALUE[field]) throw new LimitError('too-large', field, `At most ${MAX_VALUE[field]}.`);
  return value;
}

/** Global settings from untrusted data (a command, localStorage): every field checked, missing ones default. */
export function checkLimitSettings(input: unknown): LimitSettings {
  const source = (typeof input === 'object' && input !== null ? input : {}) as Record<string, unknown>;
  const settings = { ...DEFAULT_LIMITS };
  for (const field of LIMIT_FIELDS) if (Object.hasOwn(source, field) && source[field] !== undefined) settings[field] = checkLimitValue(field, source[field]);
  return settings;
}

/** A torrent's overrides from untrusted data: only the fields present, each checked. */
export function checkTorrentLimits(input: unknown): TorrentLimits {
  const source = (typeof input === 'object' && input !== null ? input : {}) as Record<string, unknown>;
  const limits: TorrentLimits = {};
  for (const field of LIMIT_FIELDS) if (Object.hasOwn(source, field) && source[field] !== undefined) limits[field] = checkLimitValue(field, source[field]);
  return limits;
}

/** What applies to a torrent: its overrides over the global settings. */
export function effectiveLimits(global: Readonly<LimitSettings>, torrent: Readonly<TorrentLimits>): LimitSettings {
  const effective = { ...global };
  for (const field of LIMIT_FIELDS) if (torrent[field] !== undefined) effective[field] = torrent[field];
  return effective;
}

export const kibToBytes = (kiBps: number): number => kiBps * 1024;
