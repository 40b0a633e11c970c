// Announcer over HttpTracker clients: announces through a fake Transport, on fake timers.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { bencode } from '../../../../shared/bencode/index.ts';
import { Announcer } from '../../../../web/worker/torrent/announcer.ts';
import { HttpTracker } from '../../../../web/worker/trackers/http-tracker.ts';
import { makeTrackers } from '../../../../web/worker/trackers/make-tracker.ts';
import type { UdpService } from '../../../../web/worker/udp/udp-service.ts';
import type { HttpResult, PeerAddress, Transport } from '../../../../web/worker/transport.ts';

const TRACKER = 'http://tracker.example/announce';
const INFO_HASH = new Uint8Array(20).fill(1);
const PEER_ID = new Uint8Array(20).fill(2);

/** Compact IPv4 peers (BEP 23). */
function compact(peers: PeerAddress[]): Uint8Array {
  const out = new Uint8Array(peers.length * 6);
  peers.forEach((p, i) => {
    out.set(p.host.split('.').map(Number), i * 6);
    out[i * 6 + 4] = p.port >> 8;
    out[i * 6 + 5] = p.port & 0xff;
  });
  return out;
}

class FakeTracker {
  /** Announce URLs only; scrapes (tried once after the first answer) are kept apart. */
  readonly urls: string[] = [];
  readonly scrapes: string[] = [];
  answer: () => Promise<HttpResult> = async () => ({ status: 200, body: bencode({ interval: 120, peers: new Uint8Array() }) });
  readonly transport: Transport = {
    httpGet: (url) => {
      if (new URL(url).pathname.endsWith('/scrape')) { this.scrapes.push(url); return Promise.resolve({ status: 404, body: new Uint8Array() }); }
      this.urls.push(url);
      return this.answer();
    },
    connect: () => Promise.reject(new Error('unused')),
    bindUdp: () => Promise.reject(new Error('unused')),
    listen: () => Promise.reject(new Error('unused')),
  };
  events(): (string | null)[] {
    return this.urls.map((u) => new URL(u).searchParams.get('event'));
  }
}

function announcer(tracker: FakeTracker, onPeers: (peers: PeerAddress[]) => void = () => {}) {
  const clients = [new HttpTracker(TRACKER, () => tracker.transport)];
  return new Announcer(clients, INFO_HASH, PEER_ID, () => 6881, () => ({ uploaded: 1, downloaded: 2, left: 3 }), onPeers);
}

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(1_700_000_000_000);
});

afterEach(() => {
  vi.useRealTimers();
});

