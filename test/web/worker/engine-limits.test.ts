// The Engine's limits and seeding goals: a torrent that reaches its ratio goal stops with the
// reason in its state, kept across a reload; resumed by hand it seeds on until the goals change;
// its own limits are kept in its record. Scripted seeders on a fake network (engine/scripted-swarm.ts).
import { afterEach, describe, expect, it } from 'vitest';
import { Engine } from '../../../web/worker/engine.ts';
import { MemoryPieceStore } from '../../../web/worker/memory-piece-store.ts';
import { listTorrents } from '../../../web/worker/state/state-views.ts';
import { FakeNetwork, makeScriptedTorrent } from './engine/scripted-swarm.ts';

const PIECE_LENGTH = 16 * 1024;
const TORRENT = makeScriptedTorrent('goal.bin', PIECE_LENGTH, [{ path: 'goal.bin', length: 4 * PIECE_LENGTH }]);
const HEX = TORRENT.meta.infoHashHex;
const SIZE = TORRENT.meta.totalLength;

const engines: Engine[] = [];
afterEach(async () => {
  for (const engine of engines.splice(0)) await engine.shutdown();
});

function newEngine(store: MemoryPieceStore): Engine {
  // Scripted seeders speak plain BEP 3 only.
  const engine = new Engine({ store, encryption: 'plaintext' });
  engines.push(engine);
  return engine;
}

async function closeEngine(engine: Engine): Promise<void> {
  await engine.shutdown();
  engines.splice(engines.indexOf(engine), 1);
}

async function until(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const statsOf = (engine: Engine) => listTorrents(engine).find((t) => t.infoHashHex === HEX)!.stats();

/** A store holding the whole torrent, with a record saying it uploaded `ratio` × its size. */
async function seededStore(ratio: number): Promise<MemoryPieceStore> {
  const store = new MemoryPieceStore();
  const engine = newEngine(store);
  const network = new FakeNetwork(TORRENT);
  await engine.setTransport(network);
  await engine.addTorrentFile(TORRENT.torrentBytes, { peers: [network.addSeeder()] });
  await until(() => engine.get(HEX)!.isComplete, 'the download completes');
  await closeEngine(engine);
  const storage = await store.openTorrent(HEX, TORRENT.meta.pieceCount);
  const record = (await storage.readRecord())!;
  await storage.writeRecord({ ...record, uploadedBytes: ratio * SIZE });
  storage.close();
  return store;
}

describe('Engine limits and seeding goals', () => {
  it('stops a torrent at its ratio goal, says why, keeps that across a reload; a resume seeds on until the goal changes', async () => {
    const store = await seededStore(2);
    const engine = newEngine(store);
    engine.setLimits({ stopRatio: 1.5 });
    await engine.restore();
    await until(() => statsOf(engine).state === 'stopped', 'the ratio goal stops it');
    expect(statsOf(engine).stopReason).toBe('Seeding goal reached: ratio 2.00');
    await closeEngine(engine);

    const reloaded = newEngine(store);
    reloaded.setLimits({ stopRatio: 1.5 });
    await reloaded.restore();
    expect(statsOf(reloaded).state).toBe('stopped');
    expect(statsOf(reloaded).stopReason).toBe('Seeding goal reached: ratio 2.00');

    await reloaded.resume(HEX);
    expect(statsOf(reloaded).state).toBe('seeding');
    expect(statsOf(reloaded).stopReason).toBeUndefined();
    await new Promise((resolve) => setTimeout(resolve, 2500)); // two ticks and more: it is not stopped again
    expect(statsOf(reloaded).state).toBe('seeding');

    await reloaded.setTorrentLimits(HEX, { stopRatio: 1.9 }); // the goals changed: the waiver goes
    await until(() => statsOf(reloaded).state === 'stopped', 'the new goal stops it');
    expect(statsOf(reloaded).stopReason).toBe('Seeding goal reached: ratio 2.00');
  });

  it('keeps a torrent\'s own limits and slots in its record; invalid ones are refused and change nothing', async () => {
    const store = await seededStore(0);
    const engine = newEngine(store);
    await engine.restore();
    await engine.setTorrentLimits(HEX, { uploadKiBps: 50, uploadSlots: 2, stopMinutes: 30 });
    await expect(engine.setTorrentLimits(HEX, { downloadKiBps: -1 })).rejects.toThrow(/0 or more/);
    expect(() => engine.setLimits({ uploadKiBps: Number.NaN })).toThrow(/number/);
    await closeEngine(engine);

    const reloaded = newEngine(store);
    await reloaded.restore();
    const torrent = reloaded.get(HEX)!;
    expect(torrent.throttle.overrides).toEqual({ uploadKiBps: 50, uploadSlots: 2, stopMinutes: 30 });
    expect(listTorrents(reloaded)[0]!.details().limits).toEqual({ uploadKiBps: 50, uploadSlots: 2, stopMinutes: 30 });
    expect(torrent.throttle.effective).toEqual({ downloadKiBps: 0, uploadKiBps: 50, uploadSlots: 2, stopRatio: 0, stopMinutes: 30 });
  });
});
