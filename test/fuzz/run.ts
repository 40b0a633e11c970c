// `npm run fuzz [target…]`: every codec target (or those named) with FUZZ_ITERATIONS inputs each
// (default 1,000,000) from FUZZ_SEED (default: random, printed). Prints per target the inputs
// run, typed errors, accepted inputs, the slowest input and the largest allocation; every
// finding (crash, slow input, allocation beyond budget) with its input in hex, also written to
// FUZZ_CRASH_DIR (default .scratch/fuzz). Exits non-zero on any finding.
//
// Reproduce a finding: FUZZ_SEED=<seed> FUZZ_ITERATIONS=<iteration + 1> npm run fuzz <target>

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { uninstallAllocMeter } from './alloc-meter.ts';
import { DEFAULT_SLOW_MS, fuzzTarget, toHexDump, type FuzzReport } from './engine.ts';
import { FUZZ_TARGETS } from './targets/index.ts';

const iterations = Number(process.env.FUZZ_ITERATIONS ?? 1_000_000);
const seed = process.env.FUZZ_SEED !== undefined ? Number(process.env.FUZZ_SEED) >>> 0 : (Date.now() ^ (Math.random() * 0x100000000)) >>> 0;
const slowMs = Number(process.env.FUZZ_SLOW_MS ?? DEFAULT_SLOW_MS);
const crashDir = process.env.FUZZ_CRASH_DIR ?? '.scratch/fuzz';
const wanted = process.argv.slice(2);

const unknown = wanted.filter((name) => !FUZZ_TARGETS.some((target) => target.name === name));
if (unknown.length > 0) {
  console.error(`unknown fuzz target(s): ${unknown.join(', ')}; known: ${FUZZ_TARGETS.map((t) => t.name).join(', ')}`);
  process.exit(2);
}
const targets = wanted.length > 0 ? FUZZ_TARGETS.filter((target) => wanted.includes(target.name)) : FUZZ_TARGETS;

console.log(`fuzz: seed ${seed}, ${iterations} inputs per target, slow bound ${slowMs} ms + 1 ms per KiB, targets: ${targets.map((t) => t.name).join(' ')}`);
const reports: FuzzReport[] = [];
for (const target of targets) {
  const report = fuzzTarget(target, {
    iterations,
    seed,
    slowMs,
    progressEvery: 100_000,
    onProgress: (r) => console.log(`  ${r.target}: ${r.inputs} inputs, ${(r.elapsedMs / 1000).toFixed(0)} s`),
  });
  reports.push(report);
  console.log(summary(report));
  for (const finding of report.findings) {
    const file = join(crashDir, `${report.target}-${seed}-${finding.iteration}.bin`);
    mkdirSync(crashDir, { recursive: true });
    writeFileSync(file, finding.input);
    console.log(`  FINDING ${finding.kind} at iteration ${finding.iteration} (seed ${seed}), input saved to ${file}`);
    console.log(`    input: ${toHexDump(finding.input)}`);
    console.log(`    ${finding.detail.split('\n').slice(0, 6).join('\n    ')}`);
  }
}
uninstallAllocMeter();

console.log('\ntarget               inputs  typed errors   accepted   max ms  max alloc  elapsed');
for (const r of reports) {
  console.log(
    `${r.target.padEnd(18)} ${String(r.inputs).padStart(8)} ${String(r.typedErrors).padStart(13)} ${String(r.accepted).padStart(10)} ${r.maxMs.toFixed(2).padStart(8)} ${kib(r.maxAllocatedBytes).padStart(10)} ${(r.elapsedMs / 1000).toFixed(1).padStart(7)} s`,
  );
}
const findings = reports.reduce((sum, r) => sum + r.findings.length, 0);
console.log(`\nfuzz: ${findings === 0 ? 'no findings' : `${findings} finding(s)`} (seed ${seed}); peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`);
process.exit(findings === 0 ? 0 : 1);

function summary(r: FuzzReport): string {
  return `${r.target}: ${r.inputs} inputs, ${r.typedErrors} typed errors, ${r.accepted} accepted, max ${r.maxMs.toFixed(2)} ms per input, max ${kib(r.maxAllocatedBytes)} allocated, ${(r.elapsedMs / 1000).toFixed(1)} s, ${r.findings.length} finding(s)`;
}

function kib(bytes: number): string {
  return `${(bytes / 1024).toFixed(0)} KiB`;
}
