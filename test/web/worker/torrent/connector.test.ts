// Connector and Swarm together, the connection policy: uTP first for a new peer and TCP when it
// does not answer, the transport that worked remembered per address, a drop before the handshake
// switching transports once, BEP 11 flags, and seeds that dial non-seeds but not seeds.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { PexFlag } from '../../../../shared/peer-wire/index.ts';
import type { PeerConnection } from '../../../../web/worker/peer/peer-connection.ts';
import type { ByteStream } from '../../../../web/worker/transport.ts';
import { Connector, type ConnectorHost } from '../../../../web/worker/torrent/connector.ts';
import { Swarm } from '../../../../web/worker/torrent/swarm.ts';
import { PolicyNetwork } from './policy-network.ts';

const at = (n: number) => ({ host: `198.51.100.${n}`, port: 6881 });

/** What the torrent does with a stream: here, a stand-in peer the test hands back to the connector. */
interface FakePeer { stream: ByteStream; handshaken: boolean; inbound: boolean }

function setup(state: { dialing: boolean; seeding: boolean } = { dialing: true, seeding: false }) {
  const net = new PolicyNetwork();
  const swarm = new Swarm();
  const peers: FakePeer[] = [];
  const host: ConnectorHost = {
    transport: () => net,
    peerCount: () => peers.filter((p) => !p.stream.closed).length,
    dialing: () => state.dialing,
    seeding: () => state.seeding,
    infoHash: new Uint8Array(20),
    encryption: () => 'plaintext',
    running: () => true,
    onStream: (stream, inbound) => { peers.push({ stream, handshaken: false, inbound }); },
  };
  const connector = new Connector(swarm, host, { maxPeers: 40, maxConnecting: 12, utpHeadStartMs: 500 });
  const ready = (peer: FakePeer) => { peer.handshaken = true; connector.peerReady(peer as unknown as PeerConnection); };
  const closed = (peer: FakePeer) => { peer.stream.close(); connector.peerClosed(peer as unknown as PeerConnection); };
  return { net, swarm, peers, connector, state, ready, closed };
}

afterEach(() => { vi.useRealTimers(); });

describe('Connector connection policy', () => {
  it('dials a new peer over uTP first and remembers it: the next dial is uTP alone', async () => {
    vi.useFakeTimers();
    const { net, swarm, peers, connector, ready, closed } = setup();
    const peer = net.peer(at(1), 'both');
    swarm.add([peer]);
    connector.connectMore();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(net.kindsTried(peer)).toEqual(['utp']);
    ready(peers[0]!);
    expect(swarm.kindFor(peer)).toBe('utp');
    closed(peers[0]!);
    await vi.advanceTimersByTimeAsync(10_000); // a clean close waits 10 s
    connector.connectMore();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(net.kindsTried(peer)).toEqual(['utp', 'utp']);
  });

  it('tries TCP when uTP does not answer, and remembers TCP: no uTP wasted next time', async () => {
    vi.useFakeTimers();
    const { net, swarm, peers, connector, ready, closed } = setup();
    const peer = net.peer(at(2), 'tcp-only');
    swarm.add([peer]);
    connector.connectMore();
    await vi.advanceTimersByTimeAsync(600);
    expect(net.kindsTried(peer)).toEqual(['utp', 'tcp']);
    expect(peers).toHaveLength(1);
    ready(peers[0]!);
    expect(swarm.kindFor(peer)).toBe('tcp');
    closed(peers[0]!);
    await vi.advanceTimersByTimeAsync(10_000);
    connector.connectMore();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(net.kindsTried(peer)).toEqual(['utp', 'tcp', 'tcp']);
  });

  it('a peer that drops our TCP before the handshake is dialled over uTP at once; a second drop backs it off', async () => {
    vi.useFakeTimers();
    const { net, swarm, peers, connector, closed } = setup();
    const peer = net.peer(at(3), 'utp-only');
    swarm.add([peer]);
    swarm.markConnected(peer, 'tcp'); // say TCP worked once before
    swarm.markDisconnected(peer, false, 0);
    connector.connectMore();
    await vi.advanceTimersByTimeAsync(100);
    expect(net.kindsTried(peer)).toEqual(['tcp']);
    closed(peers[0]!); // dropped unread
    expect(swarm.kindFor(peer)).toBe('utp');
    connector.connectMore();
    await vi.advanceTimersByTimeAsync(100);
    expect(net.kindsTried(peer)).toEqual(['tcp', 'utp']);
    closed(peers[1]!); // dropped again: no ping-pong, a failure
    connector.connectMore();
    await vi.advanceTimersByTimeAsync(100);
    expect(net.kindsTried(peer)).toEqual(['tcp', 'utp']);
  });

  it('a peer PEX says is on uTP is dialled over uTP alone (BEP 11 flag 0x04)', async () => {
    vi.useFakeTimers();
    const { net, swarm, connector } = setup();
    const peer = net.peer(at(4), 'utp-only');
    swarm.add([{ ...peer, flags: PexFlag.UTP | PexFlag.REACHABLE }]);
    expect(swarm.kindFor(peer)).toBe('utp');
    connector.connectMore();
    await vi.advanceTimersByTimeAsync(2_000);
    expect(net.kindsTried(peer)).toEqual(['utp']);
  });

  it('a seed dials peers that are not known seeds, and never known seeds (PEX flag, closed as both seeding)', async () => {
    vi.useFakeTimers();
    const { net, swarm, connector } = setup({ dialing: true, seeding: true });
    const leecher = net.peer(at(5), 'both');
    const pexSeed = net.peer(at(6), 'both');
    const oldSeed = net.peer(at(7), 'both');
    swarm.add([leecher, { ...pexSeed, flags: PexFlag.SEED }, oldSeed]);
    swarm.markSeed(oldSeed);
    connector.connectMore();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(net.kindsTried(leecher)).toEqual(['utp']);
    expect(net.kindsTried(pexSeed)).toEqual([]);
    expect(net.kindsTried(oldSeed)).toEqual([]);
    swarm.redialClosed(); // what a torrent that lost pieces does: seeds are worth dialling again
    expect(swarm.next(5, Date.now(), { skipSeeds: false })).toEqual([pexSeed, oldSeed]);
  });

  it('dials nobody while not dialling (paused, stopped)', async () => {
    vi.useFakeTimers();
    const { net, swarm, connector } = setup({ dialing: false, seeding: true });
    swarm.add([net.peer(at(8), 'both')]);
    connector.connectMore();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(net.attempts).toEqual([]);
  });
});
