// Limits set in the UI are kept across a reload: a global upload limit (the header's Limits panel,
// kept in localStorage and sent to the engine) and a torrent's ratio goal (its details, kept in
// the torrent's record in IndexedDB). Bad input is refused with its reason, and nothing applied.
import type { Page } from 'playwright-core';
import { expect, test } from 'vitest';
import { addTorrentFile, openApp, openDetails, torrentRow, waitForComplete, waitForGatewayConnected } from './support/app-page.ts';
import { useBeds } from './support/bed.ts';

const setUpBed = useBeds();

async function openLimitsPanel(page: Page): Promise<void> {
  const upload = page.getByLabel('Upload limit (KiB/s)', { exact: true });
  if (!(await upload.isVisible().catch(() => false))) await page.getByText('Limits', { exact: true }).click();
  await upload.waitFor({ state: 'visible', timeout: 5_000 });
}

/** Types a value and leaves the field (its change event applies the form). */
async function enter(page: Page, label: string, value: string): Promise<void> {
  const input = page.getByLabel(label, { exact: true });
  await input.fill(value);
  await input.press('Tab');
}

test('a global upload limit and a torrent\'s ratio goal set in the UI are still there after a reload', async () => {
  const name = 'limits.bin';
  const bed = await setUpBed('limits-and-goals', { name, files: [{ path: name, size: 256 * 1024 + 7 }], pieceLengthExp: 15 });
  const { page } = bed.browser;

  await openApp(page, bed.gateway.url);
  await waitForGatewayConnected(page);
  await addTorrentFile(page, bed.swarm.torrent.torrentPath);
  const row = torrentRow(page, name);
  await waitForComplete(row, 60_000);

  await openLimitsPanel(page);
  await enter(page, 'Upload limit (KiB/s)', '-5');
  await expect.poll(() => page.getByRole('alert').filter({ hasText: 'Upload limit (KiB/s)' }).count()).toBe(1);
  expect(await page.evaluate(() => localStorage.getItem('tabtorrent.limits'))).toBeNull(); // nothing applied
  await enter(page, 'Upload limit (KiB/s)', '100');
  await expect.poll(() => page.getByRole('alert').count()).toBe(0);
  await expect.poll(() => page.evaluate(() => JSON.parse(localStorage.getItem('tabtorrent.limits') ?? '{}').uploadKiBps)).toBe(100);

  const [file] = bed.swarm.files;
  await openDetails(row, name, file!);
  await enter(page, 'Torrent stop seeding at ratio', 'abc');
  await page.getByRole('alert').filter({ hasText: 'Torrent stop seeding at ratio' }).waitFor({ timeout: 5_000 });
  await enter(page, 'Torrent stop seeding at ratio', '2');
  await expect.poll(() => page.getByRole('alert').count()).toBe(0);
  await page.waitForTimeout(1_000); // the engine saved the record (set-torrent-limits answers after it)

  await page.reload({ waitUntil: 'load' });
  const again = torrentRow(page, name);
  await again.waitFor({ state: 'attached', timeout: 15_000 });
  await openLimitsPanel(page);
  expect(await page.getByLabel('Upload limit (KiB/s)', { exact: true }).inputValue()).toBe('100');
  await openDetails(again, name, file!);
  const ratio = page.getByLabel('Torrent stop seeding at ratio', { exact: true });
  await expect.poll(() => ratio.inputValue(), { timeout: 10_000 }).toBe('2');
  expect(await page.getByLabel('Torrent upload limit (KiB/s)', { exact: true }).inputValue()).toBe(''); // follows the global one
});
