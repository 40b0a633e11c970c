// The Engine keeps its torrents for as long as the user does: a gateway link that drops and comes
// back, file choices and priorities, and a reload change nothing a torrent has learned (bans,
// counters, pieces, connected peers). Scripted seeders on a fake network (engine/scripted-swarm.ts).
import { afterEach, describe, expect, it } from 'vitest';
import { Engine } from '../../../web/worker/engine.ts';
import { MemoryPieceStore } from '../../../web/worker/memory-piece-store.ts';
import { keyOf } from '../../../web/worker/torrent/swarm.ts';
import { FakeNetwork, makeScriptedTorrent } from './engine/scripted-swarm.ts';

const PIECE_LENGTH = 16 * 1024;
// Two files of 4 pieces each, so choosing one leaves the other wanted.
const TWO_FILES = makeScriptedTorrent('two', PIECE_LENGTH, [
  { path: 'a.bin', length: 4 * PIECE_LENGTH },
  { path: 'b.bin', length: 4 * PIECE_LENGTH },
]);
const HEX = TWO_FILES.meta.infoHashHex;

const engines: Engine[] = [];
afterEach(async () => {
  for (const engine of engines.splice(0)) await engine.shutdown();
});

function newEngine(store = new MemoryPieceStore()): { engine: Engine; store: MemoryPieceStore; warnings: string[] } {
  const warnings: string[] = [];
  const engine = new Engine({ store, onWarning: (_hex, message) => warnings.push(message) });
  engines.push(engine);
  return { engine, store, warnings };
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
    const snapshot = reloaded.snapshots().find((s) => s.infoHashHex === HEX)!;
    expect(snapshot.downloadedBytes).toBe(totals.downloadedBytes);
    expect(snapshot.wastedBytes).toBe(totals.wastedBytes);
  });
});
