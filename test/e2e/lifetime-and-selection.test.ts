// A torrent lives on through a file choice and a reload: unticking a file mid-download keeps the
// connected peers (the torrent is not made anew), and after a reload the lifetime Downloaded,
// Uploaded and Ratio shown are what they were before it.
import { expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { addTorrentFile, openApp, openDetails, torrentRow, waitForComplete, waitForGatewayConnected, waitForProgress } from './support/app-page.ts';
import { useBeds } from './support/bed.ts';
import { HALF_WAY_PIECE_EXP, HALF_WAY_UPLOAD_LIMIT } from './support/half-way.ts';

const setUpBed = useBeds();
const FILE_BYTES = 24 * 2 ** 20;

/** The value the details list shows for `label` ("Downloaded", "Peers", …). */
async function detail(page: Page, label: string): Promise<string> {
  const text = await page.locator(`div:has(> dt:text-is("${label}")) > dd`).first().textContent({ timeout: 5_000 });
  return (text ?? '').trim();
}

function connectedPeers(text: string): number {
  return Number(/^(\d+) connected/.exec(text)?.[1] ?? NaN);
}

test('unticking a file keeps the peers; a reload keeps the lifetime totals', async () => {
  const name = 'pair';
  const bed = await setUpBed('lifetime-and-selection', {
    name,
    files: [{ path: 'a.bin', size: FILE_BYTES }, { path: 'b.bin', size: FILE_BYTES }],
    pieceLengthExp: HALF_WAY_PIECE_EXP,
    uploadLimitBytesPerSec: HALF_WAY_UPLOAD_LIMIT,
  });
  const { page } = bed.browser;
  await openApp(page, bed.gateway.url);
  await waitForGatewayConnected(page);
  await addTorrentFile(page, bed.swarm.torrent.torrentPath);
  const row = torrentRow(page, name);
  await waitForProgress(row, (p) => p >= 15, 60_000, '15 % before unticking');
  await openDetails(row, name, bed.swarm.files[0]!);
  await expect.poll(async () => connectedPeers(await detail(page, 'Peers')), { timeout: 15_000 }).toBeGreaterThanOrEqual(1);
  const peersBefore = connectedPeers(await detail(page, 'Peers'));

  const statusLinesBefore = bed.swarm.seeder.events().length;
  await page.getByRole('checkbox', { name: /^Download (pair\/)?b\.bin$/ }).uncheck();
  await expect.poll(() => detail(page, 'Selected'), { timeout: 10_000 }).toBe('25.2 MB'); // 24 MiB: a.bin alone
  // Still the same connections a few seconds later: the torrent was not made anew.
  await page.waitForTimeout(3_000);
  expect(connectedPeers(await detail(page, 'Peers'))).toBe(peersBefore);
  // The seeder, sampled every 200 ms, never saw us go: no reconnection behind the same count.
  const seen = bed.swarm.seeder.events().slice(statusLinesBefore).filter((e) => e.event === 'status').map((e) => Number(e.peers));
  expect(seen.length).toBeGreaterThan(5);
  expect(Math.min(...seen)).toBeGreaterThanOrEqual(1);
  await waitForComplete(row, 90_000);
  expect(await page.getByRole('checkbox', { name: /^Download (pair\/)?b\.bin$/ }).isChecked()).toBe(false);

  const before = { downloaded: await detail(page, 'Downloaded'), uploaded: await detail(page, 'Uploaded'), ratio: await detail(page, 'Ratio') };
  expect(before.downloaded).toMatch(/ MB$/);
  await page.waitForTimeout(2_500); // the record is saved within 2 s of a change
  await page.reload({ waitUntil: 'load' });
  await waitForGatewayConnected(page);
  const again = torrentRow(page, name);
  await again.waitFor({ state: 'attached', timeout: 15_000 });
  await openDetails(again, name, bed.swarm.files[0]!);
  const after = { downloaded: await detail(page, 'Downloaded'), uploaded: await detail(page, 'Uploaded'), ratio: await detail(page, 'Ratio') };
  console.log(`lifetime totals before the reload ${JSON.stringify(before)}, after ${JSON.stringify(after)}; peers kept through the file change: ${peersBefore}`);
  expect(after).toEqual(before);
});
