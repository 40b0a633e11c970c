// RC4's keystream loop as a tiny hand-assembled WebAssembly module (~300 bytes, no toolchain): about
// twice the speed of the same loop in JavaScript (bench/rc4-speed.ts), and every byte of an
// encrypted download passes through it. One instance serves every cipher: a call copies the
// cipher's 258-byte state in, runs, and copies it out, so ciphers stay independent and memory fixed.
// Where WebAssembly cannot compile (absent, or a page CSP without 'wasm-unsafe-eval') the caller
// keeps its JavaScript loop.
//
// Memory (one 64 KiB page): S at 0..255, i at 256, j at 257, data from DATA_OFFSET to the end.
// Export xor(start, end): XORs the keystream into memory[start..end), four bytes per word while
// four remain, then byte by byte; i and j are read from and written back to memory.

/** Bytes of an RC4 state as the kernel keeps it: the permutation S, then i, then j. */
export const RC4_STATE_BYTES = 258;

const PAGE_BYTES = 65536;
const DATA_OFFSET = 1024;
const DATA_BYTES = PAGE_BYTES - DATA_OFFSET;
const I_ADDRESS = 256;
const J_ADDRESS = 257;

/**
 * XORs RC4 keystream from `state` (S, i, j as 0..255 values; advanced) into `output` for `input`
 * (same length; may be the same array).
 */
export type Rc4Xor = (state: Int32Array, input: Uint8Array, output: Uint8Array) => void;

// Opcodes (WebAssembly core spec, binary format 5.4).
const BLOCK = 0x02, LOOP = 0x03, BR = 0x0c, BR_IF = 0x0d, END = 0x0b, VOID = 0x40;
const LOCAL_GET = 0x20, LOCAL_SET = 0x21, LOCAL_TEE = 0x22, I32_CONST = 0x41;
const I32_LOAD = 0x28, I32_LOAD8_U = 0x2d, I32_STORE = 0x36, I32_STORE8 = 0x3a;
const I32_GT_U = 0x4b, I32_GE_U = 0x4f, I32_ADD = 0x6a, I32_AND = 0x71, I32_XOR = 0x73, I32_SHL = 0x74;
const I32 = 0x7f, FUNC_TYPE = 0x60;
const MEMARG = [0, 0]; // alignment hint 1 byte (words may be unaligned), offset 0

// Locals: the two parameters, then four i32s.
const START = 0, STOP = 1, I = 2, J = 3, A = 4, B = 5;

/** Signed LEB128, as i32.const and the section sizes (unsigned, small here) take it. */
function leb128(value: number): number[] {
  const out: number[] = [];
  for (;;) {
    const byte = value & 0x7f;
    value >>= 7;
    if ((value === 0 && !(byte & 0x40)) || (value === -1 && byte & 0x40)) return [...out, byte];
    out.push(byte | 0x80);
  }
}

const get = (local: number) => [LOCAL_GET, local];
const set = (local: number) => [LOCAL_SET, local];
const tee = (local: number) => [LOCAL_TEE, local];
const constant = (value: number) => [I32_CONST, ...leb128(value)];
const load8 = [I32_LOAD8_U, ...MEMARG];
const store8 = [I32_STORE8, ...MEMARG];

/** Leaves the next keystream byte on the stack: i++, j += S[i], swap S[i] and S[j], S[S[i] + S[j]]. */
const KEYSTREAM_BYTE = [
  ...get(I), ...constant(1), I32_ADD, ...constant(0xff), I32_AND, ...tee(I), ...load8, ...tee(A),
  ...get(J), I32_ADD, ...constant(0xff), I32_AND, ...tee(J), ...load8, ...set(B),
  ...get(I), ...get(B), ...store8,
  ...get(J), ...get(A), ...store8,
  ...get(A), ...get(B), I32_ADD, ...constant(0xff), I32_AND, ...load8,
];

