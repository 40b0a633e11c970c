// DhtService: the node id and routing table survive a reload (a new service reading the same
// store) and let the node rejoin the DHT when the bootstrap nodes are gone.
import { afterEach, describe, expect, it } from 'vitest';
import { DhtNode } from '../../../../web/worker/dht/dht-node.ts';
import { DhtService } from '../../../../web/worker/dht/dht-service.ts';
import { dhtStateToSave, MAX_SAVED_NODES, MemoryDhtStateStore, readDhtState } from '../../../../web/worker/dht/dht-state.ts';
import { nodeIdMatchesAddress } from '../../../../shared/dht/node-id-security.ts';
import { equalBytes } from '../../../../shared/bytes.ts';
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

  it('takes a BEP 42 id for the external address, rejoins with it from the nodes it knew, and keeps it across a reload', async () => {
    const network = new FakeNetwork();
    await smallDht(network, 12);
    const store = new MemoryDhtStateStore();
    const service = new DhtService(store);
    await service.configure([{ host: '10.0.0.1', port: 6881 }]);
    await service.restart(new UdpService(network.transport('10.0.1.1', 6881)));
    await until(() => service.current!.nodeCount >= 5);
    const randomId = service.current!.nodeId;

    network.sockets.get('10.0.0.1:6881')!.close(); // the bootstrap node is gone: only known nodes remain
    await service.setExternalAddress('203.0.113.7');
    const bep42Id = service.current!.nodeId;
    expect(equalBytes(bep42Id, randomId)).toBe(false);
    expect(nodeIdMatchesAddress(bep42Id, '203.0.113.7')).toBe(true);
    await until(() => (service.current?.nodeCount ?? 0) >= 3); // re-joined through the old table
    await service.setExternalAddress('203.0.113.7'); // the same address: nothing changes
    expect(service.current!.nodeId).toBe(bep42Id);
    await service.stop();
    expect(store.saved).toMatchObject({ nodeId: bep42Id, nodeIdAddress: '203.0.113.7' });

    const reloaded = new DhtService(store);
    await reloaded.configure([{ host: '10.0.0.1', port: 6881 }]);
    await reloaded.restart(new UdpService(network.transport('10.0.1.1', 6881)));
    stoppers.push(() => reloaded.stop());
    await reloaded.setExternalAddress('203.0.113.7');
    expect(reloaded.current!.nodeId).toEqual(bep42Id);
    await reloaded.setExternalAddress('198.51.100.20'); // moved: a new id
    expect(nodeIdMatchesAddress(reloaded.current!.nodeId, '198.51.100.20')).toBe(true);
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

describe('dhtStateToSave', () => {
  it('keeps the id\'s address and room for IPv6 nodes when IPv4 ones would fill it', () => {
    const id = new Uint8Array(20).fill(3);
    const v4 = Array.from({ length: 400 }, (_, i) => ({ id, host: `10.0.${i >> 8}.${i & 0xff}`, port: 1 }));
    const v6 = Array.from({ length: 10 }, (_, i) => ({ id, host: `fd00::${i + 1}`, port: 1 }));
    const state = dhtStateToSave(id, [...v4, ...v6], '203.0.113.7');
    expect(state.nodes).toHaveLength(MAX_SAVED_NODES);
    expect(state.nodes.filter((n) => n.host.startsWith('fd00'))).toHaveLength(10);
    expect(readDhtState(state)).toEqual(state);
    expect(readDhtState({ ...state, nodeIdAddress: 5 })!.nodeIdAddress).toBeUndefined();
  });
});
