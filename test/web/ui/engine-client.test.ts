import { describe, expect, it, vi } from 'vitest';
import { EngineClient, MAX_WARNINGS, type WorkerLike } from '../../../web/ui/engine-client.ts';
import type { WorkerCommand, WorkerEvent } from '../../../web/worker/protocol.ts';

class FakeWorker extends EventTarget implements WorkerLike {
  sent: { message: WorkerCommand; transfer: Transferable[] }[] = [];
  postMessage(message: unknown, transfer: Transferable[]): void {
    this.sent.push({ message: message as WorkerCommand, transfer });
  }
  emit(event: WorkerEvent): void {
    this.dispatchEvent(new MessageEvent('message', { data: event }));
  }
  reply(index: number, ok: boolean, valueOrError?: unknown): void {
    const requestId = this.sent[index]!.message.requestId;
    this.emit(ok ? { type: 'reply', requestId, ok, value: valueOrError } : { type: 'reply', requestId, ok, error: String(valueOrError) });
  }
}

describe('EngineClient', () => {
  it('numbers commands and resolves each with its own reply', async () => {
    const worker = new FakeWorker();
    const client = new EngineClient(worker);
    const paused = client.pause('aa');
    const resumed = client.resume('bb');
    expect(worker.sent.map((s) => s.message)).toEqual([
      { type: 'pause', infoHashHex: 'aa', requestId: 1 },
      { type: 'resume', infoHashHex: 'bb', requestId: 2 },
    ]);
    worker.reply(1, true, 'second');
    worker.reply(0, false, 'no such torrent');
    await expect(resumed).resolves.toBe('second');
    await expect(paused).rejects.toThrow('no such torrent');
  });

  it('transfers the bytes of a .torrent file, copying a partial view first', () => {
    const worker = new FakeWorker();
    const client = new EngineClient(worker);
    const whole = new Uint8Array([1, 2, 3]);
    void client.addTorrentFile(whole, 'a.torrent');
    expect(worker.sent[0]!.transfer).toEqual([whole.buffer]);
    const part = new Uint8Array(new ArrayBuffer(8), 2, 3);
    void client.addTorrentFile(part);
    const sentBytes = (worker.sent[1]!.message as { bytes: Uint8Array }).bytes;
    expect(sentBytes).not.toBe(part);
    expect(sentBytes.byteLength).toBe(3);
    expect(worker.sent[1]!.transfer).toEqual([sentBytes.buffer]);
  });

  it('resolves fileBlob with a Blob and rejects anything else', async () => {
    const worker = new FakeWorker();
    const client = new EngineClient(worker);
    const good = client.fileBlob('aa', 0);
    const bad = client.fileBlob('aa', 1);
    worker.reply(0, true, new Blob(['x']));
    worker.reply(1, true, 'not a blob');
    expect(await good).toBeInstanceOf(Blob);
    await expect(bad).rejects.toThrow();
  });

  it('keeps the latest state and the last warnings, and tells subscribers', () => {
    const worker = new FakeWorker();
    const client = new EngineClient(worker);
    const listener = vi.fn();
    const unsubscribe = client.subscribe(listener);
    worker.emit({ type: 'state', torrents: [], link: { state: 'connecting', kind: 'webrtc' } });
    expect(client.state?.link.state).toBe('connecting');
    for (let i = 0; i < MAX_WARNINGS + 5; i++) worker.emit({ type: 'warning', message: `w${i}` });
    expect(client.warnings).toHaveLength(MAX_WARNINGS);
    expect(client.warnings[0]!.message).toBe('w5');
    expect(listener).toHaveBeenCalledTimes(1 + MAX_WARNINGS + 5);
    unsubscribe();
    worker.emit({ type: 'warning', message: 'late' });
    expect(listener).toHaveBeenCalledTimes(1 + MAX_WARNINGS + 5);
  });

  it('fails pending and later commands when the worker dies', async () => {
    const worker = new FakeWorker();
    const client = new EngineClient(worker);
    const pending = client.remove('aa');
    const error = new Event('error');
    Object.defineProperty(error, 'message', { value: 'SyntaxError in worker-main' });
    worker.dispatchEvent(error);
    await expect(pending).rejects.toThrow('SyntaxError in worker-main');
    await expect(client.addTorrentUrl('magnet:?')).rejects.toThrow('the engine stopped');
    expect(client.engineError).toBe('SyntaxError in worker-main');
  });
});
