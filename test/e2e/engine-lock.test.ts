// One engine per browser profile: a second tab of the app, opened in the same profile while a
// download runs, says the engine runs in another tab and starts nothing (no worker, so no database
// and no gateway link), and the download carries on in the first tab. "Use it here" moves the
// engine: the first tab stops and says so, the second resumes the download where it was and
// completes it byte for byte.
import type { Page } from 'playwright-core';
import { expect, test } from 'vitest';
import {
  addTorrentFile, openApp, openDetails, progressOf, saveFile, torrentRow, waitForComplete, waitForGatewayConnected, waitForProgress,
} from './support/app-page.ts';
import { useBeds } from './support/bed.ts';
import { screenshot, type TestBrowser } from './support/browser.ts';
import { expectResumed, halfWaySwarm } from './support/half-way.ts';
import { seederUploaded } from './support/swarm.ts';

const setUpBed = useBeds();
/** Slower than the other half-way tests (~20 s in all): this one looks at two tabs before it moves. */
const UPLOAD_LIMIT = 2_500_000;
const RUNNING_ELSEWHERE = 'TabTorrent is running in another tab';
const MOVED_AWAY = 'TabTorrent moved to another tab';
const TAKE_OVER = 'Use it here';

test('a second tab sees the engine running elsewhere; "Use it here" moves the download, which completes byte-exact', async () => {
  const name = 'engine-lock-48MiB.bin';
  const bed = await setUpBed('engine-lock', { ...halfWaySwarm(name), uploadLimitBytesPerSec: UPLOAD_LIMIT });
  const first = bed.browser.page;

  await openApp(first, bed.gateway.url);
  await waitForGatewayConnected(first);
  await addTorrentFile(first, bed.swarm.torrent.torrentPath);
  const firstRow = torrentRow(first, name);
  const progressBefore = await waitForProgress(firstRow, (p) => p >= 5, 60_000, '5 % before the second tab opens');

  // Same profile, already signed in by its cookie: the plain address, no token.
  const second = await bed.browser.context.newPage();
  logInto(second, bed.browser, 'second tab');
  await second.goto(`http://127.0.0.1:${bed.gateway.port}/`, { waitUntil: 'load' });
  await second.getByRole('heading', { name: RUNNING_ELSEWHERE }).waitFor({ timeout: 15_000 });
  expect(await second.getByLabel('Open torrent file').count(), 'no torrent UI in the second tab').toBe(0);
  expect(await torrentRow(second, name).count()).toBe(0);
  expect(second.workers(), 'the second tab starts no engine worker').toHaveLength(0);
  await screenshot(second, 'engine-lock-elsewhere');

  // The first tab's download is not disturbed.
  await waitForProgress(firstRow, (p) => p >= progressBefore + 10, 60_000, 'the first tab keeps downloading');
  expect(second.workers()).toHaveLength(0);

  const progressAtInterrupt = (await progressOf(firstRow))!;
  const uploadedAtInterrupt = seederUploaded(bed.swarm);
  expect(progressAtInterrupt, 'the download should still be under way at the take-over').toBeLessThan(100);
  await second.getByRole('button', { name: TAKE_OVER, exact: true }).click();

  await first.getByRole('heading', { name: MOVED_AWAY }).waitFor({ timeout: 20_000 });
  await expect.poll(() => first.workers().length, { message: 'the first tab ended its engine worker', timeout: 10_000 }).toBe(0);
  expect(await torrentRow(first, name).count(), 'the first tab shows no torrents once it let go').toBe(0);
  expect(await first.getByRole('button', { name: TAKE_OVER, exact: true }).count(), 'the first tab can take it back').toBe(1);
  await screenshot(first, 'engine-lock-moved');

  await waitForGatewayConnected(second);
  const row = torrentRow(second, name);
  await row.waitFor({ state: 'attached', timeout: 15_000 });
  console.log(`engine-lock: ${progressAtInterrupt} % at the take-over, ${await progressOf(row)} % when the second tab restored it`);
  await waitForComplete(row, 120_000);
  await second.waitForTimeout(500); // one more seeder status line (every 200 ms)
  expectResumed({ progressAtInterrupt, uploadedAtInterrupt }, seederUploaded(bed.swarm), 'take-over');

  const [file] = bed.swarm.files;
  await openDetails(row, name, file!);
  const saved = await saveFile(second, file!);
  expect(saved.sha256).toBe(file!.sha256);
});

/** Adds a page's console to the bed's (printed when the test fails) and its CSP reports to those checked. */
function logInto(page: Page, browser: TestBrowser, label: string): void {
  page.on('console', (msg) => {
    browser.consoleLines.push(`[${label}] [${msg.type()}] ${msg.text()}`);
    if (/Content Security Policy/i.test(msg.text())) browser.cspViolations.push(msg.text());
  });
  page.on('pageerror', (err) => browser.consoleLines.push(`[${label}] [pageerror] ${err.message}`));
}
