// Counts the bytes a decoder asks for through `new Uint8Array(n)`, `new ArrayBuffer(n)` and
// `Uint8Array.from(...)` while one input runs, so a decoder that allocates what a length field
// claims before it has seen those bytes is caught on the first such input, whatever the GC does.
// (Node's --max-old-space-size bounds the JS heap in the CLI run; typed arrays live outside it.)

const RealUint8Array = globalThis.Uint8Array;
const RealArrayBuffer = globalThis.ArrayBuffer;

let meteredBytes = 0;
let metering = false;
let installed = false;

function requestedBytes(args: unknown[], bytesPerElement: number): number {
  const [first] = args;
  if (typeof first === 'number') return first * bytesPerElement;
  if (first !== null && typeof first === 'object' && !(first instanceof RealArrayBuffer) && 'length' in first) {
    const length = (first as { length: unknown }).length;
    return typeof length === 'number' ? length * bytesPerElement : 0;
  }
  return 0;
}

function meteredConstructor<T extends abstract new (...args: never[]) => object>(real: T, bytesPerElement: number): T {
  return new Proxy(real, {
    construct(target, args, newTarget) {
      if (metering) meteredBytes += requestedBytes(args, bytesPerElement);
      return Reflect.construct(target, args, newTarget === meteredUint8Array || newTarget === meteredArrayBuffer ? target : newTarget) as object;
    },
  });
}

const meteredUint8Array = meteredConstructor(RealUint8Array, 1);
const meteredArrayBuffer = meteredConstructor(RealArrayBuffer, 1);

/** Replaces the global constructors with metered ones (instanceof keeps working). */
export function installAllocMeter(): void {
  if (installed) return;
  globalThis.Uint8Array = meteredUint8Array;
  globalThis.ArrayBuffer = meteredArrayBuffer;
  installed = true;
}

export function uninstallAllocMeter(): void {
  if (!installed) return;
  globalThis.Uint8Array = RealUint8Array;
  globalThis.ArrayBuffer = RealArrayBuffer;
  installed = false;
}

/** Runs `body`, counting what it allocates through the metered constructors (even if it throws). */
export function meterAllocations(body: () => void): void {
  meteredBytes = 0;
  metering = true;
  try {
    body();
  } finally {
    metering = false;
  }
}

/** The bytes allocated during the last `meterAllocations`. */
export function lastMeteredBytes(): number {
  return meteredBytes;
}
