import { describe, expect, it, vi } from 'vitest';
import { EngineClient, MAX_WARNINGS, type WorkerLike } from '../../../web/ui/engine-client.ts';
import type {
  StateUpdate, TorrentDetails, TorrentMetadata, TorrentStats, WorkerCommand, WorkerEvent,
} from '../../../web/worker/protocol.ts';

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

  it('sends askFirst with the add commands, off unless asked', () => {
    const worker = new FakeWorker();
    const client = new EngineClient(worker);
    void client.addTorrentUrl('magnet:?xt=urn:btih:aa', true);
    void client.addTorrentUrl('magnet:?xt=urn:btih:bb');
    void client.addTorrentFile(new Uint8Array([1]), 'a.torrent', true);
    void client.addTorrentFile(new Uint8Array([1]), 'b.torrent');
    expect(worker.sent.map((s) => [s.message.type, (s.message as { askFirst?: boolean }).askFirst])).toEqual([
      ['add-torrent-url', true], ['add-torrent-url', false], ['add-torrent-file', true], ['add-torrent-file', false]]);
  });

  it('sends start-torrent, set-file-priority and set-sequential', () => {
    const worker = new FakeWorker();
    const client = new EngineClient(worker);
    void client.startTorrent('aa', ['high', 'normal', 'skip']);
    void client.setFilePriority('aa', 2, 'low');
    void client.setSequential('aa', true);
    expect(worker.sent.map((s) => s.message)).toEqual([
      { type: 'start-torrent', infoHashHex: 'aa', priorities: ['high', 'normal', 'skip'], requestId: 1 },
      { type: 'set-file-priority', infoHashHex: 'aa', fileIndex: 2, priority: 'low', requestId: 2 },
      { type: 'set-sequential', infoHashHex: 'aa', sequential: true, requestId: 3 },
    ]);
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
    worker.emit(update({ link: { state: 'connecting', kind: 'webrtc' } }));
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

  describe('its model of the torrents, merged from state updates', () => {
    it('lists a torrent from its metadata and stats, in the order the worker gives', () => {
      const { client, worker } = started();
      worker.emit(update({ metadata: [metadata('aa'), metadata('bb')], stats: [stats('aa'), stats('bb')], order: ['bb', 'aa'] }));
      expect(client.state?.torrents.map((t) => t.infoHashHex)).toEqual(['bb', 'aa']);
      const aa = client.state!.torrents[1]!;
      expect(aa).toMatchObject({ name: 'name aa', totalBytes: 1000, state: 'downloading', progress: 0.5 });
      // No details yet: the files as described, nothing known done, peers and trackers empty.
      expect(aa.files).toEqual([{ index: 0, path: 'aa/one', length: 600, padding: false, doneBytes: 0, selected: true, priority: 'normal' },
        { index: 1, path: 'aa/two', length: 400, padding: false, doneBytes: 0, selected: true, priority: 'normal' }]);
      expect([aa.peers, aa.trackers, aa.warnings]).toEqual([[], [], []]);
      expect(aa.detailsKnown).toBe(false);
    });

    it('keeps the metadata when later updates carry only changed stats, and unchanged torrents as they were', () => {
      const { client, worker } = started();
      worker.emit(update({ metadata: [metadata('aa'), metadata('bb')], stats: [stats('aa'), stats('bb')], order: ['aa', 'bb'] }));
      const [aaBefore, bbBefore] = client.state!.torrents;
      worker.emit(update({ stats: [stats('aa', { progress: 0.75, downloadBps: 99 })] }));
      const [aa, bb] = client.state!.torrents;
      expect(aa).toMatchObject({ name: 'name aa', totalBytes: 1000, progress: 0.75, downloadBps: 99 });
      expect(aa).not.toBe(aaBefore);
      expect(bb, 'a torrent not re-sent is the same object (Lit re-renders nothing)').toBe(bbBefore);
    });

    it('merges the details of the shown torrent into its files, peers and trackers', () => {
      const { client, worker } = started();
      worker.emit(update({ metadata: [metadata('aa'), metadata('bb')], stats: [stats('aa'), stats('bb')], order: ['aa', 'bb'] }));
      client.showTorrent('aa');
      client.showTorrent('aa');
      expect(worker.sent.map((s) => s.message)).toEqual([{ type: 'show-torrent', infoHashHex: 'aa', requestId: 1 }]);
      worker.emit(update({ details: details('aa') }));
      const [aa, bb] = client.state!.torrents;
      expect(aa!.files.map((f) => [f.doneBytes, f.selected, f.priority])).toEqual([[600, true, 'high'], [0, false, 'skip']]);
      expect([aa!.detailsKnown, bb!.detailsKnown]).toEqual([true, false]);
      expect(aa!.peers.map((p) => p.address)).toEqual(['192.0.2.1:6881']);
      expect(aa!.trackers).toEqual([{ url: 'http://tracker.test/announce', tier: 0, peers: 3 }]);
      expect(aa!.warnings).toEqual(['piece 3 failed verification']);
      expect(bb!.files.every((f) => f.doneBytes === 0) && bb!.peers.length === 0).toBe(true);
      client.showTorrent(undefined);
      expect(worker.sent.at(-1)!.message).toMatchObject({ type: 'show-torrent', infoHashHex: undefined });
    });

    it('drops removed torrents, and lists a re-added one anew', () => {
      const { client, worker } = started();
      worker.emit(update({ metadata: [metadata('aa'), metadata('bb')], stats: [stats('aa'), stats('bb')], order: ['aa', 'bb'] }));
      worker.emit(update({ details: details('aa') }));
      worker.emit(update({ removed: ['aa'] }));
      expect(client.state?.torrents.map((t) => t.infoHashHex)).toEqual(['bb']);
      worker.emit(update({ metadata: [metadata('aa')], stats: [stats('aa')] }));
      expect(client.state?.torrents.map((t) => t.infoHashHex)).toEqual(['bb', 'aa']);
      expect(client.state!.torrents[1]!.peers, 'details of the removed torrent are gone').toEqual([]);
    });

    it('takes new metadata for a listed torrent (a magnet whose metadata arrived) in its place', () => {
      const { client, worker } = started();
      const magnet = { ...metadata('aa'), name: 'magnet name', totalBytes: 0, files: [] };
      worker.emit(update({ metadata: [magnet, metadata('bb')], stats: [stats('aa', { state: 'metadata' }), stats('bb')], order: ['aa', 'bb'] }));
      worker.emit(update({ metadata: [metadata('aa')], stats: [stats('aa')] }));
      expect(client.state?.torrents.map((t) => [t.infoHashHex, t.name, t.files.length, t.state])).toEqual([
        ['aa', 'name aa', 2, 'downloading'], ['bb', 'name bb', 2, 'downloading']]);
    });

    it('knows a choosing torrent’s proposed choice only once its details came (the add dialog waits for them)', () => {
      const { client, worker } = started();
      worker.emit(update({ metadata: [metadata('aa')], stats: [stats('aa', { state: 'choosing' })] }));
      expect(client.state!.torrents[0]!.detailsKnown).toBe(false);
      worker.emit(update({ details: details('aa') }));
      const aa = client.state!.torrents[0]!;
      expect([aa.state, aa.detailsKnown, aa.files[1]!.priority]).toEqual(['choosing', true, 'skip']);
      worker.emit(update({ metadata: [{ ...metadata('aa'), name: 'renamed' }] }));
      expect(client.state!.torrents[0]!.detailsKnown, 'new metadata: the old details no longer count').toBe(false);
    });
  });
});

