// RC4 throughput in this process (shared/mse/rc4.ts), MB/s = 10^6 bytes/s: the WebAssembly loop
// and the JavaScript one (its fallback), in place (encrypt) and into a new array (encrypted, what
// an MSE stream does per chunk), at a PIECE message's size and at 64 KiB; then short messages,
// which decide where the JavaScript loop takes over (WASM_MIN_BYTES in rc4.ts). Each figure is the
// best of ROUNDS short rounds, the two loops taking turns, so a busy machine shows less.
// Run: node --import tsx bench/rc4-speed.ts [MB per round, default 16]
import { RC4 } from '../shared/mse/rc4.ts';

const MB = 1e6;
const ROUNDS = 7;
const bytesPerRound = Number(process.argv[2] ?? 16) * MB;
const KEY = new Uint8Array(20).fill(7);
const PIECE_MESSAGE_BYTES = 16 * 1024 + 13;

interface Case { cipher: RC4; chunk: Uint8Array; copy: boolean; best: number }

function makeCase(wasm: boolean, chunkBytes: number, copy: boolean): Case {
  const item = { cipher: new RC4(KEY, { wasm, discardBytes: 1024 }), chunk: new Uint8Array(chunkBytes), copy, best: 0 };
  for (let n = 0; n < 256; n++) runOnce(item); // warm up: the figure is the optimised code's
  return item;
}

function runOnce(item: Case): void {
  if (item.copy) item.cipher.encrypted(item.chunk);
  else item.cipher.encrypt(item.chunk);
}

function round(item: Case): void {
  const calls = Math.max(1, Math.round(bytesPerRound / item.chunk.length));
  const started = performance.now();
  for (let n = 0; n < calls; n++) runOnce(item);
  const mbps = (calls * item.chunk.length) / ((performance.now() - started) / 1000) / MB;
  item.best = Math.max(item.best, mbps);
}

/** Best MB/s of each case, the cases taking turns round by round. */
function bestOf(cases: Case[]): number[] {
  for (let r = 0; r < ROUNDS; r++) for (const item of cases) round(item);
  return cases.map((item) => item.best);
}

for (const [label, chunkBytes] of [['PIECE message (16397 B)', PIECE_MESSAGE_BYTES], ['64 KiB', 65536]] as const) {
  for (const copy of [false, true]) {
    const [wasm, js] = bestOf([makeCase(true, chunkBytes, copy), makeCase(false, chunkBytes, copy)]);
    console.log(`rc4 ${label}, ${copy ? 'into a new array' : 'in place'}: WebAssembly ${wasm!.toFixed(0)} MB/s, JavaScript ${js!.toFixed(0)} MB/s`);
  }
}
for (const chunkBytes of [17, 64, 128, 256, 1024]) {
  const [picked, js] = bestOf([makeCase(true, chunkBytes, false), makeCase(false, chunkBytes, false)]);
  console.log(`rc4 ${chunkBytes}-byte messages: ${picked!.toFixed(0)} MB/s as rc4.ts picks, JavaScript ${js!.toFixed(0)} MB/s`);
}
