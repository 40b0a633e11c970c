// The Torrent coordinator without a network: a fake Transport whose connect() returns in-memory
// streams to scripted seeders (scripted-swarm.ts), a real 8-piece torrent and a MemoryPieceStore.
import { afterEach, describe, expect, it } from 'vitest';
import { Bitfield } from '../../../../shared/bitfield.ts';
import { equalBytes } from '../../../../shared/bytes.ts';
import type { Metainfo } from '../../../../shared/metainfo/index.ts';
import { MemoryPieceStore } from '../../../../web/worker/memory-piece-store.ts';
import { Torrent } from '../../../../web/worker/torrent/torrent.ts';
import { keyOf } from '../../../../web/worker/torrent/swarm.ts';
import { FakeNetwork, makeScriptedTorrent } from './scripted-swarm.ts';

const PIECE_LENGTH = 16 * 1024;
const PIECE_COUNT = 8;
const OUR_PEER_ID = new Uint8Array(20).fill(0x41);
const EIGHT = makeScriptedTorrent('eight.bin', PIECE_LENGTH, [{ path: 'eight.bin', length: PIECE_LENGTH * PIECE_COUNT }]);
const DATA = EIGHT.data;

const running: Torrent[] = [];

afterEach(async () => {
  for (const torrent of running.splice(0)) await torrent.stop();
});

async function setup(have?: Uint8Array) {
  const meta = EIGHT.meta;
  const network = new FakeNetwork(EIGHT);
  const store = new MemoryPieceStore();
  const storage = await store.openTorrent(meta.infoHashHex, meta.pieceCount);
  const warnings: string[] = [];
  const torrent = new Torrent(meta, {
    transport: () => network, storage, peerId: OUR_PEER_ID, listenPort: () => 0,
    udp: () => { throw new Error('no UDP trackers in this torrent'); },
    onWarning: (_t, message) => warnings.push(message),
  }, have);
  running.push(torrent);
  return { meta, network, store, warnings, torrent };
}

