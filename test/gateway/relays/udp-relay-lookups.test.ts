// UDP_SEND to a name: while the name is being looked up, one datagram waits for it and later ones
// for the same destination are dropped; a tab has a bounded number of destinations resolving.
import { createSocket, type Socket } from 'node:dgram';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Frame } from '../../../shared/bridge/frames.ts';
import { NameResolver } from '../../../gateway/name-resolver.ts';
import { Policy } from '../../../gateway/policy.ts';
import type { StreamHost } from '../../../gateway/relays/stream-host.ts';
import { MAX_PENDING_UDP_LOOKUPS, UdpRelay } from '../../../gateway/relays/udp-relay.ts';
import { FakeDns } from '../helpers/fake-dns.ts';

const host: StreamHost = { send: (_frame: Frame) => {}, congested: () => false, maxDataPayload: 16_384, forget: () => {} };

let dns: FakeDns;
let relay: UdpRelay;
let peer: Socket;
let peerPort: number;
const received: string[] = [];

beforeEach(async () => {
  dns = new FakeDns();
  // Room for every pending destination: the relay's own cap is what is tested.
  const resolver = new NameResolver({ lookup: dns.lookup, maxActivePerRequester: 64, maxPendingPerRequester: 64, maxActive: 64 });
  const policy = new Policy({ allowPrivate: true, ownHttpPort: () => 1, resolver });
  received.length = 0;
  peer = createSocket('udp4');
  peer.on('message', (msg) => received.push(msg.toString()));
  await new Promise<void>((resolve) => peer.bind(0, '127.0.0.1', resolve));
  peerPort = peer.address().port;
  await new Promise<void>((resolve, reject) => {
    relay = new UdpRelay(host, 1, '0.0.0.0', policy, (err) => (err ? reject(err) : resolve()), () => 1000);
  });
});
afterEach(() => {
  relay.close();
  peer.close();
});

const text = (s: string) => new TextEncoder().encode(s);
const until = async (check: () => boolean) => {
  for (let i = 0; i < 100 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
};

describe('UDP relay name lookups', () => {
  it('holds one datagram per destination while its name resolves and drops the rest', async () => {
    for (const word of ['one', 'two', 'three']) relay.send('peer.test', peerPort, text(word));
    await until(() => dns.calls.length > 0);
    expect(dns.started()).toEqual(['peer.test']);
    dns.call('peer.test').answer('127.0.0.1');
    await until(() => received.length > 0);
    relay.send('peer.test', peerPort, text('four')); // resolved now: sent at once
    await until(() => received.length > 1);
    expect(received).toEqual(['one', 'four']);
    expect(relay.stats).toMatchObject({ sent: 2, dropped: 2 });
  });

  it(`has at most ${MAX_PENDING_UDP_LOOKUPS} destinations resolving at once`, async () => {
    for (let i = 0; i < MAX_PENDING_UDP_LOOKUPS + 10; i++) relay.send(`peer-${i}.test`, peerPort, text(String(i)));
    await until(() => dns.calls.length >= MAX_PENDING_UDP_LOOKUPS);
    expect(dns.calls).toHaveLength(MAX_PENDING_UDP_LOOKUPS);
    expect(relay.stats.dropped).toBe(10);
    dns.call('peer-0.test').fail('ENOTFOUND'); // a slot frees: a new destination may resolve
    await until(() => relay.stats.dropped === 11);
    relay.send('late.test', peerPort, text('late'));
    await until(() => dns.calls.length > MAX_PENDING_UDP_LOOKUPS);
    expect(dns.started().at(-1)).toBe('late.test');
  });
});
