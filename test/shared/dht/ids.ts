// Test helper: a 20-byte id from its leading bytes (the rest zero).
export function id(...leading: number[]): Uint8Array {
  const out = new Uint8Array(20);
  out.set(leading);
  return out;
}