async function until(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

async function expectStoredData(store: MemoryPieceStore, meta: Metainfo): Promise<void> {
  for (let i = 0; i < PIECE_COUNT; i++) {
    const piece = await store.getPiece(meta.infoHashHex, i);
    expect(piece, `piece ${i}`).toBeDefined();
    expect(equalBytes(piece!, DATA.subarray(i * PIECE_LENGTH, (i + 1) * PIECE_LENGTH)), `piece ${i} bytes`).toBe(true);
  }
}

describe('Torrent download from scripted seeders', () => {
  it('downloads every piece from a seeder, stores the right bytes and turns to seeding', async () => {
    const { meta, network, store, torrent, warnings } = await setup();
    expect(meta.pieceCount).toBe(PIECE_COUNT);
    torrent.addPeers([network.addSeeder()]);
    await torrent.start();
    await until(() => torrent.isComplete, 'the torrent is complete');
    await expectStoredData(store, meta);
    expect((await store.storedPieces(meta.infoHashHex)).sort()).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(torrent.state).toBe('seeding');
    expect(torrent.have.isComplete).toBe(true);
    expect(torrent.leftBytes).toBe(0);
    expect(torrent.verifiedBytes).toBe(DATA.length);
    expect(warnings).toEqual([]);
    // Under the 'prefer' default the first connections tried MSE and this plaintext-only seeder
    // closed them; the one plaintext connection that followed did the work.
    const plain = network.seeders.filter((s) => s.received[0] === 'handshake');
    expect(plain).toHaveLength(1);
    expect(network.seeders.length).toBeGreaterThan(1);
    const seeder = plain[0]!;
    expect(seeder.served).toBe(PIECE_COUNT); // no block fetched twice
    expect(seeder.received.slice(0, 2)).toEqual(['handshake', 'interested']); // no extension bit: no BEP 10 handshake
    // Both sides are seeds now: the connection is dropped.
    await until(() => seeder.closed, 'the seeder is disconnected');
    expect(torrent.peers.size).toBe(0);
  });

  it('works with a fast-extension seeder (HAVE_ALL)', async () => {
    const { meta, network, store, torrent } = await setup();
    torrent.addPeers([network.addSeeder({ fast: true })]);
    await torrent.start();
    await until(() => torrent.isComplete, 'the torrent is complete');
    await expectStoredData(store, meta);
  });

  it('warns when a piece fails verification, fetches it again and completes', async () => {
    const { meta, network, store, torrent, warnings } = await setup();
    torrent.addPeers([network.addSeeder({ corruptPieces: [3], corruptions: 1 })]);
    await torrent.start();
    await until(() => torrent.isComplete, 'the torrent is complete');
    await expectStoredData(store, meta);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^piece 3 failed verification/);
    expect(torrent.wastedBytes).toBe(PIECE_LENGTH);
    expect(network.seeders[0]!.served).toBe(PIECE_COUNT + 1);
    expect(network.seeders).toHaveLength(1); // one strike is not a ban: the peer stayed
  });

  it('bans a seeder that corrupts pieces repeatedly and completes from an honest one', async () => {
    const { meta, network, store, torrent, warnings } = await setup();
    const liar = network.addSeeder({ corruptPieces: [0, 1, 2, 3, 4, 5, 6, 7], corruptions: Infinity });
    torrent.addPeers([liar]);
    await torrent.start();
    await until(() => warnings.some((w) => w.startsWith('dropped peer')), 'the liar is dropped');
    expect(warnings.find((w) => w.startsWith('dropped peer'))).toBe(`dropped peer ${keyOf(liar)}: it sent corrupt data repeatedly`);
    expect(torrent.swarm.isBanned(liar)).toBe(true);
    expect(torrent.have.count).toBe(0);

    torrent.addPeers([liar, network.addSeeder()]);
    await until(() => torrent.isComplete, 'the torrent is complete');
    await expectStoredData(store, meta);
    expect(network.dials.filter((d) => d === keyOf(liar))).toHaveLength(1); // never dialled again
  });

  it('retries an address that refused the connection, with back-off, and stays downloading', async () => {
    const { network, torrent } = await setup();
    const nobody = { host: '192.0.2.99', port: 6881 };
    torrent.addPeers([nobody]);
    await torrent.start();
    await until(() => network.dials.length === 2, 'the address is dialled over TCP, then uTP');
    await new Promise((resolve) => setTimeout(resolve, 1_200)); // a tick passes: backed off for 20 s
    expect(network.dials).toEqual([keyOf(nobody), keyOf(nobody)]);
    expect(torrent.state).toBe('downloading');
  });

  it('stop() closes its peers and dials nobody afterwards', async () => {
    const { network, torrent } = await setup();
    torrent.addPeers([network.addSeeder({ neverUnchoke: true })]);
    await torrent.start();
    await until(() => torrent.peers.size === 1, 'the peer is connected');
    const seeder = network.seeders[0]!;
    expect(seeder.received).toContain('interested');
    await torrent.stop();
    expect(torrent.state).toBe('stopped');
    expect(torrent.peers.size).toBe(0);
    await until(() => seeder.closed, 'the seeder sees the close');
    expect(seeder.closeReason).toBe('torrent stopped');
    torrent.addPeers([network.addSeeder()]);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(network.dials).toHaveLength(1);
  });

  it('starts as a seed when every piece is already verified; a seed it dials is closed and not dialled again', async () => {
    const { network, torrent } = await setup(Bitfield.full(PIECE_COUNT).bytes);
    expect(torrent.isComplete).toBe(true);
    const other = network.addSeeder();
    torrent.addPeers([other]);
    await torrent.start();
    expect(torrent.state).toBe('seeding');
    await until(() => network.seeders[0]?.closed === true, 'the other seed is closed');
    expect(network.seeders[0]!.closeReason).toBe('both seeding');
    await new Promise((resolve) => setTimeout(resolve, 1_200)); // a tick: known seeds are skipped
    expect(network.dials).toEqual([keyOf(other)]);
  });
});
