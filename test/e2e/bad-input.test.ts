// Bad input in the tab gets a clear message and loses nothing: a truncated .torrent, a v2-only
// .torrent and a malformed magnet link are each refused in words, no row is added for them, and
// the torrent already in the list stays complete.
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { expect, test } from 'vitest';
import { addTorrentFile, addTorrentUrl, openApp, progressOf, torrentRow, waitForComplete, waitForGatewayConnected } from './support/app-page.ts';
import { useBeds } from './support/bed.ts';

const setUpBed = useBeds();

/** A v2-only info dict (BEP 52): `meta version` 2 and a `file tree`, no v1 `pieces`. */
const V2_ONLY_TORRENT = Buffer.from(
  'd4:infod9:file treed5:a.txtd0:d6:lengthi5e11:pieces root32:' + 'r'.repeat(32) + 'eee' +
    '12:meta versioni2e4:name2:v212:piece lengthi16384eee',
);

test('refuses a truncated torrent, a v2-only torrent and a bad magnet in words, and keeps the good torrent', async () => {
  const name = 'keep-me.bin';
  const bed = await setUpBed('bad-input', { name, files: [{ path: name, size: 300_000 }], pieceLengthExp: 16 });
  const { page } = bed.browser;
  await openApp(page, bed.gateway.url);
  await waitForGatewayConnected(page);
  await addTorrentFile(page, bed.swarm.torrent.torrentPath);
  const good = torrentRow(page, name);
  await waitForComplete(good, 60_000);

  // The good torrent's file, cut short: a download that broke off.
  await openBytes(page, 'truncated.torrent', readFileSync(bed.swarm.torrent.torrentPath).subarray(0, 120));
  await expectAlert(page, /truncated\.torrent/, /damaged: truncated/);

  await openBytes(page, 'v2-only.torrent', V2_ONLY_TORRENT);
  await expectAlert(page, /v2-only\.torrent/, /BitTorrent v2 is not supported yet/);

  await addTorrentUrl(page, 'magnet:?xt=urn:btih:not-a-hash');
  await expectAlert(page, /Could not add that link/, /info-hash/);

  expect(await page.getByRole('listitem').filter({ has: page.getByRole('progressbar') }).count(), 'only the good torrent is listed').toBe(1);
  expect(await progressOf(good)).toBe(100);
});

async function openBytes(page: Page, fileName: string, buffer: Buffer): Promise<void> {
  await page.getByLabel('Open torrent file').setInputFiles({ name: fileName, mimeType: 'application/x-bittorrent', buffer });
}

/** An alert naming what failed (`subject`) and why (`reason`), in one message; then dismissed. */
async function expectAlert(page: Page, subject: RegExp, reason: RegExp): Promise<void> {
  const alert = page.getByRole('alert');
  await expect.poll(async () => (await alert.textContent({ timeout: 1_000 }).catch(() => '')) ?? '', { timeout: 10_000 }).toMatch(subject);
  const text = (await alert.textContent()) ?? '';
  console.log(`bad input: ${text.replace(/\s+/g, ' ').replace(/Dismiss/g, '').trim()}`);
  expect(text).toMatch(reason);
  for (const dismiss of await alert.getByRole('button', { name: /^Dismiss/ }).all()) await dismiss.click();
  await expect.poll(() => alert.count(), { timeout: 5_000 }).toBe(0);
}
