// The fuzz targets of `npm run fuzz`, a few thousand inputs each from a fixed seed, inside
// `npm test`: a codec change that lets a non-typed error escape, hangs on an input or allocates
// what a length field claims fails here, with the input in hex.
import { afterAll, describe, expect, it } from 'vitest';
import { uninstallAllocMeter } from './alloc-meter.ts';
import { fuzzTarget, toHexDump } from './engine.ts';
import { FUZZ_TARGETS } from './targets/index.ts';

const ITERATIONS = 3000;
const SEED = 0x7ab70ae;
// The CLI flags inputs over 50 ms; here other test files share the two cores, so allow more.
const SLOW_MS = 250;

afterAll(() => uninstallAllocMeter());

describe('fuzz (short run)', () => {
  it.each(FUZZ_TARGETS.map((target) => [target.name, target] as const))('%s: only typed errors, bounded time and allocation', (_name, target) => {
    const report = fuzzTarget(target, { iterations: ITERATIONS, seed: SEED, slowMs: SLOW_MS });
    const findings = report.findings.map((f) => `${f.kind} at iteration ${f.iteration} (seed ${SEED}): ${f.detail.split('\n')[0]}\n  input ${toHexDump(f.input, 512)}`);
    expect(findings).toEqual([]);
    expect(report.inputs).toBe(ITERATIONS);
    // Both outcomes occur: the seeds are valid and the mutations reach the error paths.
    expect(report.accepted).toBeGreaterThan(0);
    expect(report.typedErrors).toBeGreaterThan(0);
  });
});
