// BEP 29 selective ACK (extension 1): a bitmask, a multiple of 32 bits, where bit i — least
// significant bit first within each byte — says that seq ack_nr + 2 + i arrived. (ack_nr + 1 is
// missing by definition, or ack_nr would be higher.)
import { seqAdd } from './seq.ts';

/** The most bitmask bytes we send: covers 256 packets past the gap. */
export const MAX_SELECTIVE_ACK_BYTES = 32;

/**
 * Builds the bitmask for the packets held out of order, or undefined if there are none.
 * `has(seq)` says whether that seq arrived; `span` is how far past ack_nr + 1 anything is held.
 */
export function encodeSelectiveAck(ackNr: number, span: number, has: (seq: number) => boolean): Uint8Array | undefined {
  if (span <= 1) return undefined;
  const bits = Math.min(span - 1, MAX_SELECTIVE_ACK_BYTES * 8);
  const bytes = new Uint8Array(Math.ceil(bits / 32) * 4);
  let any = false;
  for (let i = 0; i < bits; i++) {
    if (has(seqAdd(ackNr, 2 + i))) {
      bytes[i >> 3]! |= 1 << (i & 7);
      any = true;
    }
  }
  return any ? bytes : undefined;
}

/** Calls `acked` for every seq the bitmask acknowledges, lowest first. */
export function forEachSelectiveAck(ackNr: number, mask: Uint8Array, acked: (seq: number) => void): void {
  for (let byte = 0; byte < mask.length; byte++) {
    const bits = mask[byte]!;
    if (bits === 0) continue;
    for (let bit = 0; bit < 8; bit++) {
      if (bits & (1 << bit)) acked(seqAdd(ackNr, 2 + byte * 8 + bit));
    }
  }
}
