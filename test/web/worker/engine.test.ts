// The Engine keeps its torrents for as long as the user does: a gateway link that drops and comes
// back, file choices and priorities, and a reload change nothing a torrent has learned (bans,
// counters, pieces, connected peers). Scripted seeders on a fake network (engine/scripted-swarm.ts).
import { afterEach, describe, expect, it } from 'vitest';
import { Engine } from '../../../web/worker/engine.ts';
import { MemoryPieceStore } from '../../../web/worker/memory-piece-store.ts';
import type { PieceStore, TorrentStorage, WriteStatus } from '../../../web/worker/piece-store.ts';
import { StorageError } from '../../../web/worker/storage-error.ts';
import { keyOf } from '../../../web/worker/torrent/swarm.ts';
import { listTorrents } from '../../../web/worker/state/state-views.ts';
import { FakeNetwork, makeScriptedTorrent } from './engine/scripted-swarm.ts';

const PIECE_LENGTH = 16 * 1024;
// Two files of 4 pieces each, so choosing one leaves the other wanted.
const TWO_FILES = makeScriptedTorrent('two', PIECE_LENGTH, [
  { path: 'a.bin', length: 4 * PIECE_LENGTH },
  { path: 'b.bin', length: 4 * PIECE_LENGTH },
]);
const HEX = TWO_FILES.meta.infoHashHex;
const OTHER = makeScriptedTorrent('other.bin', PIECE_LENGTH, [{ path: 'other.bin', length: 6 * PIECE_LENGTH }]);

/**
 * A MemoryPieceStore whose writes for one torrent fail once: its first `lostCount` pieces form a
 * batch that never lands, reported a moment later (as IndexedDB would) through that handle's onLost.
 */
class FailingBatchStore extends MemoryPieceStore {
  readonly puts = new Map<string, number[]>();
  readonly lost: number[] = [];

  constructor(private readonly failingHex: string, private readonly lostCount: number) {
    super();
  }

  override async openTorrent(infoHashHex: string, pieceCount: number): Promise<TorrentStorage> {
    const inner = await super.openTorrent(infoHashHex, pieceCount);
    const puts = this.puts.get(infoHashHex) ?? [];
    this.puts.set(infoHashHex, puts);
    const failing = infoHashHex === this.failingHex;
    const batch: number[] = [];
    const storage: TorrentStorage = Object.assign(Object.create(inner) as TorrentStorage, {
      putPiece: (index: number, bytes: Uint8Array): WriteStatus => {
        puts.push(index);
        if (!failing || this.lost.length > 0 || batch.length >= this.lostCount) return inner.putPiece(index, bytes);
        batch.push(index);
        if (batch.length === this.lostCount) {
          this.lost.push(...batch);
          setTimeout(() => storage.onLost?.([...batch], new StorageError(`writing ${batch.length} pieces failed: UnknownError: disk gone`)));
        }
        return 'queued';
      },
    });
    return storage;
  }
}

const engines: Engine[] = [];
afterEach(async () => {
  for (const engine of engines.splice(0)) await engine.shutdown();
});

function newEngine<Store extends PieceStore = MemoryPieceStore>(
  store: Store = new MemoryPieceStore() as PieceStore as Store,
): { engine: Engine; store: Store; warnings: string[]; warningsOf: (hex: string) => string[] } {
  const warnings: string[] = [];
  const byTorrent: [string, string][] = [];
  const engine = new Engine({ store, onWarning: (hex, message) => { warnings.push(message); byTorrent.push([hex, message]); } });
  engines.push(engine);
  return { engine, store, warnings, warningsOf: (hex) => byTorrent.filter(([h]) => h === hex).map(([, m]) => m) };
}

