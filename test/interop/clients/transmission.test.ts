// Interop with Transmission (transmission-daemon 3.00, a real daemon started here) over TCP and over
// uTP. Download: the engine in Node finds Transmission seeding through the test's HTTP tracker and
// downloads from it through the gateway. Upload: Transmission downloads from the engine seeding,
// through the gateway's inbound port. Transmission never dials a 127.0.0.0/8 peer, so the upload cases
// run inside a network namespace of their own (transmission-upload-in-netns.ts under
// scripts/in-netns.sh), where the gateway, tracker and engine are reached at 198.51.100.1.
// One daemon per transport (the uTP one cannot be reached over TCP at all, see transmission.ts).
// Transmission unchokes a new peer only at its next rechoke (every 10 s; the test has it run early)
// and then serves ~0.4 MB/s on loopback (a libtorrent leecher sees the same), so the torrents are
// ~1 MiB and the cases overlap.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useInteropBed } from '../../support/interop-bed.ts';
import { startEngine, waitForComplete } from '../../support/engine-harness.ts';
import { engineFileHashes, makeClientFixture, multiFile, singleFile } from '../../support/client-interop.ts';
import { startTransmission, type Transmission } from '../../helpers/transmission.ts';
import { pollUntil, type ClientTransport } from '../../helpers/client-options.ts';

// The engine speaks plaintext here: these cases are about the transports; MSE (the engine
// preferring or requiring it, the client requiring it) is encrypted-qbt-transmission.test.ts.
const bed = useInteropBed();
const clients = new Map<ClientTransport, Transmission>();

beforeAll(async () => {
  const [tcp, utp] = await Promise.all([startTransmission({ transport: 'tcp' }), startTransmission({ transport: 'utp' })]);
  clients.set('tcp', tcp).set('utp', utp);
});
afterAll(async () => {
  await Promise.all([...clients.values()].map((client) => client.stop()));
});

describe.concurrent.each(['tcp', 'utp'] as const)('Transmission over %s', (transport) => {
  it('the engine downloads from Transmission seeding, byte-exact', async () => {
    const client = clients.get(transport)!;
    const name = `tr-${transport}-down`;
    const fixture = await makeClientFixture(name, transport === 'tcp' ? multiFile(name, true) : singleFile(name, 1024 * 1024 + 1234), [bed.tracker.httpAnnounceUrl]);
    const hash = await client.addTorrent({ torrentPath: fixture.torrent.torrentPath, downloadDir: fixture.dataDir });
    await client.waitForComplete(hash, 15_000); // its own check of the data it found
    // The engine's first announce must list Transmission, or the next is 30 s away.
    await pollUntil(async () => (bed.tracker.peersOf(hash).some((peer) => peer.port === client.peerPort) ? true : undefined),
      10_000, async () => 'Transmission has not announced', 100);
    const harness = await startEngine({ gatewayUrl: bed.gateway.url, token: bed.gateway.token, encryption: 'plaintext' });
    try {
      const hex = await harness.engine.addTorrentFile(fixture.torrent.bytes);
      const started = Date.now();
      // Transmission unchokes only at its rechoke (every 10 s): have it run once the engine is its peer.
      await client.unchokeSoon(hash, 20_000);
      await waitForComplete(harness.engine, hex, 50_000);
      console.log(`engine ← Transmission (${transport}): ${fixture.torrent.totalLength} bytes in ${Date.now() - started} ms`);
      expect(await engineFileHashes(harness, fixture)).toEqual(fixture.originals);
      expect((await client.status(hash))!.uploadedBytes).toBeGreaterThanOrEqual(fixture.torrent.totalLength);
    } finally {
      await harness.close();
    }
  });
});
