// README's self-hosting recipe, as written: a gateway started with `--host 127.0.0.1 --port 8080
// --peer-port 6881 --ice-bind 0.0.0.0 --ice-announce 203.0.113.7 --ice-ports 50000-50100` (the web
// server behind a proxy on loopback, the peer port on every interface) on a machine whose "public"
// address 203.0.113.7 is another interface; the engine (the tab) reaches the gateway over WebRTC at
// that announced address and seeds; a libtorrent leecher reaches the gateway's peer port on
// 203.0.113.7 only, and completes.
//
// Needs a network namespace of its own (it adds an interface and uses fixed ports): it runs under
// scripts/in-netns.sh (scripts/test.sh does that), and skips anywhere else:
//   bash scripts/in-netns.sh node_modules/.bin/vitest run test/interop/in-netns/readme-recipe.test.ts
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256File } from '../../helpers/data-files.ts';
import { startGatewayProcess, type GatewayProcess } from '../../helpers/gateway-process.ts';
import { startLibtorrentLeecher } from '../../helpers/libtorrent.ts';
import { tcpAccepts } from '../../helpers/ports.ts';
import { makeTempDir } from '../../helpers/temp.ts';
import { DiskPieceStore } from '../../support/disk-piece-store.ts';
import { startEngine, waitForComplete, type EngineHarness } from '../../support/engine-harness.ts';
import { makeClientFixture, type ClientFixture } from '../clients/client-fixture.ts';
import { requireTestNamespace } from './namespace.ts';

const PUBLIC_IP = '203.0.113.7';
const RECIPE_ARGS = ['--host', '127.0.0.1', '--port', '8080', '--peer-port', '6881', '--ice-bind', '0.0.0.0', '--ice-announce', PUBLIC_IP, '--ice-ports', '50000-50100'];
const TOKEN = 'readme-recipe-token-0123456789abcdef';
const LINK = 'recipe0';

const inNamespace = requireTestNamespace('readme-recipe');

describe.skipIf(!inNamespace)('the README self-hosting recipe', () => {
  let gateway: GatewayProcess;
  let harness: EngineHarness;
  let store: DiskPieceStore;
  let fixture: ClientFixture;
  let infoHashHex: string;

  beforeAll(async () => {
    // The server's "public" address: an interface of this namespace only.
    execFileSync('ip', ['link', 'add', LINK, 'type', 'veth', 'peer', 'name', `${LINK}p`]);
    execFileSync('ip', ['addr', 'add', `${PUBLIC_IP}/32`, 'dev', LINK]);
    execFileSync('ip', ['link', 'set', LINK, 'up']);
    execFileSync('ip', ['link', 'set', `${LINK}p`, 'up']);
    gateway = await startGatewayProcess({ allowPrivate: false, extraArgs: RECIPE_ARGS, env: { ...process.env, GATEWAY_TOKEN: TOKEN } });
    // No tracker: without --allow-private the gateway relays nothing to this namespace's addresses.
    fixture = await makeClientFixture(undefined, 'recipe', 2 * 1024 * 1024 + 17);
    store = new DiskPieceStore(fixture.dataPath, fixture.torrent.pieceLength, { complete: true });
    harness = await startEngine({ gatewayUrl: gateway.url, token: gateway.token, store });
    infoHashHex = await harness.engine.addTorrentFile(fixture.torrent.bytes);
    await waitForComplete(harness.engine, infoHashHex, 10_000);
  });
  afterAll(async () => {
    await harness?.close();
    await store?.close();
    await gateway?.stop();
    try {
      execFileSync('ip', ['link', 'del', LINK]);
    } catch { /* already gone with the namespace */ }
  });

  it('starts as the recipe says: web server on 127.0.0.1:8080 only, peer port 6881 on every interface', async () => {
    expect(gateway.port).toBe(8080);
    expect(gateway.peerPort).toBe(6881);
    expect(await tcpAccepts('127.0.0.1', 8080)).toBe(true);
    expect(await tcpAccepts(PUBLIC_IP, 8080)).toBe(false);
    expect(await tcpAccepts(PUBLIC_IP, 6881)).toBe(true);
  });

  // TCP only: the recipe's uTP socket is on every interface and answers from the address the route
  // back picks; in one namespace every route back is local, so a leecher dialling 203.0.113.7 gets
  // its answers from 127.0.0.1 and ignores them (README: give --peer-host on a server with several
  // addresses). A uTP case needs the leecher in a namespace of its own behind a veth.
  it('a libtorrent leecher dialling TCP on the other address downloads from the engine', async () => {
    const leechDir = await makeTempDir('recipe-leech');
    const uploadedBefore = harness.engine.get(infoHashHex)!.uploadedBytes;
    const leecher = await startLibtorrentLeecher({ torrentPath: fixture.torrent.torrentPath, dataDir: leechDir, connectTo: [`${PUBLIC_IP}:6881`], tcpOnly: true });
    try {
      await leecher.waitForEvent('finished', 40_000);
      expect(await sha256File(join(leechDir, 'recipe.bin'))).toBe(fixture.sha256);
      expect(harness.engine.get(infoHashHex)!.uploadedBytes - uploadedBefore).toBeGreaterThanOrEqual(fixture.torrent.totalLength);
    } finally {
      await leecher.stop();
    }
  });
});
