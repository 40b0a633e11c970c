// Interop, mainline DHT (BEP 5): our DhtNode, in Node behind a real gateway's UDP relay, joins a
// small DHT of libtorrent nodes on 127.0.0.1 (never the public routers), finds a libtorrent
// seeder's address by get_peers, and announces itself; a second DhtNode behind its own gateway
// session then finds our announced port through the libtorrent nodes. The engine's DHT: a
// libtorrent peer's PORT message (BEP 5) puts its node in our table; the state saved on shutdown
// lets a restarted engine find peers with its bootstrap node gone.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { startGatewayProcess, type GatewayProcess } from '../helpers/gateway-process.ts';
import { makeTempDir } from '../helpers/temp.ts';
import { sha256File, writeDataFiles } from '../helpers/data-files.ts';
import { makeTorrent } from '../helpers/make-torrent.ts';
import { magnetFor } from '../helpers/torrent-file.ts';
import { startLibtorrentDhtNode, startLibtorrentSeeder, type LibtorrentPeer } from '../helpers/libtorrent.ts';
import { parseTorrent, startEngine, storedFileHashes, type EngineHarness } from '../support/engine-harness.ts';
import { fromHex } from '../../shared/hex.ts';
import type { PeerAddress } from '../../shared/tracker/peers.ts';
import { UdpService } from '../../web/worker/udp/udp-service.ts';
import { DhtNode, type DhtAddress } from '../../web/worker/dht/dht-node.ts';
import { Engine } from '../../web/worker/engine.ts';
import { MemoryPieceStore } from '../../web/worker/memory-piece-store.ts';
import { MemoryDhtStateStore } from '../../web/worker/dht/dht-state.ts';
import { connectBridge } from '../support/node-bridge.ts';

const QUERY_TIMEOUT_MS = 1_000;

let gateway: GatewayProcess;
const peers: LibtorrentPeer[] = [];
const harnesses: EngineHarness[] = [];
const nodes: DhtNode[] = [];
let bootstrap: DhtAddress[];

beforeAll(async () => {
  gateway = await startGatewayProcess({ allowPrivate: true });
  const first = await startLibtorrentDhtNode();
  peers.push(first);
  const firstAddress = `127.0.0.1:${first.port}`;
  peers.push(...(await Promise.all([startLibtorrentDhtNode({ dhtBootstrap: [firstAddress] }), startLibtorrentDhtNode({ dhtBootstrap: [firstAddress] })])));
  bootstrap = peers.map((p) => ({ host: '127.0.0.1', port: p.port }));
});

afterAll(async () => {
  for (const node of nodes) node.stop();
  await Promise.all(harnesses.map((h) => h.close()));
  await Promise.all(peers.map((p) => p.stop()));
  await gateway?.stop();
});

