// Transmission downloads from the engine: it dials the gateway's peer port and the gateway routes the
// connection to the engine by info-hash (plain, or through its inbound MSE route). Transmission 3.00
// never dials a 127.0.0.0/8 peer, and keeps one peer per IP address (two tracker entries of one IP
// are one to it, so it would dial itself), so this runs in scripts/in-netns.sh's namespace:
// Transmission on v0's 198.51.100.1 (its announces are sent from there too), the gateway's peer port
// and the tracker on 203.0.113.9, an interface this file adds (the gateway's announce comes from
// there). scripts/test.sh runs it (stage 5); it skips anywhere else:
//   bash scripts/in-netns.sh node_modules/.bin/vitest run test/interop/in-netns/transmission-upload.test.ts
// The tracker asks for announces a minute apart, so the engine (announcing first, before Transmission
// is known) never learns Transmission's address in time to dial it: the connection is Transmission's.
import Server from 'bittorrent-tracker/server';
import { execFileSync } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pollUntil, type ClientEncryption, type ClientTransport } from '../../helpers/client-options.ts';
import { sha256File } from '../../helpers/data-files.ts';
import { startGatewayProcess, type GatewayProcess } from '../../helpers/gateway-process.ts';
import { makeTempDir } from '../../helpers/temp.ts';
import { startTransmission, type Transmission } from '../../helpers/transmission.ts';
import { makeClientFixture, singleFile, storeWithAllPieces } from '../../support/client-interop.ts';
import { startEngine } from '../../support/engine-harness.ts';
import type { EncryptionMode } from '../../../web/worker/peer/encryption-mode.ts';
import { NAMESPACE_IP, requireTestNamespace } from './namespace.ts';

const inNamespace = requireTestNamespace('transmission-upload');

interface SeenPeer {
  isUTP: boolean;
  isEncrypted: boolean;
  isIncoming: boolean;
}

/** The gateway's side: an address of an interface this file adds (not the recipe test's 203.0.113.7). */
const GATEWAY_IP = '203.0.113.9';
const LINK = 'trup0';

/** An HTTP tracker on GATEWAY_IP: it records each peer at the address its announce came from. */
async function startNamespaceTracker(): Promise<{ announceUrl: string; knows: (infoHash: string, port: number) => boolean; close: () => void }> {
  const server = new Server({ http: true, udp: false, ws: false, stats: false, interval: 60_000 });
  server.on('warning', () => {});
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, { http: GATEWAY_IP }, () => resolve());
  });
  const port = (server.http!.address() as AddressInfo).port;
  return {
    announceUrl: `http://${GATEWAY_IP}:${port}/announce`,
    knows: (infoHash, peerPort) => {
      const swarm = server.torrents[infoHash];
      return !!swarm && swarm.peers.keys.some((key: string) => swarm.peers.peek(key)?.port === peerPort);
    },
    close: () => server.close(),
  };
}