/** memory[start..start+4) ^= four keystream bytes (little-endian: the first is the low byte); start += 4. */
const XOR_WORD = [
  ...get(START),
  ...get(START), I32_LOAD, ...MEMARG,
  ...KEYSTREAM_BYTE, I32_XOR,
  ...KEYSTREAM_BYTE, ...constant(8), I32_SHL, I32_XOR,
  ...KEYSTREAM_BYTE, ...constant(16), I32_SHL, I32_XOR,
  ...KEYSTREAM_BYTE, ...constant(24), I32_SHL, I32_XOR,
  I32_STORE, ...MEMARG,
  ...get(START), ...constant(4), I32_ADD, ...set(START),
];

/** memory[start] ^= one keystream byte; start += 1. */
const XOR_BYTE = [
  ...get(START), ...get(START), ...load8, ...KEYSTREAM_BYTE, I32_XOR, ...store8,
  ...get(START), ...constant(1), I32_ADD, ...set(START),
];

/** `while (!(exit condition)) body` as block/loop; the condition leaves an i32 on the stack. */
const whileNot = (exitCondition: number[], body: number[]) => [
  BLOCK, VOID, LOOP, VOID, ...exitCondition, BR_IF, 1, ...body, BR, 0, END, END,
];

const XOR_BODY = [
  1, 4, I32, // four i32 locals: i, j, a, b
  ...constant(I_ADDRESS), ...load8, ...set(I),
  ...constant(J_ADDRESS), ...load8, ...set(J),
  ...whileNot([...get(START), ...constant(4), I32_ADD, ...get(STOP), I32_GT_U], XOR_WORD),
  ...whileNot([...get(START), ...get(STOP), I32_GE_U], XOR_BYTE),
  ...constant(I_ADDRESS), ...get(I), ...store8,
  ...constant(J_ADDRESS), ...get(J), ...store8,
  END,
];

const section = (id: number, body: number[]) => [id, ...leb128(body.length), ...body];
const name = (text: string) => [text.length, ...Array.from(text, (char) => char.charCodeAt(0))];

const MODULE_BYTES = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // "\0asm", version 1
  ...section(1, [1, FUNC_TYPE, 2, I32, I32, 0]), // type 0: (i32, i32) -> ()
  ...section(3, [1, 0]), // function 0 has type 0
  ...section(5, [1, 0x00, 1]), // one memory, at least 1 page, no maximum
  ...section(7, [2, ...name('memory'), 0x02, 0, ...name('xor'), 0x00, 0]),
  ...section(10, [1, ...leb128(XOR_BODY.length), ...XOR_BODY]),
]);

let compiled: Rc4Xor | null | undefined;

/** The WebAssembly RC4 loop, or null where WebAssembly is unavailable (compiled once, on first use). */
export function wasmRc4Xor(): Rc4Xor | null {
  if (compiled === undefined) compiled = compile();
  return compiled;
}

function compile(): Rc4Xor | null {
  let exports: { memory: WebAssembly.Memory; xor: (start: number, stop: number) => void };
  try {
    // Synchronous: the module is far under the 4 KiB a browser's main thread allows, and workers have no limit.
    exports = new WebAssembly.Instance(new WebAssembly.Module(MODULE_BYTES), {}).exports as unknown as typeof exports;
  } catch {
    return null;
  }
  const memory = new Uint8Array(exports.memory.buffer); // never grown, so the view stays valid
  const xor = exports.xor;
  return (state, input, output) => {
    memory.set(state); // element by element: 32-bit values into bytes
    for (let offset = 0; offset < input.length; offset += DATA_BYTES) {
      const length = Math.min(DATA_BYTES, input.length - offset);
      memory.set(length === input.length ? input : input.subarray(offset, offset + length), DATA_OFFSET);
      xor(DATA_OFFSET, DATA_OFFSET + length);
      output.set(memory.subarray(DATA_OFFSET, DATA_OFFSET + length), offset);
    }
    state.set(memory.subarray(0, RC4_STATE_BYTES));
  };
}
