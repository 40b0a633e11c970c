// (c) Reload the tab half-way through a download: the torrent comes back from IndexedDB by itself,
// resumes, completes, and the seeder sends only about what was missing at the reload.
import { expect, test } from 'vitest';
import { addTorrentFile, gatewayStatusText, openApp, waitForGatewayConnected, openDetails, progressOf, saveFile, torrentRow, waitForComplete, waitForProgress } from './support/app-page.ts';
import { useBeds } from './support/bed.ts';
import { screenshot } from './support/browser.ts';
import { expectResumed, halfWaySwarm } from './support/half-way.ts';
import { seederUploaded } from './support/swarm.ts';

const setUpBed = useBeds();

test('a reload half-way resumes from IndexedDB and completes without starting over', async () => {
  const name = 'reload-48MiB.bin';
  const bed = await setUpBed('reload-resume', halfWaySwarm(name));
  const { page } = bed.browser;

  await openApp(page, bed.gateway.url);
  expect(await waitForGatewayConnected(page, 'WebRTC')).not.toMatch(/fallback/i);
  await addTorrentFile(page, bed.swarm.torrent.torrentPath);
  const progressAtInterrupt = await waitForProgress(torrentRow(page, name), (p) => p >= 40, 60_000, '40 % before the reload');
  expect(progressAtInterrupt, 'the download should still be under way at the reload').toBeLessThan(100);
  const uploadedAtInterrupt = seederUploaded(bed.swarm);

  await page.reload({ waitUntil: 'load' });
  const row = torrentRow(page, name);
  await row.waitFor({ state: 'attached', timeout: 15_000 });
  const restored = await progressOf(row);
  console.log(`reload: progress ${progressAtInterrupt} % before, ${restored} % right after (restored from IndexedDB)`);

  await waitForComplete(row, 90_000);
  // Still on WebRTC: no fallback to the WebSocket link during the download.
  expect(await gatewayStatusText(page)).toBe('Connected over WebRTC');
  await screenshot(page, 'reload-resume');
  await page.waitForTimeout(500); // one more seeder status line (every 200 ms)
  expectResumed({ progressAtInterrupt, uploadedAtInterrupt }, seederUploaded(bed.swarm), 'reload');

  const [file] = bed.swarm.files;
  await openDetails(row, name, file!);
  const saved = await saveFile(page, file!);
  expect(saved.sha256).toBe(file!.sha256);
});
