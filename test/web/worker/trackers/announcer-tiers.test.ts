// BEP 12 tiers and the BEP 3 intervals, as the Announcer applies them, on fake timers.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Announcer, type AnnouncerOptions } from '../../../../web/worker/torrent/announcer.ts';
import { LinkPresence } from '../../../../web/worker/torrent/link-presence.ts';
import type { Transport } from '../../../../web/worker/transport.ts';
import { ScriptedClient } from './scripted-client.ts';

const INFO_HASH = new Uint8Array(20).fill(1);
const PEER_ID = new Uint8Array(20).fill(2);
/** With this random source Fisher–Yates leaves every tier in its metainfo order. */
const KEEP_ORDER = () => 0.999;

function setup(tiers: string[][], options: AnnouncerOptions = { random: KEEP_ORDER }) {
  const log: string[] = [];
  const clients = new Map<string, ScriptedClient>();
  const clientTiers = tiers.map((urls) => urls.map((url) => {
    const client = new ScriptedClient(url, log);
    clients.set(url, client);
    return client;
  }));
  const announcer = new Announcer(clientTiers, INFO_HASH, PEER_ID, () => 6881, () => ({ uploaded: 0, downloaded: 0, left: 1 }), () => {}, options);
  return { log, announcer, client: (url: string) => clients.get(url)! };
}

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(1_700_000_000_000);
});

afterEach(() => {
  vi.useRealTimers();
});

describe('Announcer tiers (BEP 12)', () => {
  it('shuffles each tier once with the random source it is given', async () => {
    const { log, announcer, client } = setup([['a', 'b', 'c']], { random: () => 0 });
    for (const url of ['a', 'b', 'c']) client(url).failure = 'down';
    announcer.start();
    await vi.advanceTimersByTimeAsync(0);
    // Fisher–Yates with j = 0 each step: [a b c] → [c b a] → [b c a].
    expect(log).toEqual(['b started', 'c started', 'a started']);
    expect(announcer.statuses.map((s) => s.url)).toEqual(['b', 'c', 'a']);
    announcer.stop();
  });

  it('announces to the first tracker of every tier, not to the others', async () => {
    const { log, announcer } = setup([['a', 'b'], ['c', 'd']]);
    announcer.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(log).toEqual(['a started', 'c started']);
    expect(announcer.statuses.map((s) => [s.url, s.tier])).toEqual([['a', 0], ['b', 0], ['c', 1], ['d', 1]]);
    announcer.stop();
  });

  it('tries the next tracker of the tier on failure and moves the one that answers to the front', async () => {
    const { log, announcer, client } = setup([['a', 'b', 'c']]);
    client('a').failure = 'connection refused';
    announcer.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(log).toEqual(['a started', 'b started']);
    expect(announcer.statuses.map((s) => s.url)).toEqual(['b', 'a', 'c']);
    expect(announcer.statuses[1]!.error).toBe('connection refused');
    client('a').failure = undefined;
    await vi.advanceTimersByTimeAsync(1_800_000);
    expect(log.slice(2)).toEqual(['b -']); // b first now; a is not asked while b answers
    announcer.stop();
  });

  it('a tier where every tracker fails is retried from its first, with back-off', async () => {
    const { log, announcer, client } = setup([['a', 'b']]);
    client('a').failure = client('b').failure = 'down';
    announcer.start();
    await vi.advanceTimersByTimeAsync(29_999);
    expect(log).toEqual(['a started', 'b started']);
    await vi.advanceTimersByTimeAsync(1);
    expect(log.slice(2)).toEqual(['a started', 'b started']);
    announcer.stop();
  });

  it('sends started to a tracker first reached on failover, and stopped to every tracker that answered started', async () => {
    const { log, announcer, client } = setup([['a', 'b'], ['c']]);
    announcer.start();
    await vi.advanceTimersByTimeAsync(0);
    client('a').failure = 'gone';
    await vi.advanceTimersByTimeAsync(1_800_000);
    expect(log).toEqual(['a started', 'c started', 'a -', 'b started', 'c -']);
    log.length = 0;
    announcer.stop();
    expect(log.sort()).toEqual(['a stopped', 'b stopped', 'c stopped']);
  });
});

