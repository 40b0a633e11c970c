// DhtNode over an in-memory UDP network (no gateway): many of our nodes form a DHT among
// themselves; hand-written datagrams check matching, errors, rate limits and stop().
import { afterEach, describe, expect, it } from 'vitest';
import { DhtNode } from '../../../../web/worker/dht/dht-node.ts';
import { UdpService } from '../../../../web/worker/udp/udp-service.ts';
import type { Datagram } from '../../../../web/worker/transport.ts';
import { FakeNetwork, type FakeSocket } from './fake-network.ts';
import { decodeKrpc, encodeKrpc, type KrpcMessage } from '../../../../shared/dht/krpc.ts';
import { randomNodeId } from '../../../../shared/dht/node-id.ts';
import { bencode } from '../../../../shared/bencode/index.ts';

/** A socket we drive by hand; `received` collects what it got. */
function manualPeer(network: FakeNetwork, host: string, port: number): { socket: FakeSocket; received: Array<{ from: Datagram; message: KrpcMessage }> } {
  const socket = network.socket(host, port);
  const received: Array<{ from: Datagram; message: KrpcMessage }> = [];
  socket.onMessage = (d) => received.push({ from: d, message: decodeKrpc(d.bytes) });
  return { socket, received };
}

async function until(condition: () => boolean, timeoutMs = 2_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 5));
  }
}

const nodes: DhtNode[] = [];
afterEach(() => {
  for (const node of nodes.splice(0)) node.stop();
});

function ourNode(network: FakeNetwork, host: string, bootstrap: Array<{ host: string; port: number }>): DhtNode {
  const udp = new UdpService(network.transport(host, 6881));
  const node = new DhtNode({ udp, bootstrap, queryTimeoutMs: 100 });
  nodes.push(node);
  void udp.port(); // bind now, so the node answers before its first query
  return node;
}

