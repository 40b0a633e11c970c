// A magnet link in the URL fragment (#magnet:?xt=…): the tab fetches the metadata from the
// libtorrent seeder (BEP 9) found through the magnet's tracker, then downloads and saves the file.
import { expect, test } from 'vitest';
import { openApp, openDetails, saveFile, torrentRow, waitForComplete, waitForGatewayConnected } from './support/app-page.ts';
import { useBeds } from './support/bed.ts';
import { screenshot } from './support/browser.ts';
import { magnetFor } from '../helpers/torrent-file.ts';

const setUpBed = useBeds();

test('a #magnet: deep link fetches the metadata from peers, then downloads', async () => {
  const name = 'from-magnet.bin';
  const bed = await setUpBed('magnet', { name, files: [{ path: name, size: 2 * 2 ** 20 + 99 }], pieceLengthExp: 16 });
  const { page } = bed.browser;
  const magnet = magnetFor(bed.swarm.torrent, [bed.swarm.tracker.httpAnnounceUrl]);

  await openApp(page, `${bed.gateway.url}#${magnet}`);
  await waitForGatewayConnected(page);
  const row = torrentRow(page, name); // the magnet's dn= names the row until the metadata arrives
  await waitForComplete(row, 60_000);
  await screenshot(page, 'magnet');

  const [file] = bed.swarm.files;
  await openDetails(row, name, file!);
  const saved = await saveFile(page, file!);
  expect(saved.sha256).toBe(file!.sha256);
});
