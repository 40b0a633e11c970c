import 'fake-indexeddb/auto';
import { createStore, set } from 'idb-keyval';
import { describe, expect, it } from 'vitest';
import { IdbDhtStateStore } from '../../../../web/worker/dht/idb-dht-state.ts';

describe('IdbDhtStateStore', () => {
  it('keeps the node id and nodes across store instances (a reload)', async () => {
    const state = { nodeId: new Uint8Array(20).fill(1), nodes: [{ id: new Uint8Array(20).fill(2), host: '192.0.2.9', port: 51413 }] };
    await new IdbDhtStateStore('dht-test-a').save(state);
    expect(await new IdbDhtStateStore('dht-test-a').load()).toEqual(state);
    expect(await new IdbDhtStateStore('dht-test-empty').load()).toBeUndefined();
  });

  it('ignores a damaged entry instead of failing', async () => {
    await set('dht-state', { nodeId: 'not bytes', nodes: [] }, createStore('dht-test-b', 'state'));
    expect(await new IdbDhtStateStore('dht-test-b').load()).toBeUndefined();
  });
});