describe('DhtNode', () => {
  it('forms a DHT with its peers: bootstrap, announce, and get_peers finds the announced port', async () => {
    const network = new FakeNetwork();
    const first = { host: '10.0.0.1', port: 6881 };
    const all = Array.from({ length: 24 }, (_, i) => ourNode(network, `10.0.0.${i + 1}`, i === 0 ? [] : [first]));
    await new Promise((r) => setTimeout(r, 10));
    for (const node of all.slice(1)) await node.start();
    expect(all[23]!.nodeCount).toBeGreaterThanOrEqual(8);
    expect(all[0]!.nodeCount).toBeGreaterThanOrEqual(8); // it learned who queried it

    const infoHash = randomNodeId();
    const announced = await all[5]!.announce(infoHash, 5555);
    expect(announced.acceptedBy).toBe(8);
    const found: unknown[] = [];
    const result = await all[17]!.lookupPeers(infoHash, (peers) => found.push(...peers));
    expect(result.peers).toEqual([{ host: '10.0.0.6', port: 5555 }]);
    expect(found).toEqual(result.peers);
    expect(all[5]!.routingTableSnapshot()).toHaveLength(all[5]!.nodeCount);
  });

  it('ends a bootstrap through a silent node after the query timeout', async () => {
    const network = new FakeNetwork();
    const node = ourNode(network, '10.0.0.1', [{ host: '10.9.9.9', port: 1 }]);
    const started = Date.now();
    expect(await node.start()).toBe(0);
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('matches an answer by transaction id and source port, ignoring others', async () => {
    const network = new FakeNetwork();
    const router = manualPeer(network, '10.0.0.50', 1);
    const impostor = network.socket('10.0.0.50', 2);
    const node = ourNode(network, '10.0.0.1', [{ host: '10.0.0.50', port: 1 }]);
    const starting = node.start();
    await until(() => router.received.length === 1);
    const query = router.received[0]!.message;
    expect(query).toMatchObject({ type: 'query', query: { method: 'find_node', id: node.nodeId, target: node.nodeId } });
    const answer = (id: Uint8Array, transactionId = query.transactionId) => encodeKrpc({ type: 'response', transactionId, response: { id } });
    impostor.send('10.0.0.1', 6881, answer(randomNodeId())); // wrong source port
    router.socket.send('10.0.0.1', 6881, answer(randomNodeId(), Uint8Array.of(9, 9, 9, 9))); // wrong transaction id
    const routerId = randomNodeId();
    await new Promise((r) => setTimeout(r, 20));
    router.socket.send('10.0.0.1', 6881, answer(routerId));
    expect(await starting).toBe(1);
    expect(node.routingTableSnapshot()).toEqual([{ id: routerId, host: '10.0.0.50', port: 1 }]);
  });

  it('answers malformed queries with 203, unknown methods with 204, and rate-limits a flood', async () => {
    const network = new FakeNetwork();
    ourNode(network, '10.0.0.1', []);
    const peer = manualPeer(network, '10.0.0.60', 1);
    await new Promise((r) => setTimeout(r, 10));
    peer.socket.send('10.0.0.1', 6881, bencode({ t: 'xy', y: 'q', q: 'ping', a: { id: 'short' } }));
    peer.socket.send('10.0.0.1', 6881, encodeKrpc({ type: 'query', transactionId: Uint8Array.of(2), query: { method: 'unknown', name: 'vote', id: randomNodeId() } }));
    await until(() => peer.received.length === 2);
    expect(peer.received.map((r) => r.message)).toEqual([
      { type: 'error', transactionId: new TextEncoder().encode('xy'), code: 203, message: 'Protocol Error' },
      { type: 'error', transactionId: Uint8Array.of(2), code: 204, message: 'Method Unknown' },
    ]);
    for (let i = 0; i < 200; i++) {
      peer.socket.send('10.0.0.1', 6881, encodeKrpc({ type: 'query', transactionId: Uint8Array.of(i), query: { method: 'ping', id: randomNodeId() } }));
    }
    await new Promise((r) => setTimeout(r, 50));
    expect(peer.received.length - 2).toBeGreaterThan(20);
    expect(peer.received.length - 2).toBeLessThan(60);
  });

  it('stops answering after stop()', async () => {
    const network = new FakeNetwork();
    const node = ourNode(network, '10.0.0.1', []);
    const peer = manualPeer(network, '10.0.0.70', 1);
    await new Promise((r) => setTimeout(r, 10));
    node.stop();
    peer.socket.send('10.0.0.1', 6881, encodeKrpc({ type: 'query', transactionId: Uint8Array.of(1), query: { method: 'ping', id: randomNodeId() } }));
    await new Promise((r) => setTimeout(r, 30));
    expect(peer.received).toEqual([]);
    expect(await node.lookupPeers(randomNodeId())).toEqual({ peers: [], closest: [] });
  });
});

describe('DhtNode: BEP 32, BEP 42 and PORT', () => {
  it('keeps IPv6 nodes in a table of their own, heard of through nodes6, and finds peers announced over IPv6', async () => {
    const network = new FakeNetwork();
    const first = { host: '10.0.0.1', port: 6881 };
    const v4 = Array.from({ length: 10 }, (_, i) => ourNode(network, `10.0.0.${i + 1}`, i === 0 ? [] : [first]));
    const v6 = Array.from({ length: 10 }, (_, i) => ourNode(network, `fd00::${i + 1}`, [first]));
    await new Promise((r) => setTimeout(r, 10));
    for (const node of [...v4.slice(1), ...v6]) await node.start();
    for (const node of v6) await node.start(); // the second time, with the IPv6 nodes heard of in nodes6
    expect(v4[0]!.nodeCountOf(6)).toBeGreaterThanOrEqual(8); // they queried it from IPv6 addresses

    const votes: Array<[string, string]> = [];
    const udp = new UdpService(network.transport('10.0.1.1', 6881));
    const ours = new DhtNode({ udp, bootstrap: [first], queryTimeoutMs: 100, onAddressReported: (voter, address) => votes.push([voter, address]) });
    nodes.push(ours);
    await ours.start();
    const infoHash = randomNodeId();
    expect((await v6[4]!.announce(infoHash, 7777)).acceptedBy).toBeGreaterThan(0);
    const { peers } = await ours.lookupPeers(infoHash);
    expect(peers).toContainEqual({ host: 'fd00::5', port: 7777 });
    expect(ours.nodeCountOf(4)).toBeGreaterThanOrEqual(8);
    expect(ours.nodeCountOf(6)).toBeGreaterThanOrEqual(5);
    expect(ours.routingTableSnapshot().some((n) => n.host.startsWith('fd00::'))).toBe(true);
    expect(votes).toContainEqual(['10.0.0.1', '10.0.1.1']); // BEP 42 `ip` in every answer
  });

  it('adds a node named in a PORT message only once it answers a ping, a few at a time', async () => {
    const network = new FakeNetwork();
    const live = ourNode(network, '10.0.0.9', []);
    const ours = ourNode(network, '10.0.1.1', []);
    const silent = Array.from({ length: 20 }, (_, i) => manualPeer(network, `10.0.2.${i + 1}`, 6881));
    await new Promise((r) => setTimeout(r, 10));
    for (const { socket } of silent) ours.pingReportedNode(socket.host, socket.port);
    ours.pingReportedNode('10.0.0.9', 6881); // over the limit while the silent ones are pending
    ours.pingReportedNode('not an address', 6881);
    await until(() => silent.reduce((n, s) => n + s.received.length, 0) >= 8);
    await new Promise((r) => setTimeout(r, 20));
    expect(silent.reduce((n, s) => n + s.received.length, 0)).toBe(8);
    expect(silent.flatMap((s) => s.received).every((r) => r.message.type === 'query' && r.message.query.method === 'ping')).toBe(true);
    expect(ours.nodeCount).toBe(0);
    await new Promise((r) => setTimeout(r, 150)); // the pings time out
    ours.pingReportedNode('10.0.0.9', 6881);
    await until(() => ours.nodeCount === 1);
    expect(ours.routingTableSnapshot()).toEqual([{ id: live.nodeId, host: '10.0.0.9', port: 6881 }]);
  });
});
