import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { MAX_PAYLOAD_BYTES, UtpConnection } from '../../../shared/utp/connection.ts';
import { decodePacket, PacketType } from '../../../shared/utp/packet.ts';
import { randomBytes, SimNetwork } from './sim-network.ts';

const MiB = 1024 * 1024;
const sha = (parts: Uint8Array[]) => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest('hex');
};

/** Writes `data` from a to b in 64 KiB slices, keeping at most 512 KiB buffered, like the gateway. */
function transfer(net: SimNetwork, data: Uint8Array, limitMs = 600_000): boolean {
  let offset = 0;
  const feed = () => {
    const a = net.connection('a');
    while (offset < data.length && a.bufferedBytes < 512 * 1024) {
      a.write(data.subarray(offset, offset + 65536));
      offset += 65536;
      if (offset >= data.length) a.end();
    }
    a.flush(net.nowMs);
  };
  if (!net.run(() => net.b !== null && net.events.a.some((e) => e.type === 'connected'))) return false;
  return net.run(() => {
    feed();
    return net.receivedBytes('b') >= data.length && net.events.b.some((e) => e.type === 'end');
  }, limitMs);
}

describe('uTP connection state machine', () => {
  it('connects: SYN, STATE, then both sides are connected', () => {
    const net = new SimNetwork();
    const syn = decodePacket(net.a.takePackets()[0]!);
    expect(syn).toMatchObject({ type: PacketType.SYN, connectionId: 0x4000, seqNr: 1 });
    net.a = UtpConnection.connect(0x4000, 0);
    expect(net.run(() => net.events.a.some((e) => e.type === 'connected'))).toBe(true);
    expect(net.b!.recvId).toBe(0x4001);
    expect(net.b!.sendId).toBe(0x4000);
    expect(net.a.sendId).toBe(0x4001);
    expect(net.nowMs).toBe(20);
  });

  it('transfers 5 MiB intact over a link with 5 % loss, reordering and duplicates', () => {
    const net = new SimNetwork({ seed: 42, lossRate: 0.05, duplicateRate: 0.02, delayMs: 15, jitterMs: 10 });
    const data = randomBytes(5 * MiB, 99);
    expect(transfer(net, data)).toBe(true);
    expect(sha(net.received.b)).toBe(sha([data]));
    expect(net.stats.lost).toBeGreaterThan(100);
    // both FINs acknowledged → closed cleanly on both sides
    net.connection('b').end();
    net.connection('b').flush(net.nowMs);
    expect(net.run(() => net.a.state === 'closed' && net.b!.state === 'closed')).toBe(true);
    expect(net.events.a.at(-1)).toEqual({ type: 'closed' });
    expect(net.events.b.at(-1)).toEqual({ type: 'closed' });
    // far quicker than one RTO per lost packet would allow
    expect(net.nowMs).toBeLessThan(60_000);
  });

  it('carries data both ways at once', () => {
    const net = new SimNetwork({ seed: 3, lossRate: 0.03, jitterMs: 5 });
    net.run(() => net.b !== null && net.events.a.some((e) => e.type === 'connected'));
    const ab = randomBytes(300_000, 1);
    const ba = randomBytes(200_000, 2);
    net.a.write(ab);
    net.b!.write(ba);
    net.a.flush(net.nowMs);
    net.b!.flush(net.nowMs);
    expect(net.run(() => net.receivedBytes('b') === ab.length && net.receivedBytes('a') === ba.length)).toBe(true);
    expect(sha(net.received.b)).toBe(sha([ab]));
    expect(sha(net.received.a)).toBe(sha([ba]));
  });

  it('crosses the 16-bit sequence wrap on both sides', () => {
    const net = new SimNetwork({ seed: 5, lossRate: 0.05, jitterMs: 8, options: { initialSeq: 0xffd0 }, acceptOptions: { initialSeq: 0xfff0 } });
    const data = randomBytes(400 * MAX_PAYLOAD_BYTES, 7);
    net.run(() => net.b !== null && net.events.a.some((e) => e.type === 'connected'));
    net.b!.write(randomBytes(100 * MAX_PAYLOAD_BYTES, 8));
    net.b!.flush(net.nowMs);
    expect(transfer(net, data)).toBe(true);
    expect(sha(net.received.b)).toBe(sha([data]));
    expect(net.run(() => net.receivedBytes('a') === 100 * MAX_PAYLOAD_BYTES)).toBe(true);
  });

  it('delivers the FIN only after the data before it, even when the FIN arrives first', () => {
    const net = new SimNetwork({ seed: 11, jitterMs: 50 });
    net.run(() => net.b !== null && net.events.a.some((e) => e.type === 'connected'));
    net.a.write(randomBytes(20 * MAX_PAYLOAD_BYTES, 4));
    net.a.end();
    net.a.flush(net.nowMs);
    expect(net.run(() => net.events.b.some((e) => e.type === 'end'))).toBe(true);
    const types = net.events.b.map((e) => e.type);
    expect(types.lastIndexOf('data')).toBeLessThan(types.indexOf('end'));
    expect(net.receivedBytes('b')).toBe(20 * MAX_PAYLOAD_BYTES);
    expect(net.b!.remoteEnded).toBe(true);
  });

  /** Closes `first`; the other side answers its FIN with its own at once (as libtorrent does). */
  function closeInOrder(first: 'a' | 'b'): { net: SimNetwork; startMs: number } {
    const net = new SimNetwork({ delayMs: 10 });
    net.run(() => net.b !== null && net.events.a.some((e) => e.type === 'connected'));
    const startMs = net.nowMs;
    const second = first === 'a' ? 'b' : 'a';
    net.connection(first).end();
    net.connection(first).flush(net.nowMs);
    const closed = net.run(() => {
      const answerer = net.connection(second);
      if (net.events[second].some((e) => e.type === 'end') && !answerer.writableEnded) {
        answerer.end();
        answerer.flush(net.nowMs);
      }
      return net.a.state === 'closed' && net.b!.state === 'closed';
    }, 30_000);
    expect(closed).toBe(true);
    return { net, startMs };
  }

  it('we close first: the FIN that answers ours is acknowledged at once, both sides close in a few round trips', () => {
    const { net, startMs } = closeInOrder('a');
    expect(net.events.a.at(-1)).toEqual({ type: 'closed' });
    expect(net.events.b.at(-1)).toEqual({ type: 'closed' });
    // 20 ms round trips: no side waited for a retransmission timeout (1 s) to see its FIN acked
    expect(net.nowMs - startMs).toBeLessThan(200);
  });

  it('they close first: our FIN answers theirs, it is acknowledged, both sides close in a few round trips', () => {
    const { net, startMs } = closeInOrder('b');
    expect(net.events.a.map((e) => e.type)).toEqual(['connected', 'end', 'closed']);
    expect(net.events.b.at(-1)).toEqual({ type: 'closed' });
    expect(net.nowMs - startMs).toBeLessThan(200);
  });

  it('the last FIN is acknowledged at once by a STATE that acks its seq_nr and claims no seq_nr past our FIN', () => {
    const net = new SimNetwork();
    net.run(() => net.b !== null && net.events.a.some((e) => e.type === 'connected'));
    const a = net.a;
    const b = net.b!;
    a.end();
    a.flush(net.nowMs);
    const finOfA = decodePacket(a.takePackets()[0]!);
    b.receive(finOfA, net.nowMs);
    b.end();
    b.flush(net.nowMs);
    const finOfB = b.takePackets().map(decodePacket).find((p) => p.type === PacketType.FIN)!;
    expect(finOfB).toBeDefined();
    a.receive(finOfB, net.nowMs);
    a.flush(net.nowMs);
    expect(a.state).toBe('closed');
    const answers = a.takePackets().map(decodePacket);
    // Its seq_nr is our FIN's, not one past it: libtorrent drops anything past the FIN it got.
    expect(answers).toEqual([expect.objectContaining({ type: PacketType.STATE, ackNr: finOfB.seqNr, seqNr: finOfA.seqNr })]);
  });

  it('RESET closes the other side with a reason', () => {
    const net = new SimNetwork();
    net.run(() => net.b !== null && net.events.a.some((e) => e.type === 'connected'));
    net.b!.reset(net.nowMs);
    expect(net.events.b).toEqual([]);
    expect(net.run(() => net.a.state === 'closed')).toBe(true);
    expect(net.events.a.at(-1)).toMatchObject({ type: 'closed', reason: 'reset' });
  });

  it('a RESET answering the SYN means refused', () => {
    const a = UtpConnection.connect(10, 0);
    const syn = decodePacket(a.takePackets()[0]!);
    a.receive({ ...syn, type: PacketType.RESET, connectionId: 10, payload: new Uint8Array(0) }, 5);
    expect(a.takeEvents()).toEqual([{ type: 'closed', reason: 'refused', message: 'the peer refused the connection (RESET)' }]);
  });

  it('retransmits the SYN with back-off, then gives up', () => {
    const a = UtpConnection.connect(10, 0);
    const sends: number[] = [];
    a.takePackets();
    while (a.state !== 'closed') {
      const at = a.deadlineMs;
      a.tick(at);
      if (a.takePackets().length > 0) sends.push(at);
    }
    expect(sends).toEqual([1000, 3000, 7000]);
    expect(a.takeEvents()).toEqual([{ type: 'closed', reason: 'timeout', message: 'no answer to SYN after 3 retransmissions' }]);
  });

  it('kills a connection whose peer went silent', () => {
    const net = new SimNetwork();
    net.run(() => net.b !== null && net.events.a.some((e) => e.type === 'connected'));
    net.blackhole.b = true;
    net.a.write(randomBytes(10_000, 1));
    net.a.flush(net.nowMs);
    const start = net.nowMs;
    expect(net.run(() => net.a.state === 'closed')).toBe(true);
    expect(net.events.a.at(-1)).toMatchObject({ type: 'closed', reason: 'timeout' });
    expect(net.nowMs - start).toBeGreaterThan(10_000);
    expect(net.nowMs - start).toBeLessThan(120_000);
  });

  it('honours the receive window: a reader that stops reading stops the sender', () => {
    const buffer = 64 * 1024;
    const net = new SimNetwork({ options: { receiveBufferBytes: buffer }, acceptOptions: { receiveBufferBytes: buffer } });
    net.run(() => net.b !== null && net.events.a.some((e) => e.type === 'connected'));
    net.reading.b = false;
    const data = randomBytes(1 * MiB, 5);
    net.a.write(data);
    net.a.flush(net.nowMs);
    net.run(() => false, 30_000);
    // Held: at most the window plus one probe packet.
    expect(net.receivedBytes('b')).toBeLessThanOrEqual(buffer + MAX_PAYLOAD_BYTES);
    expect(net.receivedBytes('b')).toBeGreaterThanOrEqual(buffer - MAX_PAYLOAD_BYTES);
    expect(net.a.state).toBe('connected');
    net.reading.b = true;
    net.read('b');
    expect(net.run(() => net.receivedBytes('b') === data.length)).toBe(true);
    expect(sha(net.received.b)).toBe(sha([data]));
  });

  it('does not keep more out-of-order packets than its window holds', () => {
    const b = UtpConnection.accept(decodePacket(UtpConnection.connect(1, 0).takePackets()[0]!), 0, { receiveBufferBytes: 10 * MAX_PAYLOAD_BYTES, initialSeq: 100 });
    b.takePackets();
    const payload = new Uint8Array(MAX_PAYLOAD_BYTES);
    // seq 2 never arrives; 3..2000 do
    for (let seq = 3; seq < 2000; seq++) {
      b.receive({ type: PacketType.DATA, connectionId: 2, timestampUs: 0, timestampDifferenceUs: 0, windowBytes: 1 << 20, seqNr: seq, ackNr: 99, payload }, 1);
    }
    b.flush(1);
    const ack = decodePacket(b.takePackets().at(-1)!);
    expect(ack.ackNr).toBe(1);
    expect(ack.windowBytes).toBeLessThanOrEqual(0);
    expect(b.takeEvents()).toEqual([]);
  });
});
