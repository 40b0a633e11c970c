// A row's Pause stops the transfer (the seeder sends nothing more), Resume finishes it without
// starting over, and Remove takes the torrent off the list and frees its storage: no piece and no
// record of it is left in IndexedDB, and a reload does not bring it back.
import type { Page } from 'playwright-core';
import { expect, test } from 'vitest';
import { addTorrentFile, openApp, torrentRow, waitForComplete, waitForGatewayConnected, waitForProgress } from './support/app-page.ts';
import { useBeds } from './support/bed.ts';
import { expectResumed, halfWaySwarm } from './support/half-way.ts';
import { seederUploaded } from './support/swarm.ts';
import { DEFAULT_PIECES_DB, DEFAULT_RECORDS_DB } from '../../web/worker/idb-piece-store.ts';

const setUpBed = useBeds();
/** Pieces already requested when Pause is pressed may still land; after this the link is quiet. */
const SETTLE_MS = 1_500;
const QUIET_MS = 2_500;
const BLOCK_BYTES = 16 * 1024;

test('Pause stops the transfer, Resume completes it, Remove deletes the torrent and its data', async () => {
  const name = 'interrupted-48MiB.bin';
  const bed = await setUpBed('pause-resume-remove', halfWaySwarm(name));
  const { page } = bed.browser;

  await openApp(page, bed.gateway.url);
  await waitForGatewayConnected(page);
  await addTorrentFile(page, bed.swarm.torrent.torrentPath);
  const row = torrentRow(page, name);
  await waitForProgress(row, (p) => p >= 20, 60_000, '20 % before the pause');

  await row.getByRole('button', { name: 'Pause', exact: true }).click();
  await row.getByText('Paused', { exact: true }).waitFor({ timeout: 10_000 });
  await page.waitForTimeout(SETTLE_MS);
  const progressAtInterrupt = Number(await row.getByRole('progressbar').getAttribute('aria-valuenow'));
  const uploadedAtInterrupt = seederUploaded(bed.swarm);
  await page.waitForTimeout(QUIET_MS);
  // Protocol chatter (a handshake, keep-alives) is counted too; not one 16 KiB block may pass.
  expect(seederUploaded(bed.swarm) - uploadedAtInterrupt, 'bytes the seeder sent while paused').toBeLessThan(BLOCK_BYTES);
  expect(Number(await row.getByRole('progressbar').getAttribute('aria-valuenow'))).toBe(progressAtInterrupt);
  expect(progressAtInterrupt, 'paused before the end').toBeLessThan(100);

  await row.getByRole('button', { name: 'Resume', exact: true }).click();
  await waitForComplete(row, 90_000);
  await page.waitForTimeout(500); // one more seeder status line (every 200 ms)
  expectResumed({ progressAtInterrupt, uploadedAtInterrupt }, seederUploaded(bed.swarm), 'pause');
  expect(await storedKeyCount(page)).toEqual({ pieces: 192, records: 1 });

  await row.getByRole('button', { name: 'Remove', exact: true }).click();
  await expect.poll(() => row.count(), { timeout: 10_000 }).toBe(0);
  await expect.poll(() => storedKeyCount(page), { timeout: 10_000 }).toEqual({ pieces: 0, records: 0 });

  await page.reload({ waitUntil: 'load' });
  await waitForGatewayConnected(page);
  await page.waitForTimeout(1_000);
  expect(await torrentRow(page, name).count(), 'a removed torrent stays removed after a reload').toBe(0);
});

/** Keys in the app's two IndexedDB databases (pieces, torrent records), read in the page. */
function storedKeyCount(page: Page): Promise<{ pieces: number; records: number }> {
  return page.evaluate(async ({ piecesDb, recordsDb }) => {
    const count = ({ dbName, storeName }: { dbName: string; storeName: string }) => new Promise<number>((resolve, reject) => {
      const open = indexedDB.open(dbName);
      open.onerror = () => reject(open.error);
      open.onsuccess = () => {
        const db = open.result;
        if (!db.objectStoreNames.contains(storeName)) { db.close(); resolve(0); return; }
        const request = db.transaction(storeName, 'readonly').objectStore(storeName).count();
        request.onsuccess = () => { db.close(); resolve(request.result); };
        request.onerror = () => { db.close(); reject(request.error); };
      };
    });
    return { pieces: await count(piecesDb), records: await count(recordsDb) };
  }, { piecesDb: DEFAULT_PIECES_DB, recordsDb: DEFAULT_RECORDS_DB });
}
