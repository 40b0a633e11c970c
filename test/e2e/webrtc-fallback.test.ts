// When WebRTC cannot connect — here every UDP datagram in the namespace is dropped, as a firewall
// that blocks UDP would — the tab falls back to the WebSocket link by itself, says so, and the
// download completes over it (the seeder and tracker speak TCP).
import { afterEach, expect, test } from 'vitest';
import { addTorrentFile, gatewayStatusText, openApp, openDetails, saveFile, torrentRow, waitForComplete, waitForGatewayConnected } from './support/app-page.ts';
import { useBeds } from './support/bed.ts';
import { blockUdp } from './support/udp-block.ts';

const setUpBed = useBeds();
let unblockUdp: (() => void) | undefined;
afterEach(() => unblockUdp?.());
/** The tab gives WebRTC 12 s before it falls back; leave room for a loaded machine. */
const FALLBACK_TIMEOUT_MS = 45_000;

test('falls back to the WebSocket link by itself when WebRTC cannot connect', async () => {
  const name = 'no-udp.bin';
  const bed = await setUpBed('webrtc-fallback', { name, files: [{ path: name, size: 2 * 2 ** 20 + 7 }], pieceLengthExp: 16 });
  unblockUdp = blockUdp();
  const { page } = bed.browser;
  const signalSockets: string[] = [];
  page.on('websocket', (socket) => signalSockets.push(socket.url()));

  await openApp(page, bed.gateway.url);
  const status = await waitForGatewayConnected(page, 'WebSocket', FALLBACK_TIMEOUT_MS);
  expect(status).toMatch(/fallback/i);
  // It tried WebRTC first (the default setting), then opened the WebSocket link.
  expect(signalSockets.some((url) => /[?&]link=webrtc\b/.test(url)), JSON.stringify(signalSockets)).toBe(true);

  await addTorrentFile(page, bed.swarm.torrent.torrentPath);
  const row = torrentRow(page, name);
  await waitForComplete(row, 60_000);
  expect(await gatewayStatusText(page)).toMatch(/^Connected over WebSocket/);

  const [file] = bed.swarm.files;
  await openDetails(row, name, file!);
  const saved = await saveFile(page, file!);
  expect(saved.sha256).toBe(file!.sha256);
});
