// Issue 9's key interop cases in the real tab (Chromium, over the default WebRTC link), each peer a
// real client on 127.0.0.1 inside the test's namespace:
//  (a) "Require encrypted" chosen in the header, the tab downloads from a qBittorrent seeder that
//      requires encryption and takes uTP only, byte-exact; the peer table shows it as uTP and RC4;
//  (c) the finished torrent, paused and resumed, dials a libtorrent leecher that cannot dial anyone
//      (learned from the tracker) and uploads the whole torrent to it;
//  (b) a libtorrent leecher requiring RC4 reaches the tab only through the gateway's inbound peer
//      port (the tab knows nothing of it) and completes; the table shows it as an incoming RC4 peer.
import { join } from 'node:path';
import { afterEach, beforeAll, expect, test } from 'vitest';
import { expectedSha256, sha256File, writeDataFiles } from '../helpers/data-files.ts';
import type { GatewayProcess } from '../helpers/gateway-process.ts';
import { startLibtorrentLeecher, type LibtorrentPeer, type LibtorrentPeerOptions } from '../helpers/libtorrent.ts';
import { makeTorrent } from '../helpers/make-torrent.ts';
import { pollUntil } from '../helpers/client-options.ts';
import { startQbittorrent, type Qbittorrent } from '../helpers/qbittorrent.ts';
import { makeTempDir } from '../helpers/temp.ts';
import { startTracker, type TestTracker } from '../helpers/tracker.ts';
import { ensureAppBuilt } from './support/app-build.ts';
import {
  addTorrentFile, choosePeerEncryption, openApp, openDetails, peerTableRows, saveFile, torrentRow, waitForComplete,
  waitForGatewayConnected,
} from './support/app-page.ts';
import { launchBrowser, screenshot, type TestBrowser } from './support/browser.ts';
import { startGateway } from './support/swarm.ts';

const NAME = 'citizen.bin';
const SIZE = 3 * 1024 * 1024 + 777; // 49 pieces of 64 KiB, the last one short
const SEED = 'swarm-citizen';
/** A libtorrent peer that takes and makes RC4 connections only. */
const RC4_ONLY: LibtorrentPeerOptions = { incomingEncryption: 'forced', outgoingEncryption: 'forced', encryptionLevel: 'rc4' };
const POLL_MS = 250;
const QBT_UPLOAD_LIMIT_BPS = 768 * 1024;

let tracker: TestTracker | undefined;
let qbittorrent: Qbittorrent | undefined;
let gateway: GatewayProcess | undefined;
let browser: TestBrowser | undefined;
const leechers: LibtorrentPeer[] = [];

beforeAll(ensureAppBuilt);
afterEach(async ({ task }) => {
  if (task.result?.state === 'fail' && browser) {
    const shot = await screenshot(browser.page, 'swarm-citizen-failed').catch(() => 'none');
    console.error(`--- page console (tail) ---\n${browser.consoleLines.slice(-40).join('\n')}\n` +
      `--- gateway stderr (tail) ---\n${gateway?.process.stderr().slice(-3000)}\n--- screenshot: ${shot}`);
  }
  await Promise.all(leechers.splice(0).map((leecher) => leecher.stop()));
  await browser?.close();
  await gateway?.stop();
  await qbittorrent?.stop();
  await tracker?.close();
});

/** Polls the peer table until a row satisfies `wanted`; the rows seen last go in the error. */
async function waitForPeerRow(wanted: (row: Record<string, string>) => boolean, what: string, timeoutMs = 15_000): Promise<Record<string, string>> {
  const page = browser!.page;
  const deadline = Date.now() + timeoutMs;
  let rows: Array<Record<string, string>> = [];
  while (Date.now() < deadline) {
    rows = await peerTableRows(page);
    const row = rows.find(wanted);
    if (row) return row;
    await page.waitForTimeout(POLL_MS);
  }
  throw new Error(`no peer row for ${what} within ${timeoutMs} ms; rows: ${JSON.stringify(rows)}`);
}

