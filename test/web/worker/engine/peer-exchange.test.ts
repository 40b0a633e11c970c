// PeerExchange: what each peer hears from us, round by round (BEP 11).
import { describe, expect, it } from 'vitest';
import { PexFlag, type PexMessage } from '../../../../shared/peer-wire/index.ts';
import { noteTransport } from '../../../../web/worker/peer/connection-description.ts';
import type { PeerConnection } from '../../../../web/worker/peer/peer-connection.ts';
import type { ByteStream } from '../../../../web/worker/transport.ts';
import { PEX_INTERVAL_MS, PeerExchange } from '../../../../web/worker/torrent/peer-exchange.ts';

interface FakePeer {
  dialableAddress?: { host: string; port: number }; remotePexId: number; closed: boolean; inbound: boolean;
  bitfield: { isComplete: boolean }; sent: PexMessage[]; sendPex(m: PexMessage): void; stream: ByteStream;
}

function peer(host: string, options: { pex?: boolean; dialable?: boolean; seed?: boolean; inbound?: boolean } = {}): FakePeer {
  const sent: PexMessage[] = [];
  return {
    dialableAddress: options.dialable === false ? undefined : { host, port: 6881 },
    remotePexId: options.pex === false ? 0 : 5,
    closed: false,
    inbound: options.inbound ?? false,
    bitfield: { isComplete: options.seed ?? false },
    sent,
    sendPex: (m) => sent.push(m),
    stream: {} as ByteStream,
  };
}

const asPeers = (peers: FakePeer[]) => peers as unknown as PeerConnection[];
const hosts = (list: Array<{ host: string }>) => list.map((a) => a.host).sort();

describe('PeerExchange', () => {
  it('flags the peers it tells of: a seed, and one we dialled (it takes connections)', () => {
    const exchange = new PeerExchange();
    const listener = peer('10.0.0.1');
    const seed = peer('10.0.0.2', { seed: true });
    const inbound = peer('10.0.0.3', { inbound: true });
    exchange.tick(asPeers([listener, seed, inbound]), 1_000_000);
    const flags = Object.fromEntries(listener.sent[0]!.added.map((a) => [a.host, a.flags]));
    expect(flags).toEqual({ '10.0.0.2': PexFlag.SEED | PexFlag.REACHABLE, '10.0.0.3': 0 });
  });

  it('flags uTP peers, the ones we dialled over uTP and inbound ones the gateway said came over uTP', () => {
    const dialledOverUtp = peer('10.0.0.1');
    const inboundUtp = peer('10.0.0.2', { inbound: true });
    const inboundTcp = peer('10.0.0.3', { inbound: true });
    const listener = peer('10.0.0.4');
    noteTransport(dialledOverUtp.stream, 'utp'); // as the Connector notes a dial it won
    noteTransport(inboundUtp.stream, 'utp');
    noteTransport(inboundTcp.stream, 'tcp');
    const exchange = new PeerExchange();
    exchange.tick(asPeers([dialledOverUtp, inboundUtp, inboundTcp, listener]), 1_000_000);
    const flags = Object.fromEntries(listener.sent[0]!.added.map((a) => [a.host, a.flags]));
    expect(flags).toEqual({ '10.0.0.1': PexFlag.REACHABLE | PexFlag.UTP, '10.0.0.2': PexFlag.UTP, '10.0.0.3': 0 });
  });

  it('tells each peer the others once, then only what changed, once a minute', () => {
    const exchange = new PeerExchange();
    const a = peer('10.0.0.1');
    const b = peer('10.0.0.2');
    const c = peer('10.0.0.3', { pex: false }); // cannot hear PEX, but is worth telling about
    const inboundOnly = peer('10.0.0.4', { dialable: false }); // no listen port: not dialable
    let now = 1_000_000;
    exchange.tick(asPeers([a, b, c, inboundOnly]), now);
    expect(hosts(a.sent[0]!.added)).toEqual(['10.0.0.2', '10.0.0.3']);
    expect(hosts(b.sent[0]!.added)).toEqual(['10.0.0.1', '10.0.0.3']);
    expect(c.sent).toHaveLength(0);
    expect(inboundOnly.sent[0]!.added).toHaveLength(3);

    exchange.tick(asPeers([a, b]), now + 1000); // too soon: nothing
    expect(a.sent).toHaveLength(1);

    now += PEX_INTERVAL_MS;
    const d = peer('10.0.0.5');
    exchange.tick(asPeers([a, b, d]), now); // c left, d came
    expect(a.sent[1]).toEqual({ added: [{ host: '10.0.0.5', port: 6881, flags: PexFlag.REACHABLE }], dropped: [{ host: '10.0.0.3', port: 6881 }] });
    expect(hosts(d.sent[0]!.added)).toEqual(['10.0.0.1', '10.0.0.2']);

    now += PEX_INTERVAL_MS;
    exchange.tick(asPeers([a, b, d]), now); // nothing changed: nothing sent
    expect(a.sent).toHaveLength(2);
  });

  it('tells a peer as soon as there is someone to tell it about', () => {
    const exchange = new PeerExchange();
    const first = peer('10.0.0.1');
    exchange.tick(asPeers([first]), 0);
    expect(first.sent).toHaveLength(0);
    const second = peer('10.0.0.2');
    exchange.tick(asPeers([first, second]), 1000);
    expect(first.sent[0]!.added).toEqual([{ host: '10.0.0.2', port: 6881, flags: PexFlag.REACHABLE }]);
    expect(second.sent[0]!.added).toEqual([{ host: '10.0.0.1', port: 6881, flags: PexFlag.REACHABLE }]);
  });

  it('sends at most 50 added peers a message; the rest follow in the next rounds', () => {
    const exchange = new PeerExchange();
    const listener = peer('10.1.0.1');
    const others = Array.from({ length: 120 }, (_, i) => peer(`10.2.0.${i}`, { pex: false }));
    let now = 0;
    for (let round = 0; round < 3; round++, now += PEX_INTERVAL_MS) exchange.tick(asPeers([listener, ...others]), now);
    expect(listener.sent.map((m) => m.added.length)).toEqual([50, 50, 20]);
    expect(new Set(listener.sent.flatMap((m) => m.added.map((a) => a.host))).size).toBe(120);
  });
});
