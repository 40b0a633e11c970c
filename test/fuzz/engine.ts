// The fuzz loop for one target: each input is a seed or earlier accepted input with 1–4 stacked
// mutations, or a freshly generated one; it runs under a time bound and an allocation budget,
// and whatever it throws that is not one of the target's typed errors is a crash.

import { installAllocMeter, lastMeteredBytes, meterAllocations } from './alloc-meter.ts';
import { generateBencode, randomBytes } from './generate.ts';
import { mutate, type MutationContext } from './mutate.ts';
import { Prng } from './prng.ts';
import type { FuzzTarget } from './target.ts';

export interface FuzzOptions {
  readonly iterations: number;
  readonly seed: number;
  /** An input slower than this plus 1 ms per KiB (on three tries) is a finding. */
  readonly slowMs?: number;
  /** Called every `progressEvery` inputs (the CLI prints progress). */
  readonly onProgress?: (report: FuzzReport) => void;
  readonly progressEvery?: number;
  /** Stop after this many findings (default 10). */
  readonly maxFindings?: number;
}

export interface Finding {
  readonly kind: 'crash' | 'slow' | 'allocation';
  readonly iteration: number;
  readonly input: Uint8Array;
  readonly detail: string;
}

export interface FuzzReport {
  readonly target: string;
  readonly seed: number;
  inputs: number;
  typedErrors: number;
  accepted: number;
  maxMs: number;
  maxAllocatedBytes: number;
  elapsedMs: number;
  findings: Finding[];
}

export const DEFAULT_SLOW_MS = 50;
/** Decoding may take time in proportion to the input (at least 1 MB/s), never more. */
export function timeBound(slowMs: number, inputBytes: number): number {
  return slowMs + inputBytes / 1024;
}
/** A decoder may allocate a few times its input (copies, results), never what a field claims. */
export function allocationBudget(inputBytes: number): number {
  return 1024 * 1024 + 8 * inputBytes;
}

const CORPUS_LIMIT = 512;

type Outcome = { kind: 'accepted' } | { kind: 'typed' } | { kind: 'crash'; error: unknown };

export function fuzzTarget(target: FuzzTarget, options: FuzzOptions): FuzzReport {
  installAllocMeter();
  const prng = new Prng(options.seed);
  const slowMs = options.slowMs ?? DEFAULT_SLOW_MS;
  const seeds = target.seeds();
  if (seeds.length === 0) throw new Error(`fuzz target ${target.name} has no seeds`);
  const corpus = new Corpus(seeds, prng);
  const report: FuzzReport = { target: target.name, seed: options.seed, inputs: 0, typedErrors: 0, accepted: 0, maxMs: 0, maxAllocatedBytes: 0, elapsedMs: 0, findings: [] };
  const started = performance.now();
  const context = { prng, other: () => corpus.pick(), dictionary: target.dictionary ?? [], bencode: target.bencode ?? false };
  for (let iteration = 0; iteration < options.iterations; iteration++) {
    const input = iteration < seeds.length ? seeds[iteration]! : nextInput(target, prng, corpus, context); // each seed once as it is
    const t0 = performance.now();
    const outcome = runOnce(target, input);
    const ms = performance.now() - t0;
    const allocated = lastMeteredBytes();
    report.inputs++;
    report.maxAllocatedBytes = Math.max(report.maxAllocatedBytes, allocated);
    if (outcome.kind === 'accepted') {
      report.accepted++;
      corpus.add(input);
    } else if (outcome.kind === 'typed') report.typedErrors++;
    else report.findings.push({ kind: 'crash', iteration, input, detail: describeError(outcome.error) });
    if (allocated > allocationBudget(input.length)) {
      report.findings.push({ kind: 'allocation', iteration, input, detail: `allocated ${allocated} bytes for a ${input.length}-byte input` });
    }
    const boundMs = timeBound(slowMs, input.length) * (target.decodesPerRun ?? 1);
    report.maxMs = Math.max(report.maxMs, ms > boundMs ? confirmSlow(target, input, boundMs, iteration, report) : ms);
    if (options.onProgress && options.progressEvery && (iteration + 1) % options.progressEvery === 0) {
      report.elapsedMs = performance.now() - started;
      options.onProgress(report);
    }
    if (report.findings.length >= (options.maxFindings ?? 10)) break;
  }
  report.elapsedMs = performance.now() - started;
  return report;
}

/** The seeds, and up to CORPUS_LIMIT accepted inputs to mutate further (a random one replaced when full). */
class Corpus {
  private readonly inputs: Uint8Array[];
  constructor(
    private readonly seeds: readonly Uint8Array[],
    private readonly prng: Prng,
  ) {
    this.inputs = [...seeds];
  }

  pick(): Uint8Array {
    return this.prng.pick(this.inputs);
  }

  add(input: Uint8Array): void {
    if (this.inputs.length < CORPUS_LIMIT) this.inputs.push(input);
    else if (this.prng.chance(0.05)) this.inputs[this.seeds.length + this.prng.below(CORPUS_LIMIT - this.seeds.length)] = input;
  }
}

function nextInput(target: FuzzTarget, prng: Prng, corpus: Corpus, context: MutationContext): Uint8Array {
  const roll = prng.below(100);
  let input: Uint8Array;
  if (roll < 5) input = randomBytes(prng);
  else if (roll < 15 && target.generate) input = target.generate(prng);
  else if (roll < 25 && target.bencode) input = generateBencode(prng, target.dictionary ?? []);
  else input = mutate(corpus.pick(), context);
  return prng.chance(0.2) ? atOffset(input, prng.between(1, 7)) : input;
}

/** The same bytes as a view at a byte offset into a larger buffer (DataView offsets). */
function atOffset(input: Uint8Array, offset: number): Uint8Array {
  const buffer = new Uint8Array(input.length + offset + 3);
  buffer.set(input, offset);
  return buffer.subarray(offset, offset + input.length);
}

export function runOnce(target: FuzzTarget, input: Uint8Array): Outcome {
  try {
    meterAllocations(() => target.run(input));
    return { kind: 'accepted' };
  } catch (error) {
    if (target.typedErrors.some((errorClass) => error instanceof errorClass)) return { kind: 'typed' };
    return { kind: 'crash', error };
  }
}

/** A GC pause can make any input slow once: retry twice and report the fastest. */
function confirmSlow(target: FuzzTarget, input: Uint8Array, boundMs: number, iteration: number, report: FuzzReport): number {
  let fastest = Infinity;
  for (let attempt = 0; attempt < 3; attempt++) {
    const t0 = performance.now();
    runOnce(target, input);
    fastest = Math.min(fastest, performance.now() - t0);
  }
  if (fastest > boundMs) {
    report.findings.push({ kind: 'slow', iteration, input, detail: `${fastest.toFixed(1)} ms for ${input.length} bytes (bound ${boundMs.toFixed(0)} ms)` });
  }
  return fastest;
}

function describeError(error: unknown): string {
  if (error instanceof Error) return error.stack ?? `${error.name}: ${error.message}`;
  return `non-Error thrown: ${String(error)}`;
}

export function toHexDump(input: Uint8Array, maxBytes = 4096): string {
  let hex = '';
  for (let i = 0; i < Math.min(input.length, maxBytes); i++) hex += input[i]!.toString(16).padStart(2, '0');
  return input.length > maxBytes ? `${hex}… (${input.length} bytes)` : hex;
}
