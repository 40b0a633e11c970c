// DhtService: the node id and routing table survive a reload (a new service reading the same
// store) and let the node rejoin the DHT when the bootstrap nodes are gone.
import { afterEach, describe, expect, it } from 'vitest';
import { DhtNode } from '../../../../web/worker/dht/dht-node.ts';
import { DhtService } from '../../../../web/worker/dht/dht-service.ts';
import { MAX_SAVED_NODES, MemoryDhtStateStore, readDhtState } from '../../../../web/worker/dht/dht-state.ts';
import { UdpService } from '../../../../web/worker/udp/udp-service.ts';
import { FakeNetwork } from './fake-network.ts';

const stoppers: Array<() => unknown> = [];
afterEach(async () => {
  for (const stop of stoppers.splice(0)) await stop();
});

/** A small DHT of plain nodes that know each other, the first one being the bootstrap node. */
async function smallDht(network: FakeNetwork, size: number): Promise<DhtNode[]> {
  const first = { host: '10.0.0.1', port: 6881 };
  const nodes = Array.from({ length: size }, (_, i) => {
    const udp = new UdpService(network.transport(`10.0.0.${i + 1}`, 6881));
    void udp.port();
    const node = new DhtNode({ udp, bootstrap: i === 0 ? [] : [first], queryTimeoutMs: 100 });
    stoppers.push(() => node.stop());
    return node;
  });
  await new Promise((r) => setTimeout(r, 10));
  for (const node of nodes.slice(1)) await node.start();
  return nodes;
}

async function until(condition: () => boolean, timeoutMs = 6_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('DhtService', () => {
  it('saves its node id and routing table, and a reload rejoins through them without the bootstrap node', async () => {
    const network = new FakeNetwork();
    await smallDht(network, 12);
    const store = new MemoryDhtStateStore();

    const before = new DhtService(store);
    await before.configure([{ host: '10.0.0.1', port: 6881 }]);
    await before.restart(new UdpService(network.transport('10.0.1.1', 6881)));
    await until(() => (store.saved?.nodes.length ?? 0) >= 5);
    const savedId = before.current!.nodeId;
    expect(store.saved!.nodeId).toEqual(savedId);
    await before.stop();

    network.sockets.get('10.0.0.1:6881')!.close(); // the bootstrap node is gone
    const after = new DhtService(store);
    await after.configure([{ host: '10.0.0.1', port: 6881 }]);
    await after.restart(new UdpService(network.transport('10.0.1.1', 6881)));
    stoppers.push(() => after.stop());
    expect(after.current!.nodeId).toEqual(savedId);
    await until(() => after.current!.nodeCount >= 3); // without the saved table it would know none
  });

  it('stays off without bootstrap nodes and keeps nothing', async () => {
    const network = new FakeNetwork();
    const store = new MemoryDhtStateStore();
    const service = new DhtService(store);
    await service.configure([]);
    await service.restart(new UdpService(network.transport('10.0.1.1', 6881)));
    expect(service.current).toBeUndefined();
    await service.stop();
    expect(store.saved).toBeUndefined();
  });
});

describe('readDhtState', () => {
  const id = () => new Uint8Array(20).fill(7);

  it('drops damaged entries and caps the node list', () => {
    expect(readDhtState(undefined)).toBeUndefined();
    expect(readDhtState({ nodeId: new Uint8Array(19), nodes: [] })).toBeUndefined();
    expect(readDhtState({ nodeId: id(), nodes: 'x' })).toBeUndefined();
    const good = { id: id(), host: '192.0.2.1', port: 6881 };
    const state = readDhtState({
      nodeId: id(),
      nodes: [good, { id: id(), host: '', port: 1 }, { id: id(), host: 'h', port: 70000 }, { id: 'x', host: 'h', port: 1 }, null],
    });
    expect(state!.nodes).toEqual([good]);
    const many = readDhtState({ nodeId: id(), nodes: Array.from({ length: 1000 }, () => good) });
    expect(many!.nodes).toHaveLength(MAX_SAVED_NODES);
  });
});
