// Settings and overrides from untrusted data: numbers ≥ 0 pass, anything else is a typed LimitError
// and nothing is applied; a torrent's absent fields follow the global ones.
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_LIMITS, LimitError, checkLimitSettings, checkTorrentLimits, effectiveLimits,
} from '../../../../web/worker/rate-limit/limit-settings.ts';
import { GlobalLimits } from '../../../../web/worker/rate-limit/global-limits.ts';

const codeOf = (fn: () => unknown) => { try { fn(); } catch (error) { return error instanceof LimitError ? `${error.field}:${error.code}` : 'other'; } return 'none'; };

describe('limit settings', () => {
  it('defaults: no rate limits, 5 upload slots, no goals', () => {
    expect(checkLimitSettings(undefined)).toEqual(DEFAULT_LIMITS);
    expect(DEFAULT_LIMITS).toEqual({ downloadKiBps: 0, uploadKiBps: 0, uploadSlots: 5, stopRatio: 0, stopMinutes: 0 });
  });

  it('refuses negative, NaN, strings, fractional slots and absurd values with typed codes', () => {
    expect(codeOf(() => checkLimitSettings({ downloadKiBps: -1 }))).toBe('downloadKiBps:negative');
    expect(codeOf(() => checkLimitSettings({ uploadKiBps: NaN }))).toBe('uploadKiBps:not-a-number');
    expect(codeOf(() => checkTorrentLimits({ stopRatio: '2' }))).toBe('stopRatio:not-a-number');
    expect(codeOf(() => checkTorrentLimits({ uploadSlots: 2.5 }))).toBe('uploadSlots:not-whole');
    expect(codeOf(() => checkTorrentLimits({ stopMinutes: 1e12 }))).toBe('stopMinutes:too-large');
  });

  it('keeps only known fields of an override; absent ones follow the global settings', () => {
    const own = checkTorrentLimits({ uploadKiBps: 10, stopRatio: 0, __proto__: { downloadKiBps: 1 }, other: 5 });
    expect(own).toEqual({ uploadKiBps: 10, stopRatio: 0 });
    expect(effectiveLimits({ ...DEFAULT_LIMITS, stopRatio: 2, downloadKiBps: 100 }, own))
      .toEqual({ downloadKiBps: 100, uploadKiBps: 10, uploadSlots: 5, stopRatio: 0, stopMinutes: 0 });
  });

  it('GlobalLimits applies nothing when a value is invalid', () => {
    const global = new GlobalLimits();
    global.set({ downloadKiBps: 100 });
    expect(global.download.bytesPerSecond).toBe(100 * 1024);
    expect(() => global.set({ downloadKiBps: 5, uploadKiBps: -1 })).toThrow(LimitError);
    expect(global.settings.downloadKiBps).toBe(100);
    expect(global.download.bytesPerSecond).toBe(100 * 1024);
  });
});
