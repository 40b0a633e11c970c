// (e) The WebSocket link: switch the link setting to "WebSocket", download a small torrent over it,
// save it byte for byte. The bridge frames then travel on the /signal?link=websocket socket.
import { expect, test } from 'vitest';
import { addTorrentFile, chooseLink, openApp, openDetails, saveFile, torrentRow, waitForComplete, waitForGatewayConnected } from './support/app-page.ts';
import { useBeds } from './support/bed.ts';
import { screenshot } from './support/browser.ts';

const setUpBed = useBeds();

test('downloads over the WebSocket link', async () => {
  const name = 'over-websocket.bin';
  const size = 2 * 2 ** 20 + 99;
  const bed = await setUpBed('websocket-link', { name, files: [{ path: name, size }], pieceLengthExp: 16 });
  const { page } = bed.browser;
  // Bytes received per link WebSocket the page opened (a socket opened by a worker may not show here).
  const received = new Map<string, number>();
  page.on('websocket', (socket) => {
    received.set(socket.url(), 0);
    socket.on('framereceived', ({ payload }) => received.set(socket.url(), (received.get(socket.url()) ?? 0) + payload.length));
  });

  await openApp(page, bed.gateway.url);
  await chooseLink(page, 'WebSocket');
  const status = await waitForGatewayConnected(page, 'WebSocket');
  expect(status).not.toMatch(/fallback/i);
  await addTorrentFile(page, bed.swarm.torrent.torrentPath);
  const row = torrentRow(page, name);
  await waitForComplete(row, 60_000);
  await screenshot(page, 'websocket-link');

  const linkSockets = [...received].filter(([url]) => /[?&]link=websocket\b/.test(url));
  console.log(`websocket link: sockets seen by the page: ${JSON.stringify([...received])}`);
  if (linkSockets.length > 0) {
    const bytes = linkSockets.reduce((sum, [, n]) => sum + n, 0);
    expect(bytes, 'the torrent should have come over the link=websocket socket').toBeGreaterThanOrEqual(size);
  }

  const [file] = bed.swarm.files;
  await openDetails(row, name, file!);
  const saved = await saveFile(page, file!);
  expect(saved.sha256).toBe(file!.sha256);
});
