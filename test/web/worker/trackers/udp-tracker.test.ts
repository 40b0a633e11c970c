// UdpTracker (BEP 15) on a fake clock: the fake UDP service never waits, it moves the clock by the
// timeout it was given when it has no answer, so the hour-long retry schedule runs at once.
import { describe, expect, it } from 'vitest';
import { readU32BE, writeU32BE } from '../../../../shared/bytes.ts';
import { retransmitTimeoutMs, UdpTracker, type UdpRequester } from '../../../../web/worker/trackers/udp-tracker.ts';
import type { AnnounceRequest } from '../../../../web/worker/trackers/tracker-client.ts';
import type { Datagram } from '../../../../web/worker/transport.ts';

const REQUEST: AnnounceRequest = {
  infoHash: new Uint8Array(20).fill(1), peerId: new Uint8Array(20).fill(2), port: 6881, uploaded: 0, downloaded: 0, left: 5,
  numwant: 50, key: 0x1234abcd,
};
const ACTIONS = ['connect', 'announce', 'scrape'] as const;

interface Sent { at: number; action: string; timeoutMs: number; bytes: Uint8Array }

/** Answers through `reply` (undefined: silence, the clock moves by the timeout). */
class FakeUdp implements UdpRequester {
  time = 0;
  now(): number { return this.time; }
  readonly sent: Sent[] = [];
  reply: (action: string, transactionId: number, bytes: Uint8Array) => Uint8Array | undefined = () => undefined;

  async request(_host: string, port: number, bytes: Uint8Array, matches: (d: Datagram) => boolean, timeoutMs: number) {
    const action = readU32BE(bytes, 8) === 0x27101980 ? 'connect' : ACTIONS[readU32BE(bytes, 8)]!;
    this.sent.push({ at: this.time, action, timeoutMs, bytes });
    const answer = this.reply(action, readU32BE(bytes, 12), bytes);
    if (!answer) { this.time += timeoutMs; return undefined; }
    const datagram = { host: '192.0.2.1', port, bytes: answer };
    return matches(datagram) ? datagram : undefined;
  }
}

function words(...values: number[]): Uint8Array {
  const out = new Uint8Array(values.length * 4);
  values.forEach((v, i) => writeU32BE(out, i * 4, v));
  return out;
}

/** A tracker that answers connects always and announces/scrapes as told. */
function answering(udp: FakeUdp, answers: Partial<Record<string, (tid: number) => Uint8Array | undefined>>) {
  udp.reply = (action, tid) => (action === 'connect' ? words(0, tid, 0xaaaa, 0xbbbb) : answers[action]?.(tid));
}

describe('UdpTracker (BEP 15)', () => {
  it('retransmits after 15·2ⁿ s for n = 0 … 8, then gives up', async () => {
    const udp = new FakeUdp();
    const tracker = new UdpTracker('udp://t.example:6969', () => udp, udp);
    await expect(tracker.announce(REQUEST)).rejects.toThrow('the UDP tracker did not answer');
    expect(udp.sent.map((s) => s.timeoutMs / 1000)).toEqual([15, 30, 60, 120, 240, 480, 960, 1920, 3840]);
    expect(udp.sent.map((s) => s.at / 1000)).toEqual([0, 15, 45, 105, 225, 465, 945, 1905, 3825]);
    expect(retransmitTimeoutMs(8)).toBe(3_840_000);
  });

  it('continues the schedule across connect and announce, and connects again once the id is a minute old', async () => {
    const udp = new FakeUdp();
    let announces = 0;
    answering(udp, { announce: (tid) => (++announces < 4 ? undefined : words(1, tid, 1800, 3, 7)) });
    const result = await new UdpTracker('udp://t.example:6969', () => udp, udp).announce(REQUEST);
    expect(result).toMatchObject({ intervalSeconds: 1800, leechers: 3, seeders: 7, peers: [] });
    // connect, announce 15 s, 30 s (the id is 45 s old), 60 s (105 s: still valid when sent), then a new connect.
    expect(udp.sent.map((s) => `${s.action} ${s.timeoutMs / 1000}`)).toEqual([
      'connect 15', 'announce 15', 'announce 30', 'announce 60', 'connect 120', 'announce 120',
    ]);
  });

  it('reuses the connection id for a minute', async () => {
    const udp = new FakeUdp();
    answering(udp, { announce: (tid) => words(1, tid, 1800, 0, 0) });
    const tracker = new UdpTracker('udp://t.example:6969', () => udp, udp);
    await tracker.announce(REQUEST);
    udp.time = 59_999;
    await tracker.announce(REQUEST);
    udp.time = 60_000;
    await tracker.announce(REQUEST);
    expect(udp.sent.map((s) => s.action)).toEqual(['connect', 'announce', 'announce', 'connect', 'announce']);
    const announce = udp.sent[1]!.bytes;
    expect(readU32BE(announce, 88)).toBe(0x1234abcd); // the torrent's key
    expect(readU32BE(announce, 92)).toBe(50); // numwant
  });

  it('stops retransmitting when the announce is cancelled', async () => {
    const udp = new FakeUdp();
    const abort = new AbortController();
    udp.reply = () => { abort.abort(); return undefined; };
    await expect(new UdpTracker('udp://t.example:6969', () => udp, udp).announce({ ...REQUEST, signal: abort.signal })).rejects.toThrow(/cancelled/);
    expect(udp.sent).toHaveLength(1);
  });

  it('scrapes with action 2 and reads seeders, completed and leechers', async () => {
    const udp = new FakeUdp();
    answering(udp, { scrape: (tid) => words(2, tid, 11, 300, 5) });
    const counts = await new UdpTracker('udp://t.example:6969', () => udp, udp).scrape(REQUEST.infoHash);
    expect(counts).toEqual({ seeders: 11, leechers: 5, downloaded: 300 });
    expect(udp.sent[1]!.bytes.subarray(16)).toEqual(REQUEST.infoHash);
  });

  it('reports the tracker’s error message', async () => {
    const udp = new FakeUdp();
    answering(udp, { announce: (tid) => Uint8Array.from([...words(3, tid), ...new TextEncoder().encode('torrent not registered')]) });
    await expect(new UdpTracker('udp://t.example:6969', () => udp, udp).announce(REQUEST)).rejects.toThrow('the tracker refused: torrent not registered');
  });
});
