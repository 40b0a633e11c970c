// (d) The gateway goes away half-way through a download and a new gateway process comes up on the
// same port and token: the tab reconnects by itself and completes, byte for byte.
import { expect, test } from 'vitest';
import { addTorrentFile, openApp, waitForGatewayConnected, openDetails, saveFile, torrentRow, waitForComplete, waitForProgress } from './support/app-page.ts';
import { useBeds } from './support/bed.ts';
import { screenshot } from './support/browser.ts';
import { expectResumed, halfWaySwarm } from './support/half-way.ts';
import { restartGatewayLike, seederUploaded } from './support/swarm.ts';

const GATEWAY_DOWN_MS = 1_500;

const setUpBed = useBeds();

test('a dropped gateway link half-way reconnects by itself and completes', async () => {
  const name = 'relink-48MiB.bin';
  const bed = await setUpBed('gateway-restart', halfWaySwarm(name));
  const { page } = bed.browser;

  await openApp(page, bed.gateway.url);
  expect(await waitForGatewayConnected(page, 'WebRTC')).not.toMatch(/fallback/i);
  await addTorrentFile(page, bed.swarm.torrent.torrentPath);
  const row = torrentRow(page, name);
  const progressAtInterrupt = await waitForProgress(row, (p) => p >= 40, 60_000, '40 % before the gateway stops');
  expect(progressAtInterrupt, 'the download should still be under way when the gateway stops').toBeLessThan(100);
  const uploadedAtInterrupt = seederUploaded(bed.swarm);

  const old = bed.gateway;
  await old.stop();
  await page.waitForTimeout(GATEWAY_DOWN_MS);
  bed.gateway = await restartGatewayLike(old);
  expect(bed.gateway.port).toBe(old.port);

  await waitForComplete(row, 120_000);
  console.log(`gateway restart: the tab now says ${JSON.stringify(await waitForGatewayConnected(page))}`);
  await screenshot(page, 'gateway-restart');
  await page.waitForTimeout(500);
  expectResumed({ progressAtInterrupt, uploadedAtInterrupt }, seederUploaded(bed.swarm), 'gateway restart');

  const [file] = bed.swarm.files;
  await openDetails(row, name, file!);
  const saved = await saveFile(page, file!);
  expect(saved.sha256).toBe(file!.sha256);
});