async function startDhtNode(): Promise<DhtNode> {
  const harness = await startEngine({ gatewayUrl: gateway.url, token: gateway.token });
  harnesses.push(harness);
  const udp = new UdpService(harness.client);
  const node = new DhtNode({ udp, bootstrap, queryTimeoutMs: QUERY_TIMEOUT_MS });
  nodes.push(node);
  return node;
}

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Repeats get_peers lookups until `wanted` is among the peers (DHT announces take a moment). */
async function findPeer(node: DhtNode, infoHash: Uint8Array, wanted: (p: PeerAddress) => boolean, timeoutMs: number): Promise<PeerAddress[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { peers: found } = await node.lookupPeers(infoHash);
    if (found.some(wanted)) return found;
    if (Date.now() > deadline) throw new Error(`not found; got ${JSON.stringify(found)}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

describe('mainline DHT with libtorrent nodes', () => {
  it('joins, finds a libtorrent seeder by get_peers, and announces a port others can find', async () => {
    const dataDir = await makeTempDir('seed-dht');
    await writeDataFiles(dataDir, [{ path: 'dht.bin', size: 64 * 1024 + 3 }], 'dht');
    const torrent = await makeTorrent({ sourcePath: join(dataDir, 'dht.bin'), outFile: join(await makeTempDir('torrent'), 'dht.torrent'), pieceLengthExp: 15 });
    const seeder = await startLibtorrentSeeder({ torrentPath: torrent.torrentPath, dataDir, dhtBootstrap: bootstrap.map((b) => `${b.host}:${b.port}`) });
    peers.push(seeder);
    const infoHash = fromHex(torrent.infoHash);

    const ours = await startDhtNode();
    expect(await ours.start()).toBeGreaterThanOrEqual(3);

    const found = await findPeer(ours, infoHash, (p) => p.port === seeder.port, 25_000);
    expect(found).toContainEqual({ host: '127.0.0.1', port: seeder.port });

    const announced = await ours.announce(infoHash, gateway.peerPort);
    expect(announced.acceptedBy).toBeGreaterThanOrEqual(3); // the libtorrent nodes, tokens checked
    expect(ours.routingTableSnapshot()).toHaveLength(ours.nodeCount);

    // A libtorrent node that knows only us joins through our find_node answers.
    const joiner = await startLibtorrentDhtNode({ dhtBootstrap: [`127.0.0.1:${ours.port}`] });
    peers.push(joiner);
    await waitFor(() => ((joiner.stats() as unknown as { dht_nodes?: number } | null)?.dht_nodes ?? 0) >= 3, 10_000);

    // Our node leaves: whoever finds our port now found it in a libtorrent node's peer store.
    ours.stop();
    const other = await startDhtNode();
    await other.start();
    const seenByOther = await findPeer(other, infoHash, (p) => p.port === gateway.peerPort, 10_000);
    expect(seenByOther).toContainEqual({ host: '127.0.0.1', port: gateway.peerPort });
    expect(seenByOther).toContainEqual({ host: '127.0.0.1', port: seeder.port });
  });

  it('downloads a trackerless magnet link: peers from the DHT, metadata from them (BEP 5 + BEP 9)', async () => {
    const dataDir = await makeTempDir('seed-dht-magnet');
    await writeDataFiles(dataDir, [{ path: 'trackerless.bin', size: 300 * 1024 + 7 }], 'trackerless');
    const torrent = await makeTorrent({ sourcePath: join(dataDir, 'trackerless.bin'), outFile: join(await makeTempDir('torrent'), 'trackerless.torrent'), pieceLengthExp: 15 });
    const seeder = await startLibtorrentSeeder({ torrentPath: torrent.torrentPath, dataDir, tcpOnly: true, dhtBootstrap: bootstrap.map((b) => `${b.host}:${b.port}`) });
    peers.push(seeder);
    const harness = await startEngine({ gatewayUrl: gateway.url, token: gateway.token, dhtBootstrap: bootstrap });
    harnesses.push(harness);
    const hex = await harness.engine.addMagnet(magnetFor(torrent)); // no tr=, no x.pe: only the DHT knows
    await waitFor(() => harness.engine.get(hex)?.isComplete === true, 40_000);
    const hashes = await storedFileHashes(parseTorrent(torrent.bytes), harness.store);
    expect(hashes.get('trackerless.bin')).toBe(await sha256File(join(dataDir, 'trackerless.bin')));
  });
});

/** An engine on the gateway with its DHT on, bootstrapping from `dhtBootstrap`, its state in `dhtState`. */
async function startDhtEngine(dhtBootstrap: DhtAddress[], dhtState = new MemoryDhtStateStore()): Promise<{ engine: Engine; close(): Promise<void> }> {
  const engine = new Engine({ store: new MemoryPieceStore(), dhtBootstrap, dhtState });
  const client = await connectBridge({ gatewayUrl: gateway.url, token: gateway.token });
  await engine.setTransport(client);
  const running = { engine, async close() { await engine.shutdown(); client.close(); } };
  harnesses.push(running as unknown as EngineHarness);
  return running;
}

async function seededTorrent(name: string, dhtBootstrap: readonly string[]) {
  const dataDir = await makeTempDir(`seed-${name}`);
  await writeDataFiles(dataDir, [{ path: `${name}.bin`, size: 200 * 1024 + 1 }], name);
  const torrent = await makeTorrent({ sourcePath: join(dataDir, `${name}.bin`), outFile: join(await makeTempDir('torrent'), `${name}.torrent`), pieceLengthExp: 15 });
  const seeder = await startLibtorrentSeeder({ torrentPath: torrent.torrentPath, dataDir, tcpOnly: true, dhtBootstrap });
  peers.push(seeder);
  return { torrent, seeder };
}

describe('the engine\'s DHT with libtorrent peers', () => {
  it('puts a libtorrent peer\'s DHT node in our table after its PORT message (BEP 5)', async () => {
    const { torrent, seeder } = await seededTorrent('dht-port', []); // its DHT knows nobody
    const { engine } = await startDhtEngine([bootstrap[0]!]);
    await waitFor(() => (engine.dhtNode?.port ?? 0) > 0, 10_000);
    await engine.addTorrentFile(torrent.bytes, { peers: [{ host: '127.0.0.1', port: seeder.port }] });
    // libtorrent's DHT listens on its peer port: that node is what PORT names.
    await waitFor(() => engine.dhtNode?.routingTableSnapshot().some((n) => n.host === '127.0.0.1' && n.port === seeder.port) === true, 20_000);
  });

  it('restarts from the DHT state saved on shutdown when the bootstrap node is gone', async () => {
    const lone = await startLibtorrentDhtNode({ dhtBootstrap: bootstrap.map((b) => `${b.host}:${b.port}`) });
    peers.push(lone);
    const { torrent, seeder } = await seededTorrent('dht-restart', bootstrap.map((b) => `${b.host}:${b.port}`));
    const state = new MemoryDhtStateStore();
    const first = await startDhtEngine([{ host: '127.0.0.1', port: lone.port }], state);
    await waitFor(() => (first.engine.dhtNode?.nodeCount ?? 0) >= 3, 15_000);
    await first.close();
    expect(state.saved!.nodes.length).toBeGreaterThanOrEqual(3);

    await lone.stop(); // the only bootstrap node: without the saved nodes there is no way in
    const second = await startDhtEngine([{ host: '127.0.0.1', port: lone.port }], state);
    const hex = await second.engine.addMagnet(magnetFor(torrent));
    await waitFor(() => second.engine.get(hex)?.isComplete === true, 40_000);
    expect(second.engine.dhtNode!.nodeId).toEqual(state.saved!.nodeId);
    expect(seeder.port).toBeGreaterThan(0);
  });
});
