// Runs one MSE/PE handshake machine (initiator, or a receiver resumed from the gateway's hand-off)
// over a ByteStream, within a deadline, and yields the encrypted stream. Any failure closes the
// stream and rejects with a typed code.
import { MseError, type MseErrorCode } from '../../../shared/mse/errors.ts';
import type { MseResult, MseStep } from '../../../shared/mse/handshake.ts';
import type { ByteStream } from '../transport.ts';
import { MseByteStream } from './mse-byte-stream.ts';

/**
 * The spec's limit for the whole handshake is 30 s; a peer that says nothing must not hold a
 * connection slot that long, so callers pass their connect budget (never above this).
 */
export const MSE_HANDSHAKE_MAX_MS = 30_000;

export type MseFailureCode = MseErrorCode | 'closed' | 'timeout';

export class MseHandshakeError extends Error {
  constructor(readonly code: MseFailureCode, message: string) {
    super(message);
    this.name = 'MseHandshakeError';
  }
}

export interface MseMachine {
  push(chunk: Uint8Array): MseStep;
}

/**
 * Writes `first` (Ya+PadA for an initiator), feeds what arrives to `machine` until it finishes,
 * answering as it asks. Resolves with the stream seen through MSE and the SKEY.
 */
export function runMseHandshake(
  stream: ByteStream, machine: MseMachine, first: Uint8Array, timeoutMs: number, pending?: Uint8Array,
): Promise<{ stream: MseByteStream; result: MseResult }> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const fail = (code: MseFailureCode, message: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      stream.onData = () => {};
      stream.onClose = () => {};
      stream.close(message);
      reject(new MseHandshakeError(code, message));
    };
    const timer = setTimeout(() => fail('timeout', 'no MSE handshake within the deadline'), Math.min(timeoutMs, MSE_HANDSHAKE_MAX_MS));
    const take = (bytes: Uint8Array) => {
      if (settled) return;
      let step: MseStep;
      try {
        step = machine.push(bytes);
      } catch (error) {
        if (error instanceof MseError) return fail(error.code, error.message);
        return fail('closed', (error as Error).message);
      }
      if (step.send.length > 0) stream.write(step.send);
      if (!step.result) return;
      settled = true;
      clearTimeout(timer);
      resolve({ stream: new MseByteStream(stream, step.result.stream, step.result.received), result: step.result });
    };
    stream.onData = take;
    stream.onClose = (error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      reject(new MseHandshakeError('closed', error ?? 'the peer closed during the MSE handshake'));
    };
    if (first.length > 0) stream.write(first);
    if (pending && pending.length > 0) take(pending);
  });
}
