// Test helper: runs two MSE handshake machines against each other in memory, cutting both byte
// streams into random chunks, then exchanges one payload each way.

import { concatBytes } from '../../../shared/bytes.ts';
import type { MseResult, MseStep } from '../../../shared/mse/handshake.ts';
import type { MseInitiator } from '../../../shared/mse/initiator.ts';
import type { MseReceiver } from '../../../shared/mse/receiver.ts';

/** A small deterministic PRNG so a failing chunking can be reproduced. */
export function lcg(seed: number): () => number {
  let state = seed;
  return () => (state = (Math.imul(state, 1103515245) + 12345) >>> 0);
}

export interface PumpOutcome {
  initiator: MseResult;
  receiver: MseResult;
  /** Everything the initiator received after its handshake, decrypted (its `received` included). */
  initiatorPayload: Uint8Array;
  /** Everything the receiver received after its handshake, decrypted (IA included). */
  receiverPayload: Uint8Array;
  /** The raw bytes each side wrote, for looking at the wire. */
  wireToReceiver: Uint8Array;
  wireToInitiator: Uint8Array;
}

class Side {
  readonly wire: Uint8Array[] = [];
  readonly payload: Uint8Array[] = [];
  result: MseResult | undefined;
  outbox = new Uint8Array(0);

  constructor(readonly push: (bytes: Uint8Array) => MseStep) {}

  send(bytes: Uint8Array): void {
    this.wire.push(bytes);
    this.outbox = concatBytes([this.outbox, bytes]);
  }

  /** Takes delivered bytes: into the handshake until it ends, then through its stream. */
  receive(bytes: Uint8Array, onDone: (result: MseResult) => void): MseStep | undefined {
    if (this.result) {
      this.payload.push(this.result.stream.decrypt(bytes));
      return undefined;
    }
    const step = this.push(bytes);
    if (step.result) {
      this.result = step.result;
      this.payload.push(step.result.received);
      onDone(step.result);
    }
    return step;
  }
}

/**
 * Runs the handshake to the end on both sides. Each side sends its payload as soon as its own
 * handshake is done (the receiver's thus rides behind its step 4, as real clients do).
 */
export function pump(
  initiator: MseInitiator,
  receiver: MseReceiver,
  payloads: { fromInitiator: Uint8Array; fromReceiver: Uint8Array },
  nextChunkBytes: () => number,
): PumpOutcome {
  const a = new Side((bytes) => initiator.push(bytes));
  const b = new Side((bytes) => receiver.push(bytes));
  a.send(initiator.start());
  const deliver = (from: Side, to: Side, payload: Uint8Array) => {
    const size = Math.min(from.outbox.length, Math.max(1, nextChunkBytes()));
    const chunk = from.outbox.slice(0, size);
    from.outbox = from.outbox.subarray(size);
    const step = to.receive(chunk, (result) => queueLater.push(() => to.send(result.stream.encrypt(payload))));
    if (step && step.send.length > 0) to.send(step.send);
    for (const run of queueLater.splice(0)) run();
  };
  const queueLater: (() => void)[] = [];
  for (let rounds = 0; a.outbox.length > 0 || b.outbox.length > 0; rounds++) {
    if (rounds > 1_000_000) throw new Error('pump did not converge');
    if (a.outbox.length > 0) deliver(a, b, payloads.fromReceiver);
    if (b.outbox.length > 0) deliver(b, a, payloads.fromInitiator);
  }
  if (!a.result || !b.result) throw new Error('a handshake did not finish');
  return {
    initiator: a.result,
    receiver: b.result,
    initiatorPayload: concatBytes(a.payload),
    receiverPayload: concatBytes(b.payload),
    wireToReceiver: concatBytes(a.wire),
    wireToInitiator: concatBytes(b.wire),
  };
}
