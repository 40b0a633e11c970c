// The main thread's link manager reconnects a lost link with back-off, except when the gateway
// refused it with the typed code UNAUTHORIZED (a missing sign-in does not get better by retrying).
// The reason text is for people: it never decides.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LinkManager } from '../../../web/bridge/link-manager.ts';
import { ErrorCode } from '../../../shared/bridge/frames.ts';
import type { WorkerEvent, WorkerLinkMessage } from '../../../web/worker/protocol.ts';

/** The part of a Worker the link manager uses: messages both ways. */
class FakeWorker {
  readonly posted: WorkerLinkMessage[] = [];
  private listener?: (event: MessageEvent<WorkerEvent>) => void;
  addEventListener(_type: 'message', listener: (event: MessageEvent<WorkerEvent>) => void): void {
    this.listener = listener;
  }
  postMessage(message: WorkerLinkMessage): void {
    this.posted.push(message);
  }
  emit(event: WorkerEvent): void {
    this.listener?.({ data: event } as MessageEvent<WorkerEvent>);
  }
  opens(): number {
    return this.posted.filter((m) => m.type === 'link-websocket').length;
  }
}

function start(): FakeWorker {
  const worker = new FakeWorker();
  new LinkManager(worker as unknown as Worker, 'http://gateway.example', 'websocket').start();
  return worker;
}

describe('LinkManager after a lost link', () => {
  beforeEach(() => { vi.useFakeTimers(); });
  afterEach(() => { vi.useRealTimers(); });

  it('connects again with back-off', () => {
    const worker = start();
    expect(worker.opens()).toBe(1);
    worker.emit({ type: 'link-lost', kind: 'websocket', reason: 'the WebSocket closed (code 1006)', code: ErrorCode.RESET });
    vi.advanceTimersByTime(500);
    expect(worker.opens()).toBe(2);
  });

  it('stops when the gateway refused the link as UNAUTHORIZED, whatever the reason says', () => {
    const worker = start();
    worker.emit({ type: 'link-lost', kind: 'websocket', reason: 'sign in again', code: ErrorCode.UNAUTHORIZED });
    vi.advanceTimersByTime(60_000);
    expect(worker.opens()).toBe(1);
  });

  it('retries a loss whose reason reads "unauthorized" but carries no such code', () => {
    const worker = start();
    worker.emit({ type: 'link-lost', kind: 'websocket', reason: 'unauthorized' });
    vi.advanceTimersByTime(500);
    expect(worker.opens()).toBe(2);
  });
});
