// BEP 29 sequence and ack numbers are 16 bits and wrap: every comparison goes through these.

export const SEQ_MASK = 0xffff;

export function seqAdd(seq: number, n: number): number {
  return (seq + n) & SEQ_MASK;
}

/** `a - b` as a signed distance in [-32768, 32767], correct across the wrap. */
export function seqDiff(a: number, b: number): number {
  const d = (a - b) & SEQ_MASK;
  return d >= 0x8000 ? d - 0x10000 : d;
}

export function seqLess(a: number, b: number): boolean {
  return seqDiff(a, b) < 0;
}
