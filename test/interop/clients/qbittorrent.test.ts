// Interop with qBittorrent (qbittorrent-nox 4.5.2, a real daemon started here), both directions, over
// TCP and over uTP: the engine in Node downloads from qBittorrent seeding, and qBittorrent downloads
// from the engine seeding through the gateway's inbound port. Both find each other through the test's
// HTTP tracker. One daemon per transport (TCP only / uTP only: each case proves its transport, since
// the other is switched off in qBittorrent), shared by that transport's cases, which run in parallel.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { useInteropBed } from '../../support/interop-bed.ts';
import { startEngine, waitForComplete } from '../../support/engine-harness.ts';
import { engineFileHashes, makeClientFixture, multiFile, singleFile, storeWithAllPieces, type ClientFixture } from '../../support/client-interop.ts';
import { startQbittorrent, type Qbittorrent } from '../../helpers/qbittorrent.ts';
import { sha256File } from '../../helpers/data-files.ts';
import { makeTempDir } from '../../helpers/temp.ts';
import type { ClientPeer, ClientTransport } from '../../helpers/client-options.ts';

// The engine speaks plaintext here: these cases are about the transports; MSE (the engine
// preferring or requiring it, the client requiring it) is encrypted-qbt-transmission.test.ts.
const bed = useInteropBed();
const clients = new Map<ClientTransport, Qbittorrent>();

beforeAll(async () => {
  const [tcp, utp] = await Promise.all([startQbittorrent({ transport: 'tcp' }), startQbittorrent({ transport: 'utp' })]);
  clients.set('tcp', tcp).set('utp', utp);
});
afterAll(async () => {
  await Promise.all([...clients.values()].map((client) => client.stop()));
});

/** Waits for qBittorrent to complete the torrent, noting the transports of its peers meanwhile. */
async function completeWatchingPeers(client: Qbittorrent, hash: string, timeoutMs: number): Promise<Set<ClientPeer['transport']>> {
  const seen = new Set<ClientPeer['transport']>();
  let done = false;
  const watch = (async () => {
    while (!done) {
      for (const peer of await client.peers(hash).catch(() => [])) seen.add(peer.transport);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  })();
  try {
    await client.waitForComplete(hash, timeoutMs);
  } finally {
    done = true;
    await watch;
  }
  return seen;
}

async function expectClientHasFiles(saveDir: string, fixture: ClientFixture): Promise<void> {
  const got = new Map<string, string>();
  for (const path of fixture.originals.keys()) got.set(path, await sha256File(join(saveDir, path)));
  expect(got).toEqual(fixture.originals);
}

describe.concurrent.each(['tcp', 'utp'] as const)('qBittorrent over %s', (transport) => {
  it('the engine downloads from qBittorrent seeding, byte-exact', async () => {
    const client = clients.get(transport)!;
    const name = `qbt-${transport}-down`;
    const fixture = await makeClientFixture(name, transport === 'tcp' ? multiFile(name) : singleFile(name, 3 * 1024 * 1024 + 1234), [bed.tracker.httpAnnounceUrl]);
    const hash = await client.addTorrent({ torrentPath: fixture.torrent.torrentPath, savePath: fixture.dataDir, seed: true });
    await client.waitForComplete(hash, 15_000);
    const harness = await startEngine({ gatewayUrl: bed.gateway.url, token: bed.gateway.token, encryption: 'plaintext' });
    try {
      const hex = await harness.engine.addTorrentFile(fixture.torrent.bytes);
      await waitForComplete(harness.engine, hex, 45_000);
      expect(await engineFileHashes(harness, fixture)).toEqual(fixture.originals);
    } finally {
      await harness.close();
    }
  });

  it('qBittorrent downloads from the engine seeding, through the gateway\'s inbound port', async () => {
    const client = clients.get(transport)!;
    const name = `qbt-${transport}-up`;
    const fixture = await makeClientFixture(name, transport === 'utp' ? multiFile(name) : singleFile(name, 2 * 1024 * 1024 + 4321), [bed.tracker.httpAnnounceUrl]);
    const harness = await startEngine({ gatewayUrl: bed.gateway.url, token: bed.gateway.token, encryption: 'plaintext', store: await storeWithAllPieces(fixture) });
    try {
      const hex = await harness.engine.addTorrentFile(fixture.torrent.bytes);
      expect(harness.engine.get(hex)!.isComplete).toBe(true); // only we have the data
      const saveDir = await makeTempDir(`qbt-${transport}-leech`);
      const hash = await client.addTorrent({ torrentPath: fixture.torrent.torrentPath, savePath: saveDir });
      const transports = await completeWatchingPeers(client, hash, 45_000);
      await expectClientHasFiles(saveDir, fixture);
      expect(harness.engine.get(hex)!.uploadedBytes).toBeGreaterThanOrEqual(fixture.torrent.totalLength);
      console.log(`qBittorrent (${transport} only) leeching from us saw peers over: ${[...transports].join(", ") || "none sampled"}`);
      expect([...transports].filter((seen) => seen !== transport)).toEqual([]);
    } finally {
      await harness.close();
    }
  });
});