describe('Announcer', () => {
  it('announces started, hands the compact peers to onPeers and records the counts', async () => {
    const tracker = new FakeTracker();
    const peers = [{ host: '1.2.3.4', port: 6881 }, { host: '198.51.100.9', port: 51413 }];
    tracker.answer = async () => ({ status: 200, body: bencode({ interval: 1800, complete: 7, incomplete: 3, peers: compact(peers) }) });
    const handed: PeerAddress[][] = [];
    const a = announcer(tracker, (p) => handed.push(p));
    a.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(tracker.urls).toHaveLength(1);
    const params = new URL(tracker.urls[0]!).searchParams;
    expect(params.get('event')).toBe('started');
    expect(params.get('port')).toBe('6881');
    expect(params.get('left')).toBe('3');
    expect(params.get('compact')).toBe('1');
    expect(handed).toEqual([peers]);
    expect(a.statuses).toEqual([{ url: TRACKER, tier: 0, lastAnnounceAt: 1_700_000_000_000, peers: 2, seeders: 7, leechers: 3 }]);
    a.stop();
  });

  it('makes a client for http(s) and udp trackers only, once per URL', () => {
    const tracker = new FakeTracker();
    const clients = makeTrackers(['udp://tracker.example:80', TRACKER, 'wss://tracker.example', TRACKER, 'https://t.example/a'],
      () => tracker.transport, () => ({}) as UdpService);
    expect(clients.map((c) => c.url)).toEqual(['udp://tracker.example:80', TRACKER, 'https://t.example/a']);
    expect(clients[1]).toBeInstanceOf(HttpTracker);
  });

  it('announces again after the interval the tracker gave, without an event', async () => {
    const tracker = new FakeTracker();
    const a = announcer(tracker);
    a.start();
    await vi.advanceTimersByTimeAsync(0);
    await vi.advanceTimersByTimeAsync(119_999);
    expect(tracker.urls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(tracker.events()).toEqual(['started', null]);
    await vi.advanceTimersByTimeAsync(120_000);
    expect(tracker.urls).toHaveLength(3);
    a.stop();
  });

  it('never announces more often than every 30 s, whatever the tracker says', async () => {
    const tracker = new FakeTracker();
    tracker.answer = async () => ({ status: 200, body: bencode({ interval: 1, peers: new Uint8Array() }) });
    const a = announcer(tracker);
    a.start();
    await vi.advanceTimersByTimeAsync(29_999);
    expect(tracker.urls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(tracker.urls).toHaveLength(2);
    a.stop();
  });

  it('records a failure reason in the statuses and retries with back-off', async () => {
    const tracker = new FakeTracker();
    tracker.answer = async () => ({ status: 200, body: bencode({ 'failure reason': 'unregistered torrent' }) });
    const a = announcer(tracker);
    a.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(a.statuses[0]!.error).toMatch(/unregistered torrent/);
    expect(a.statuses[0]!.lastAnnounceAt).toBeUndefined();
    await vi.advanceTimersByTimeAsync(29_999); // first retry after 15 s × 2
    expect(tracker.urls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(tracker.urls).toHaveLength(2);
    a.stop();
  });

  it('records an HTTP error status and a transport failure', async () => {
    const tracker = new FakeTracker();
    tracker.answer = async () => ({ status: 503, body: new Uint8Array() });
    const a = announcer(tracker);
    a.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(a.statuses[0]!.error).toBe('the tracker answered HTTP 503');
    a.stop();

    const down = new FakeTracker();
    down.answer = () => Promise.reject(new Error('no route to host'));
    const b = announcer(down);
    b.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(b.statuses[0]!.error).toBe('no route to host');
    b.stop();
  });

  it('refresh() does not re-announce within 60 s of the last announce, and does after', async () => {
    const tracker = new FakeTracker();
    tracker.answer = async () => ({ status: 200, body: bencode({ interval: 1800, peers: new Uint8Array() }) });
    const a = announcer(tracker);
    a.start();
    await vi.advanceTimersByTimeAsync(0);
    a.refresh();
    await vi.advanceTimersByTimeAsync(59_000);
    a.refresh();
    await vi.advanceTimersByTimeAsync(0);
    expect(tracker.urls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1_000);
    a.refresh();
    await vi.advanceTimersByTimeAsync(0);
    expect(tracker.events()).toEqual(['started', null]);
    a.stop();
  });

  it('stop() sends a stopped event to trackers it reached and cancels the next announce', async () => {
    const tracker = new FakeTracker();
    const a = announcer(tracker);
    a.start();
    await vi.advanceTimersByTimeAsync(0);
    a.stop();
    await vi.advanceTimersByTimeAsync(0);
    expect(tracker.events()).toEqual(['started', 'stopped']);
    await vi.advanceTimersByTimeAsync(3_600_000);
    expect(tracker.urls).toHaveLength(2);
  });

  it('sends the tracker id back on later announces (BEP 3)', async () => {
    const tracker = new FakeTracker();
    tracker.answer = async () => ({ status: 200, body: bencode({ interval: 60, 'tracker id': 'abc', peers: new Uint8Array() }) });
    const a = announcer(tracker);
    a.start();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(tracker.urls).toHaveLength(2);
    expect(new URL(tracker.urls[0]!).searchParams.get('trackerid')).toBeNull();
    expect(new URL(tracker.urls[1]!).searchParams.get('trackerid')).toBe('abc');
    a.stop();
  });

  it('completed() announces the completed event', async () => {
    const tracker = new FakeTracker();
    const a = announcer(tracker);
    a.start();
    await vi.advanceTimersByTimeAsync(0);
    a.completed();
    await vi.advanceTimersByTimeAsync(0);
    expect(tracker.events()).toEqual(['started', 'completed']);
    a.stop();
  });
});