describe('Announcer intervals (BEP 3)', () => {
  it('an early announce (few peers) waits for the tracker’s min interval', async () => {
    const { log, announcer, client } = setup([['a']]);
    client('a').result = { intervalSeconds: 1800, minIntervalSeconds: 300, peers: [] };
    announcer.start();
    await vi.advanceTimersByTimeAsync(0);
    await vi.advanceTimersByTimeAsync(299_000);
    announcer.refresh();
    await vi.advanceTimersByTimeAsync(0);
    expect(log).toEqual(['a started']); // 60 s passed long ago; min interval 300 s has not
    await vi.advanceTimersByTimeAsync(1_000);
    announcer.refresh();
    await vi.advanceTimersByTimeAsync(0);
    expect(log).toEqual(['a started', 'a -']);
    announcer.stop();
  });

  it('the regular announce comes at interval, not before min interval', async () => {
    const { log, announcer, client } = setup([['a']]);
    client('a').result = { intervalSeconds: 100, minIntervalSeconds: 200, peers: [] };
    announcer.start();
    await vi.advanceTimersByTimeAsync(199_999);
    expect(log).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(log).toHaveLength(2);
    announcer.stop();
  });
});

describe('Announcer key, warnings and scrapes', () => {
  it('sends one key, the same to every tracker on every announce', async () => {
    const { announcer, client } = setup([['a'], ['b']], { random: KEEP_ORDER, key: 0xdeadbeef });
    announcer.start();
    await vi.advanceTimersByTimeAsync(1_800_000);
    const keys = [...client('a').requests, ...client('b').requests].map((r) => r.key);
    expect(keys).toEqual([0xdeadbeef, 0xdeadbeef, 0xdeadbeef, 0xdeadbeef]);
    announcer.stop();
  });

  it('keeps a tracker’s warning message on its status until an answer without one', async () => {
    const { announcer, client } = setup([['a']]);
    client('a').result = { intervalSeconds: 60, peers: [], warning: 'update your client' };
    announcer.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(announcer.statuses[0]).toMatchObject({ warning: 'update your client' });
    expect(announcer.statuses[0]!.error).toBeUndefined();
    client('a').result = { intervalSeconds: 60, peers: [] };
    await vi.advanceTimersByTimeAsync(60_000);
    expect(announcer.statuses[0]!.warning).toBeUndefined();
    announcer.stop();
  });

  it('scrapes a tracker after its first answer and every 30 minutes, and shows the counts', async () => {
    const { announcer, client } = setup([['a']]);
    client('a').scrapeResult = { seeders: 12, leechers: 4, downloaded: 321 };
    announcer.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(client('a').scrapes).toBe(1);
    expect(announcer.statuses[0]).toMatchObject({ seeders: 12, leechers: 4, downloaded: 321, scrapedAt: 1_700_000_000_000 });
    await vi.advanceTimersByTimeAsync(30 * 60_000);
    expect(client('a').scrapes).toBe(2);
    announcer.stop();
  });
});

describe('stopped on pause and remove', () => {
  it('LinkPresence.leave() (Torrent.stop, used by pause, remove and tab close) sends stopped to each started tracker', async () => {
    const { log, announcer, client } = setup([['a', 'b'], ['c'], ['d']]);
    client('d').failure = 'down';
    const transport = { listen: async () => () => {} } as unknown as Transport;
    const presence = new LinkPresence(announcer, INFO_HASH, () => transport, () => {}, () => {});
    await presence.join();
    await vi.advanceTimersByTimeAsync(0);
    log.length = 0;
    presence.leave();
    expect(log.sort()).toEqual(['a stopped', 'c stopped']); // not b (never asked), not d (never answered)
  });
});
