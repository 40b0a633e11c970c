// Interop, the DHT over IPv6 (BEP 32): libtorrent nodes and a libtorrent seeder that listen on [::1]
// only (libtorrent 2.0 runs a DHT node per listen socket, so theirs is an IPv6 DHT), our DHT behind a
// real gateway whose UDP relay is dual-stack (peer host `::`, the default). The node we bootstrap
// from gives out no peers, as the public routers do: the seeder is found only by following its
// `nodes6` (asked for with `want: n6`) and reading 18-byte compact peers. Then the engine downloads
// a trackerless magnet link from that seeder over IPv6.
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

const QUERY_TIMEOUT_MS = 1_000;

let gateway: GatewayProcess;
const peers: LibtorrentPeer[] = [];
const harnesses: EngineHarness[] = [];
const nodes: DhtNode[] = [];
/** The router-like node on [::1]: the only address our side is given. */
let router: DhtAddress;

beforeAll(async () => {
  gateway = await startGatewayProcess({ allowPrivate: true });
  const first = await startLibtorrentDhtNode({ ipv6: 'only', dhtMaxPeersReply: 0 });
  peers.push(first);
  router = { host: '::1', port: first.port };
  const viaRouter = [`[::1]:${first.port}`];
  peers.push(...(await Promise.all([1, 2, 3].map(() => startLibtorrentDhtNode({ ipv6: 'only', dhtBootstrap: viaRouter })))));
  // The router has someone to name (it adds the nodes that bootstrapped from it after a ping).
  await waitFor(() => ((first.stats() as unknown as { dht_nodes?: number } | null)?.dht_nodes ?? 0) >= 1, 15_000);
});

afterAll(async () => {
  for (const node of nodes) node.stop();
  await Promise.all(harnesses.map((h) => h.close()));
  await Promise.all(peers.map((p) => p.stop()));
  await gateway?.stop();
});

/** Repeats get_peers lookups until `wanted` is among the peers (announces take a moment to spread). */
async function findPeer(node: DhtNode, infoHash: Uint8Array, wanted: (p: PeerAddress) => boolean, timeoutMs: number): Promise<PeerAddress[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { peers: found } = await node.lookupPeers(infoHash);
    if (found.some(wanted)) return found;
    if (Date.now() > deadline) throw new Error(`not found; got ${JSON.stringify(found)}, IPv6 nodes ${node.nodeCountOf(6)}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('the DHT over IPv6 (BEP 32) with libtorrent on [::1]', () => {
  it('finds a seeder announced over IPv6 from a router on [::1] only, and downloads from it', async () => {
    const dataDir = await makeTempDir('seed-dht6');
    await writeDataFiles(dataDir, [{ path: 'dht6.bin', size: 200 * 1024 + 5 }], 'dht6');
    const torrent = await makeTorrent({ sourcePath: join(dataDir, 'dht6.bin'), outFile: join(await makeTempDir('torrent'), 'dht6.torrent'), pieceLengthExp: 15 });
    const seeder = await startLibtorrentSeeder({
      torrentPath: torrent.torrentPath, dataDir, ipv6: 'only', tcpOnly: true, dhtBootstrap: [`[::1]:${router.port}`],
    });
    peers.push(seeder);

    // Our DHT node (the engine's class) through the gateway: only the router's IPv6 address to start.
    const probe = await startEngine({ gatewayUrl: gateway.url, token: gateway.token });
    harnesses.push(probe);
    const node = new DhtNode({ udp: new UdpService(probe.client), bootstrap: [router], queryTimeoutMs: QUERY_TIMEOUT_MS });
    nodes.push(node);
    await node.start();
    expect(node.nodeCountOf(6)).toBeGreaterThanOrEqual(2); // the router and who it named in nodes6
    expect(node.nodeCountOf(4)).toBe(0);
    const found = await findPeer(node, fromHex(torrent.infoHash), (p) => p.port === seeder.port, 30_000);
    expect(found).toContainEqual({ host: '::1', port: seeder.port });

    // The engine, its DHT given the same single router: a magnet link with no tr= and no x.pe.
    const harness = await startEngine({ gatewayUrl: gateway.url, token: gateway.token, dhtBootstrap: [router] });
    harnesses.push(harness);
    const hex = await harness.engine.addMagnet(magnetFor(torrent));
    await waitFor(() => harness.engine.get(hex)?.isComplete === true, 40_000);
    const hashes = await storedFileHashes(parseTorrent(torrent.bytes), harness.store);
    expect(hashes.get('dht6.bin')).toBe(await sha256File(join(dataDir, 'dht6.bin')));
    expect(harness.engine.dhtNode!.nodeCountOf(6)).toBeGreaterThanOrEqual(2);
  });
});