test('the tab requiring encryption downloads from qBittorrent over uTP, then seeds to libtorrent both ways', async () => {
  const dataDir = await makeTempDir('citizen-seed');
  await writeDataFiles(dataDir, [{ path: NAME, size: SIZE }], SEED);
  const sha256 = expectedSha256(SEED, NAME, SIZE);
  tracker = await startTracker();
  const torrent = await makeTorrent({
    sourcePath: join(dataDir, NAME), outFile: join(await makeTempDir('citizen-torrent'), `${NAME}.torrent`),
    pieceLengthExp: 16, trackers: [tracker.httpAnnounceUrl],
  });
  [qbittorrent, gateway, browser] = await Promise.all([
    startQbittorrent({ transport: 'utp', encryption: 'require' }), startGateway(), launchBrowser(),
  ]);
  // ~4 s of transfer, so the table shows the connection before the tab, done, lets the seed go.
  await qbittorrent.setPreferences({ up_limit: QBT_UPLOAD_LIMIT_BPS, limit_lan_peers: true, limit_utp_rate: true });
  const qbtHash = await qbittorrent.addTorrent({ torrentPath: torrent.torrentPath, savePath: dataDir, seed: true });
  await qbittorrent.waitForComplete(qbtHash, 15_000);
  const { page } = browser;

  // (a) Require encrypted, from qBittorrent (uTP only, encryption required).
  await openApp(page, gateway.url);
  await waitForGatewayConnected(page);
  await choosePeerEncryption(page, 'Require encrypted');
  await addTorrentFile(page, torrent.torrentPath);
  const row = torrentRow(page, NAME);
  const file = { torrentPath: NAME, innerPath: '', size: SIZE, sha256 };
  await openDetails(row, NAME, file);
  const qbtRow = await waitForPeerRow((r) => r.Address?.startsWith(`127.0.0.1:${qbittorrent!.peerPort}`) ?? false, 'qBittorrent', 30_000);
  expect(qbtRow).toMatchObject({ Transport: 'uTP', Encryption: 'RC4' });
  expect(await qbittorrent.peers(qbtHash)).toContainEqual(expect.objectContaining({ transport: 'utp', encrypted: true }));
  await waitForComplete(row, 30_000);
  expect((await saveFile(page, file)).sha256).toBe(sha256);
  await screenshot(page, 'swarm-citizen-downloaded');
  await qbittorrent.stop(); // the tab is now the only seeder
  qbittorrent = undefined;

  // (c) The finished torrent dials a leecher that dials nobody: paused and resumed, its 'started'
  // announce brings the leecher's address from the tracker.
  const dialledDir = await makeTempDir('citizen-dialled');
  const dialled = await startLibtorrentLeecher({ torrentPath: torrent.torrentPath, dataDir: dialledDir, noOutgoing: true, ...RC4_ONLY });
  leechers.push(dialled);
  await pollUntil(async () => (tracker!.peersOf(torrent.infoHash).some((p) => p.port === dialled.port) ? true : undefined), 10_000,
    async () => `the leecher never announced: ${JSON.stringify(tracker!.peersOf(torrent.infoHash))}`, POLL_MS);
  await row.getByRole('button', { name: 'Pause', exact: true }).click();
  await row.getByRole('button', { name: 'Resume', exact: true }).click();
  await dialled.waitForEvent('finished', 30_000);
  expect(await sha256File(join(dialledDir, NAME))).toBe(sha256);
  await stopLeecher(dialled);

  // (b) A leecher that reaches the tab only through the gateway's inbound port (the tab has not
  // re-announced since it left: it knows nothing of it). Its download limit keeps the connection up
  // long enough for the table to show it.
  const inboundDir = await makeTempDir('citizen-inbound');
  const inbound = await startLibtorrentLeecher({
    torrentPath: torrent.torrentPath, dataDir: inboundDir, connectTo: [`127.0.0.1:${gateway.peerPort}`], downloadLimitBytesPerSec: 1024 * 1024, ...RC4_ONLY,
    utpOnly: true,
  });
  leechers.push(inbound);
  const inboundRow = await waitForPeerRow((r) => / in( |$)/.test(r.Address ?? '') && r.Encryption === 'RC4', 'the incoming leecher', 20_000);
  expect(inboundRow.Transport).toBe('uTP'); // the gateway's ACCEPTED says which transport brought it
  await inbound.waitForEvent('finished', 30_000);
  expect(await sha256File(join(inboundDir, NAME))).toBe(sha256);
}, 90_000);

async function stopLeecher(leecher: LibtorrentPeer): Promise<void> {
  leechers.splice(leechers.indexOf(leecher), 1);
  await leecher.stop();
}