async function until(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('Engine', () => {
  it('keeps a torrent, its bans and its counters when the gateway link drops and comes back', async () => {
    const { engine, warnings } = newEngine();
    const first = new FakeNetwork(TWO_FILES);
    const liar = first.addSeeder({ corruptPieces: [0, 1, 2, 3, 4, 5, 6, 7], corruptions: Infinity });
    await engine.setTransport(first);
    await engine.addTorrentFile(TWO_FILES.torrentBytes, { peers: [liar] });
    const torrent = engine.get(HEX)!;
    await until(() => warnings.some((w) => w.startsWith('dropped peer')), 'the liar is banned');
    const wasted = torrent.wastedBytes;
    const downloaded = torrent.downloadedBytes;
    expect(wasted).toBeGreaterThan(0);

    first.drop();
    engine.linkLost();
    const second = new FakeNetwork(TWO_FILES);
    second.addSeeder(); // the liar's address again, honest this time: still banned
    const honest = second.addSeeder();
    await engine.setTransport(second);
    torrent.addPeers([liar, honest]);
    await until(() => torrent.isComplete, 'the torrent completes on the new link');

    expect(engine.get(HEX)).toBe(torrent); // the same torrent, not a new one
    expect(second.dials).not.toContain(keyOf(liar));
    expect(second.dials).toContain(keyOf(honest));
    expect(second.listens).toHaveLength(1); // it listens for inbound peers on the new link
    expect(torrent.wastedBytes).toBeGreaterThanOrEqual(wasted); // kept (late verifications of the liar may add)
    expect(torrent.downloadedBytes).toBeGreaterThan(downloaded);
    expect(torrent.swarm.isBanned(liar)).toBe(true);
  });

  it('waits for the link with a .torrent added before it is up', async () => {
    const { engine } = newEngine();
    const network = new FakeNetwork(TWO_FILES);
    const seeder = network.addSeeder();
    await engine.addTorrentFile(TWO_FILES.torrentBytes, { peers: [seeder] });
    const torrent = engine.get(HEX)!;
    expect(torrent.state).toBe('downloading');
    await engine.setTransport(network);
    await until(() => torrent.isComplete, 'the torrent completes once the link is up');
    expect(network.dials).toEqual([keyOf(seeder)]);
  });

  it('changes files and priorities on the running torrent: connected peers stay connected', async () => {
    const { engine } = newEngine();
    const network = new FakeNetwork(TWO_FILES);
    await engine.setTransport(network);
    await engine.addTorrentFile(TWO_FILES.torrentBytes, { peers: [network.addSeeder({ neverUnchoke: true })] });
    const torrent = engine.get(HEX)!;
    await until(() => torrent.peers.size === 1, 'the peer is connected');
    const peer = [...torrent.peers.values()][0]!;

    await engine.selectFile(HEX, 1, false);
    expect(torrent.wantedBytes).toBe(4 * PIECE_LENGTH);
    expect(torrent.wanted.get(4)).toBe(false);
    await engine.setFilePriority(HEX, 0, 'high');
    expect(torrent.filePriorities).toEqual(['high', 'skip']);
    await engine.selectFile(HEX, 1, true);
    expect(torrent.filePriorities).toEqual(['high', 'normal']);
    expect(torrent.wantedBytes).toBe(8 * PIECE_LENGTH);

    expect(engine.get(HEX)).toBe(torrent);
    expect([...torrent.peers.values()]).toEqual([peer]);
    expect(peer.closed).toBe(false);
    expect(network.seeders[0]!.closed).toBe(false);
    expect(network.dials).toHaveLength(1);
  });

  it('waits in choosing for the add dialog, across a reload, and starts with the chosen priorities', async () => {
    const { engine, store } = newEngine();
    const network = new FakeNetwork(TWO_FILES);
    const seeder = network.addSeeder();
    await engine.setTransport(network);
    await engine.addTorrentFile(TWO_FILES.torrentBytes, { peers: [seeder], askFirst: true });
    const stateOf = (e: Engine) => listTorrents(e).find((t) => t.infoHashHex === HEX)!.stats().state;
    expect(stateOf(engine)).toBe('choosing');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(network.dials).toHaveLength(0); // nothing is fetched before the choice
    await engine.shutdown();
    engines.splice(engines.indexOf(engine), 1);

    const { engine: reloaded } = newEngine(store);
    await reloaded.setTransport(network);
    await reloaded.restore();
    expect(stateOf(reloaded)).toBe('choosing');
    await reloaded.startTorrent(HEX, ['skip', 'high']);
    const torrent = reloaded.get(HEX)!;
    torrent.addPeers([seeder]);
    await until(() => torrent.isComplete, 'the chosen file completes');
    expect(torrent.filePriorities).toEqual(['skip', 'high']);
    expect(torrent.have.count).toBe(4);
    expect(stateOf(reloaded)).toBe('seeding');
  });

  it('pre-selects the files of a magnet link\'s so= once its metadata is known', async () => {
    const { engine } = newEngine();
    await engine.addTorrentFile(TWO_FILES.torrentBytes, { selectOnly: [1], askFirst: true });
    expect(engine.get(HEX)!.filePriorities).toEqual(['skip', 'normal']);
  });

  it('starts a torrent with what a magnet\'s metadata fetch learned of its peers: the transport that reached each, seeds', async () => {
    const { engine } = newEngine();
    const seed = { host: '198.51.100.9', port: 6881 };
    await engine.addTorrentFile(TWO_FILES.torrentBytes, { paused: true, knownPeers: [{ address: seed, kind: 'utp', seed: true }] });
    const swarm = engine.get(HEX)!.swarm;
    expect(swarm.kindFor(seed)).toBe('utp');
    expect(swarm.isSeed(seed)).toBe(true);
  });

  it('fetches the pieces a reader waits for first, and answers the read with their bytes', async () => {
    const { engine } = newEngine();
    const network = new FakeNetwork(TWO_FILES);
    await engine.addTorrentFile(TWO_FILES.torrentBytes, { peers: [network.addSeeder()] });
    const torrent = engine.get(HEX)!;
    // File b's last piece (7), read before the link is up: it is the first piece requested.
    const reading = torrent.readers.read('player', 1, 3 * PIECE_LENGTH + 100, 4 * PIECE_LENGTH);
    await engine.setTransport(network);
    const bytes = await reading;
    expect(network.seeders[0]!.requestedPieces[0]).toBe(7);
    expect([...bytes]).toEqual([...TWO_FILES.data.subarray(7 * PIECE_LENGTH + 100, 8 * PIECE_LENGTH)]);
    await until(() => torrent.isComplete, 'the rest completes');
  });

  it('keeps lifetime totals and file priorities across a reload', async () => {
    const { engine, store } = newEngine();
    const network = new FakeNetwork(TWO_FILES);
    await engine.setTransport(network);
    await engine.addTorrentFile(TWO_FILES.torrentBytes, { peers: [network.addSeeder({ corruptPieces: [2], corruptions: 1 })] });
    await engine.setFilePriority(HEX, 1, 'low');
    const torrent = engine.get(HEX)!;
    await until(() => torrent.isComplete, 'the torrent completes');
    const totals = torrent.totals;
    expect(totals.wastedBytes).toBe(PIECE_LENGTH);
    expect(totals.downloadedBytes).toBe(9 * PIECE_LENGTH);
    await engine.shutdown();
    engines.splice(engines.indexOf(engine), 1);

    const { engine: reloaded } = newEngine(store);
    await reloaded.restore();
    const again = reloaded.get(HEX)!;
    expect(again.totals).toEqual(totals);
    expect(again.filePriorities).toEqual(['normal', 'low']);
    const stats = listTorrents(reloaded).find((t) => t.infoHashHex === HEX)!.stats();
    expect(stats.downloadedBytes).toBe(totals.downloadedBytes);
    expect(stats.wastedBytes).toBe(totals.wastedBytes);
  });

  it('un-sets exactly the pieces a failed write lost, for their torrent only; they are fetched again and both complete', async () => {
    const store = new FailingBatchStore(HEX, 3);
    const { engine, warningsOf } = newEngine(store);
    const network = new FakeNetwork(TWO_FILES);
    const seederA = network.addSeeder();
    const seederB = network.addSeeder({}, OTHER);
    await engine.setTransport(network);
    await engine.addTorrentFile(TWO_FILES.torrentBytes, { peers: [seederA] });
    await engine.addTorrentFile(OTHER.torrentBytes, { peers: [seederB] });
    const a = engine.get(HEX)!;
    const b = engine.get(OTHER.meta.infoHashHex)!;

    await until(() => store.lost.length === 3 && warningsOf(HEX).length > 0, 'the failed write is reported to A');
    expect(warningsOf(HEX)).toEqual(['storing 3 pieces failed (writing 3 pieces failed: UnknownError: disk gone); fetching them again']);
    await until(() => a.isComplete && b.isComplete, 'both torrents complete', 3000); // seeds dropped as complete are dialled again at once

    // Each lost piece was stored a second time (fetched again); no other piece of A was.
    const putsA = store.puts.get(HEX)!;
    for (const index of store.lost) expect(putsA.filter((i) => i === index), `piece ${index}`).toHaveLength(2);
    expect(putsA).toHaveLength(TWO_FILES.meta.pieceCount + 3);
    expect(network.seeders.filter((s) => s.served > 0).reduce((n, s) => n + s.served, 0)).toBe(TWO_FILES.meta.pieceCount + 3 + OTHER.meta.pieceCount);
    for (let i = 0; i < TWO_FILES.meta.pieceCount; i++) {
      expect(await store.getPiece(HEX, i), `piece ${i} of A`).toEqual(TWO_FILES.data.subarray(i * PIECE_LENGTH, (i + 1) * PIECE_LENGTH));
    }
    expect(a.state).toBe('seeding');
    expect(a.verifiedBytes).toBe(TWO_FILES.meta.totalLength);
    expect(a.leftBytes).toBe(0);

    // B never noticed: every piece stored once, no warning, never an error.
    expect(store.puts.get(OTHER.meta.infoHashHex)!.sort()).toEqual([0, 1, 2, 3, 4, 5]);
    expect(warningsOf(OTHER.meta.infoHashHex)).toEqual([]);
    expect(b.state).toBe('seeding');

    // The saved record claims every piece of A again.
    await engine.shutdown();
    engines.splice(engines.indexOf(engine), 1);
    expect(store.getRecord(HEX)!.bitfield).toEqual(a.have.bytes);
    expect(a.have.isComplete).toBe(true);
  });
});
