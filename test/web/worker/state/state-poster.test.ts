// The worker's side of the UI updates: what StatePoster sends, and what it leaves out.
import { describe, expect, it } from 'vitest';
import { StatePoster } from '../../../../web/worker/state/state-poster.ts';
import type { ListedTorrent } from '../../../../web/worker/state/state-views.ts';
import type { LinkStatus, TorrentStats } from '../../../../web/worker/protocol.ts';

const LINK: LinkStatus = { state: 'connected', kind: 'websocket' };

/** A torrent in the list whose stats and details tests change; counts how often each part was built. */
class FakeTorrent {
  stats: TorrentStats;
  peers = ['192.0.2.1:6881'];
  source: object = {};
  built = { metadata: 0, details: 0 };
  constructor(readonly hex: string) {
    this.stats = {
      infoHashHex: hex, state: 'downloading', wantedBytes: 100, verifiedBytes: 0, progress: 0, downloadBps: 0, uploadBps: 0,
      downloadedBytes: 0, uploadedBytes: 0, wastedBytes: 0, etaSeconds: null, peerCount: 1, knownPeers: 1, sequential: false,
    };
  }
  listed(): ListedTorrent {
    return {
      infoHashHex: this.hex, source: this.source,
      metadata: () => { this.built.metadata++; return { infoHashHex: this.hex, name: this.hex, totalBytes: 100, pieceCount: 1, pieceLength: 100, files: [] }; },
      stats: () => ({ ...this.stats }),
      details: () => {
        this.built.details++;
        return { infoHashHex: this.hex, files: [], peers: this.peers.map((address) => peer(address)), trackers: [], warnings: [] };
      },
    };
  }
}

function peer(address: string) {
  return { address, client: '', downloadBps: 0, uploadBps: 0, progress: 0, inbound: false, choked: true, requests: 0 };
}

const list = (...torrents: FakeTorrent[]) => torrents.map((t) => t.listed());

describe('StatePoster', () => {
  it('sends metadata once per torrent, and stats only for torrents whose fields changed', () => {
    const poster = new StatePoster();
    const a = new FakeTorrent('aa');
    const b = new FakeTorrent('bb');
    const first = poster.next(list(a, b), LINK, undefined)!;
    expect(first.metadata.map((m) => m.infoHashHex)).toEqual(['aa', 'bb']);
    expect(first.stats.map((s) => s.infoHashHex)).toEqual(['aa', 'bb']);
    expect(first.order).toEqual(['aa', 'bb']);

    a.stats.progress = 0.5;
    a.stats.downloadBps = 1000;
    const second = poster.next(list(a, b), LINK, undefined)!;
    expect(second.metadata).toEqual([]);
    expect(second.stats).toEqual([a.stats]);
    expect(second.order, 'the order did not change').toBeUndefined();
    expect(a.built.metadata + b.built.metadata).toBe(2);
  });

  it('posts nothing when nothing changed, and the link or storage when only they did', () => {
    const poster = new StatePoster();
    const a = new FakeTorrent('aa');
    poster.next(list(a), LINK, undefined);
    expect(poster.next(list(a), { ...LINK }, undefined)).toBeUndefined();
    const linkOnly = poster.next(list(a), { state: 'disconnected', kind: 'websocket' }, undefined)!;
    expect([linkOnly.link.state, linkOnly.stats, linkOnly.metadata]).toEqual(['disconnected', [], []]);
    const storage = { usageBytes: 1, quotaBytes: 2, persisted: false };
    expect(poster.next(list(a), linkOnly.link, storage)?.storage).toEqual(storage);
    expect(poster.next(list(a), linkOnly.link, { ...storage })).toBeUndefined();
  });

  it('sends details only for the shown torrent, when shown and when they changed', () => {
    const poster = new StatePoster();
    const a = new FakeTorrent('aa');
    const b = new FakeTorrent('bb');
    expect(poster.next(list(a, b), LINK, undefined)!.details).toBeUndefined();
    expect(a.built.details + b.built.details, 'no details built while none is shown').toBe(0);

    poster.show('bb');
    expect(poster.next(list(a, b), LINK, undefined)!.details?.infoHashHex).toBe('bb');
    expect(poster.next(list(a, b), LINK, undefined), 'the same details are not sent again').toBeUndefined();
    b.peers.push('192.0.2.2:6881');
    expect(poster.next(list(a, b), LINK, undefined)!.details?.peers).toHaveLength(2);
    expect(a.built.details).toBe(0);

    poster.show('aa');
    expect(poster.next(list(a, b), LINK, undefined)!.details?.infoHashHex).toBe('aa');
    poster.show(undefined);
    a.peers = [];
    expect(poster.next(list(a, b), LINK, undefined)).toBeUndefined();
  });

  it('says which torrents were removed, and sends a torrent listed again (or a magnet become a torrent) anew', () => {
    const poster = new StatePoster();
    const a = new FakeTorrent('aa');
    const b = new FakeTorrent('bb');
    poster.show('aa');
    poster.next(list(a, b), LINK, undefined);

    const removed = poster.next(list(b), LINK, undefined)!;
    expect(removed.removed).toEqual(['aa']);
    expect(removed.order).toEqual(['bb']);
    expect(removed.details).toBeUndefined();

    const back = poster.next(list(b, a), LINK, undefined)!;
    expect(back.metadata.map((m) => m.infoHashHex)).toEqual(['aa']);
    expect(back.stats.map((s) => s.infoHashHex)).toEqual(['aa']);
    expect(back.details?.infoHashHex, 'the shown torrent is back: its details again').toBe('aa');

    b.source = {}; // the same info-hash, another object: a magnet whose metadata arrived
    const converted = poster.next(list(b, a), LINK, undefined)!;
    expect(converted.metadata.map((m) => m.infoHashHex)).toEqual(['bb']);
    expect(converted.stats.map((s) => s.infoHashHex)).toEqual(['bb']);
    expect(converted.removed).toEqual([]);
  });
});