describe.skipIf(!inNamespace)('Transmission downloads from the engine (it dials the gateway)', () => {
  let gateway: GatewayProcess;
  let tracker: Awaited<ReturnType<typeof startNamespaceTracker>>;

  beforeAll(async () => {
    execFileSync('ip', ['link', 'add', LINK, 'type', 'veth', 'peer', 'name', `${LINK}p`]);
    execFileSync('ip', ['addr', 'add', `${GATEWAY_IP}/32`, 'dev', LINK]);
    execFileSync('ip', ['link', 'set', LINK, 'up']);
    execFileSync('ip', ['link', 'set', `${LINK}p`, 'up']);
    gateway = await startGatewayProcess({ allowPrivate: true, extraArgs: ['--peer-host', GATEWAY_IP] });
    tracker = await startNamespaceTracker();
  });
  afterAll(async () => {
    await gateway?.stop();
    tracker?.close();
    try {
      execFileSync('ip', ['link', 'del', LINK]);
    } catch { /* already gone with the namespace */ }
  });

  type Case = { title: string; transport: ClientTransport; transmissionEncryption: ClientEncryption; engineEncryption: EncryptionMode };
  const cases: Case[] = [
    { title: 'over TCP', transport: 'tcp', transmissionEncryption: 'prefer', engineEncryption: 'prefer' },
    { title: 'over TCP, both requiring encryption (inbound MSE at the gateway)', transport: 'tcp', transmissionEncryption: 'require', engineEncryption: 'require' },
    // Over uTP Transmission 3.00 reads only its handshake from the packet that ends it and leaves
    // the rest (our extension handshake and HAVE_ALL) unread until more bytes arrive (its debug log:
    // "payload: need 48, got 280", no "got ltep handshake"): the engine's keep-alive a second after
    // its opening messages (peer-connection.ts) is what lets it see we have pieces.
    { title: 'over uTP', transport: 'utp', transmissionEncryption: 'prefer', engineEncryption: 'prefer' },
  ];
  it.each(cases)('$title', (c) => transmissionDownloads(c));

  // Transmission 3.00's fault, so skipped. Under 'prefer' (crypto_provide RC4 only) it dials with
  // MSE; the gateway answers Ya with Yb (it learns the torrent, and so the tab and its setting, only
  // from the SKEY hash that follows), Transmission sends req1/req2 and its encrypted VC and IA and
  // switches the connection to RC4, and the tab refuses it. Its plaintext retry (handshake.c
  // gotError: tr_peerIoReconnect from "awaiting vc") keeps the old RC4 state and read buffer: the 68
  // bytes it sends are its BEP 3 handshake encrypted with the refused attempt's keyA stream (seen:
  // they decrypt, under S and the info-hash, to "\x13BitTorrent protocol…" right after its IA), so
  // the gateway takes them for a new MSE Ya and drops the connection at its 10 s handshake deadline;
  // meanwhile Transmission waits on the 7 PadB bytes left from the first attempt ("payload: need 48,
  // got 7"). Any receiver that answers Yb and then refuses (a libtorrent without the torrent does)
  // breaks this retry; only one that never answers Ya would not, which needs the gateway to know the
  // setting of every tab before routing. Run it with TR_DEBUG_DIR=<dir> for Transmission's log.
  it.skip('over TCP, engine plaintext only (skipped: Transmission 3.00 encrypts its plaintext retry with the refused MSE attempt\'s RC4 key)',
    () => transmissionDownloads({ title: 'plaintext only', transport: 'tcp', transmissionEncryption: 'prefer', engineEncryption: 'plaintext' }));

  async function transmissionDownloads({ title, transport, transmissionEncryption, engineEncryption }: Case): Promise<void> {
    const name = `tr-up-${transport}-${transmissionEncryption}-${engineEncryption}`;
    const fixture = await makeClientFixture(name, singleFile(name, 1024 * 1024 + 33), [tracker.announceUrl]);
    const harness = await startEngine({ gatewayUrl: gateway.url, token: gateway.token, encryption: engineEncryption, store: await storeWithAllPieces(fixture) });
    // TR_DEBUG_DIR=<dir>: Transmission's per-handshake debug log there, one file per case.
    const debugLogPath = process.env.TR_DEBUG_DIR ? join(process.env.TR_DEBUG_DIR, `${name}.log`) : undefined;
    const transmission = await startTransmission({ transport, encryption: transmissionEncryption, bindAddress: NAMESPACE_IP, debugLogPath });
    try {
      const hex = await harness.engine.addTorrentFile(fixture.torrent.bytes);
      await pollUntil(async () => (tracker.knows(hex, gateway.peerPort) ? true : undefined), 10_000, async () => 'the engine has not announced');
      const saveDir = await makeTempDir('tr-up-leech');
      const hash = await transmission.addTorrent({ torrentPath: fixture.torrent.torrentPath, downloadDir: saveDir });
      const seen = watchPeers(transmission, hash);
      // Transmission says it is interested only at its rechoke (every 10 s): have that run now.
      await transmission.interestSoon(hash, 20_000);
      await transmission.waitForComplete(hash, 40_000);
      seen.stop();
      expect(await sha256File(join(saveDir, `${name}.bin`))).toBe(fixture.originals.get(`${name}.bin`));
      expect(harness.engine.get(hex)!.uploadedBytes, title).toBeGreaterThanOrEqual(fixture.torrent.totalLength);
      // Whichever connections Transmission held while downloading: its own, over the transport asked.
      expect(seen.peers.length).toBeGreaterThan(0);
      for (const peer of seen.peers) {
        expect(peer.isIncoming).toBe(false);
        if (transport !== 'both') expect(peer.isUTP).toBe(transport === 'utp');
        if (transmissionEncryption === 'require') expect(peer.isEncrypted).toBe(true);
      }
    } finally {
      await transmission.stop();
      await harness.close();
    }
  }
});

/** Polls Transmission's peer list of a torrent until stopped, keeping every peer it showed. */
function watchPeers(transmission: Transmission, infoHash: string): { peers: SeenPeer[]; stop: () => void } {
  const peers: SeenPeer[] = [];
  let running = true;
  void (async () => {
    while (running) {
      const got = await transmission.rpc('torrent-get', { ids: [infoHash], fields: ['peers'] }).catch(() => ({ torrents: [] }));
      const torrent = (got.torrents as Array<{ peers?: SeenPeer[] }>)[0];
      for (const p of torrent?.peers ?? []) peers.push({ isUTP: p.isUTP, isEncrypted: p.isEncrypted, isIncoming: p.isIncoming });
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  })();
  return { peers, stop: () => { running = false; } };
}
