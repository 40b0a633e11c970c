import { describe, expect, it } from 'vitest';
import { PEER_TTL_MS, PeerStore } from '../../../shared/dht/peer-store.ts';
import { id } from './ids.ts';

describe('DHT peer store', () => {
  it('returns announced peers, most recent first, without duplicates', () => {
    const store = new PeerStore();
    store.add(id(1), { host: '10.0.0.1', port: 1 }, 0);
    store.add(id(1), { host: '10.0.0.2', port: 2 }, 1);
    store.add(id(1), { host: '10.0.0.1', port: 1 }, 2);
    expect(store.get(id(1), 3, 50)).toEqual([{ host: '10.0.0.1', port: 1 }, { host: '10.0.0.2', port: 2 }]);
    expect(store.get(id(1), 3, 1)).toHaveLength(1);
    expect(store.get(id(2), 3, 50)).toEqual([]);
  });

  it('expires peers after 30 minutes', () => {
    const store = new PeerStore();
    store.add(id(1), { host: '10.0.0.1', port: 1 }, 0);
    expect(store.get(id(1), PEER_TTL_MS - 1, 50)).toHaveLength(1);
    expect(store.get(id(1), PEER_TTL_MS, 50)).toEqual([]);
    expect(store.infoHashCount).toBe(0);
  });

  it('is bounded per info-hash and in info-hashes, dropping the oldest', () => {
    const store = new PeerStore({ peersPerInfoHash: 3, infoHashes: 2 });
    for (let port = 1; port <= 5; port++) store.add(id(1), { host: '10.0.0.1', port }, port);
    expect(store.get(id(1), 10, 50).map((p) => p.port)).toEqual([5, 4, 3]);
    store.add(id(2), { host: '10.0.0.1', port: 1 }, 10);
    store.add(id(3), { host: '10.0.0.1', port: 1 }, 10);
    expect(store.infoHashCount).toBe(2);
    expect(store.get(id(1), 10, 50)).toEqual([]);
  });
});
