// (a) A single-file torrent added through "Open torrent file", downloaded over the default WebRTC
// link from a libtorrent seeder, saved through "Save <name>", byte-identical to the original.
import { expect, test } from 'vitest';
import { addTorrentFile, gatewayStatusText, openApp, waitForGatewayConnected, openDetails, saveFile, torrentRow, waitForComplete } from './support/app-page.ts';
import { useBeds } from './support/bed.ts';
import { screenshot } from './support/browser.ts';

const setUpBed = useBeds();

test('downloads a single-file torrent and saves it byte for byte', async () => {
  const name = 'single.bin';
  // 3 MiB + 1234 bytes: 49 pieces of 64 KiB, the last one short.
  const bed = await setUpBed('single-file', { name, files: [{ path: name, size: 3 * 2 ** 20 + 1234 }], pieceLengthExp: 16 });
  const { page } = bed.browser;

  await openApp(page, bed.gateway.url);
  expect(await waitForGatewayConnected(page, 'WebRTC')).not.toMatch(/fallback/i);
  await addTorrentFile(page, bed.swarm.torrent.torrentPath);
  const row = torrentRow(page, name);
  await waitForComplete(row, 60_000);
  // Still on WebRTC: no fallback to the WebSocket link during the download.
  expect(await gatewayStatusText(page)).toBe('Connected over WebRTC');
  await screenshot(page, 'single-file');

  const [file] = bed.swarm.files;
  await openDetails(row, name, file!);
  const saved = await saveFile(page, file!);
  expect(saved.sha256).toBe(file!.sha256);
});
