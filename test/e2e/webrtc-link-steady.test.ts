// The default WebRTC link stays the link: for longer than the app's WebRTC connect timeout (12 s),
// during a download and after it, the tab stays on WebRTC — no fallback while the channel works.
import { expect, test } from 'vitest';
import { addTorrentFile, gatewayStatusText, openApp, progressOf, torrentRow, waitForGatewayConnected } from './support/app-page.ts';
import { useBeds } from './support/bed.ts';
import { screenshot } from './support/browser.ts';

const TORRENT_BYTES = 20 * 2 ** 20;
const UPLOAD_LIMIT = 1_000_000; // if libtorrent applies it to loopback peers (see the report)
const WATCH_MS = 20_000;
const POLL_MS = 500;

const setUpBed = useBeds();

test('the WebRTC link stays up for 20 s, during and after a download', async () => {
  const name = 'steady-20MiB.bin';
  const bed = await setUpBed('webrtc-link-steady', { name, files: [{ path: name, size: TORRENT_BYTES }], pieceLengthExp: 18, uploadLimitBytesPerSec: UPLOAD_LIMIT });
  const { page } = bed.browser;

  await openApp(page, bed.gateway.url);
  expect(await waitForGatewayConnected(page, 'WebRTC')).toBe('Connected over WebRTC');
  const connectedAt = Date.now();
  await addTorrentFile(page, bed.swarm.torrent.torrentPath);
  const row = torrentRow(page, name);
  const deadline = connectedAt + 90_000;
  const seen = new Set<string>();
  let progress: number | null = null;
  while (Date.now() < deadline && (progress !== 100 || Date.now() - connectedAt < WATCH_MS)) {
    seen.add(await gatewayStatusText(page));
    progress = await progressOf(row);
    await page.waitForTimeout(POLL_MS);
  }
  await screenshot(page, 'webrtc-link-steady');
  expect(progress, 'download complete').toBe(100);
  expect([...seen], 'gateway status over 20 s').toEqual(['Connected over WebRTC']);
});