function started(): { client: EngineClient; worker: FakeWorker } {
  const worker = new FakeWorker();
  return { client: new EngineClient(worker), worker };
}

function update(parts: Partial<StateUpdate> = {}): StateUpdate {
  return { type: 'state', link: { state: 'connected', kind: 'websocket' }, metadata: [], stats: [], removed: [], ...parts };
}

function metadata(hex: string): TorrentMetadata {
  return {
    infoHashHex: hex, name: `name ${hex}`, totalBytes: 1000, pieceCount: 4, pieceLength: 256,
    files: [{ index: 0, path: `${hex}/one`, length: 600, padding: false }, { index: 1, path: `${hex}/two`, length: 400, padding: false }],
  };
}

function stats(hex: string, changes: Partial<TorrentStats> = {}): TorrentStats {
  return {
    infoHashHex: hex, state: 'downloading', wantedBytes: 1000, verifiedBytes: 500, progress: 0.5, downloadBps: 10, uploadBps: 0,
    downloadedBytes: 500, uploadedBytes: 0, wastedBytes: 0, etaSeconds: 50, peerCount: 1, knownPeers: 2, sequential: false, ...changes,
  };
}

function details(hex: string): TorrentDetails {
  return {
    infoHashHex: hex,
    files: [{ index: 0, doneBytes: 600, selected: true, priority: 'high' }, { index: 1, doneBytes: 0, selected: false, priority: 'skip' }],
    peers: [{ address: '192.0.2.1:6881', client: 'Test 1.0', downloadBps: 10, uploadBps: 0, progress: 1, inbound: false, choked: false, requests: 2 }],
    trackers: [{ url: 'http://tracker.test/announce', tier: 0, peers: 3 }],
    warnings: ['piece 3 failed verification'],
  };
}
