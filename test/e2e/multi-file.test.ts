// (b) A multi-file torrent — an empty file, files smaller than a piece, one spanning many pieces,
// piece boundaries falling inside files — every file saved and compared with the original.
import { expect, test } from 'vitest';
import { addTorrentFile, gatewayStatusText, openApp, waitForGatewayConnected, openDetails, saveFile, torrentRow, waitForComplete } from './support/app-page.ts';
import { useBeds } from './support/bed.ts';
import { screenshot } from './support/browser.ts';

const setUpBed = useBeds();

test('downloads a multi-file torrent and saves every file byte for byte', async () => {
  const name = 'multi';
  const piece = 2 ** 15; // 32 KiB
  const bed = await setUpBed('multi-file', {
    name,
    pieceLengthExp: 15,
    files: [
      { path: 'a-small.txt', size: 1000 },
      { path: 'empty.dat', size: 0 },
      { path: 'sub/spans-pieces.bin', size: 5 * piece + 777 },
      { path: 'sub/deeper/one-byte', size: 1 },
      { path: 'z-large.bin', size: 1024 * 1024 + 3 },
    ],
  });
  const { page } = bed.browser;

  await openApp(page, bed.gateway.url);
  expect(await waitForGatewayConnected(page, 'WebRTC')).not.toMatch(/fallback/i);
  await addTorrentFile(page, bed.swarm.torrent.torrentPath);
  const row = torrentRow(page, name);
  await waitForComplete(row, 60_000);
  // Still on WebRTC: no fallback to the WebSocket link during the download.
  expect(await gatewayStatusText(page)).toBe('Connected over WebRTC');

  await openDetails(row, name, bed.swarm.files[0]!);
  await screenshot(page, 'multi-file');
  for (const file of bed.swarm.files) {
    const saved = await saveFile(page, file);
    expect(saved.sha256, file.torrentPath).toBe(file.sha256);
  }
});
