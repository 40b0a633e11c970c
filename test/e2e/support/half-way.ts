// Shared by the "interrupt half-way" tests: a torrent big enough, and a seeder slow enough, that the
// download takes ~10 s, so the test can interrupt it at 40–60 % and measure what was fetched after.
import { expect } from 'vitest';
import type { SwarmOptions } from './swarm.ts';

export const HALF_WAY_PIECE_EXP = 18; // 256 KiB
export const HALF_WAY_PIECE_BYTES = 2 ** HALF_WAY_PIECE_EXP;
export const HALF_WAY_TOTAL_BYTES = 48 * 2 ** 20; // 192 pieces
/** ~10 s for the whole torrent. */
export const HALF_WAY_UPLOAD_LIMIT = 5_000_000;
/** Pieces in flight (requested, received but not yet stored) that may be fetched twice. */
export const IN_FLIGHT_ALLOWANCE_PIECES = 40;

export function halfWaySwarm(name: string): SwarmOptions {
  return {
    name,
    files: [{ path: name, size: HALF_WAY_TOTAL_BYTES }],
    pieceLengthExp: HALF_WAY_PIECE_EXP,
    uploadLimitBytesPerSec: HALF_WAY_UPLOAD_LIMIT,
  };
}

export interface Interruption {
  /** aria-valuenow when the test interrupted the download. */
  progressAtInterrupt: number;
  /** The seeder's total_upload then. */
  uploadedAtInterrupt: number;
}

/**
 * What the seeder sent after the interruption must not exceed what was missing then plus the pieces
 * that may have been in flight: the tab resumed, it did not start over.
 */
export function expectResumed(interruption: Interruption, uploadedAtEnd: number, what: string): { fetchedAfter: number; missing: number } {
  const missing = HALF_WAY_TOTAL_BYTES * (1 - interruption.progressAtInterrupt / 100);
  const fetchedAfter = uploadedAtEnd - interruption.uploadedAtInterrupt;
  const bound = missing + IN_FLIGHT_ALLOWANCE_PIECES * HALF_WAY_PIECE_BYTES;
  console.log(
    `${what}: interrupted at ${interruption.progressAtInterrupt} %; missing then ${(missing / 2 ** 20).toFixed(1)} MiB, ` +
      `fetched after ${(fetchedAfter / 2 ** 20).toFixed(1)} MiB (bound ${(bound / 2 ** 20).toFixed(1)} MiB)`,
  );
  expect(fetchedAfter, `${what}: bytes the seeder sent after the interruption`).toBeLessThanOrEqual(bound);
  return { fetchedAfter, missing };
}
