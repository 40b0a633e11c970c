// Choosing what to fetch before anything is fetched: with "Show files before downloading" on (the
// app's default), a dropped .torrent opens the dialog "Add <name>" listing its files; nothing is
// downloaded until "Start download"; a file unticked there is never fetched, and the priorities
// chosen there are the torrent's.
import { expect, test } from 'vitest';
import { addTorrentFile, openApp, openDetails, saveFile, torrentRow, waitForComplete, waitForGatewayConnected } from './support/app-page.ts';
import { useBeds } from './support/bed.ts';
import { screenshot } from './support/browser.ts';
import { seederUploaded } from './support/swarm.ts';

const setUpBed = useBeds();
const MiB = 2 ** 20;

test('a .torrent shows its files first; unticked files are never fetched, chosen priorities are kept', async () => {
  const name = 'choose';
  // 64 KiB pieces: each file starts on a piece boundary, so skipping b.bin skips all of its pieces.
  const bed = await setUpBed('add-dialog', {
    name,
    pieceLengthExp: 16,
    files: [{ path: 'a.bin', size: 4 * MiB }, { path: 'b.bin', size: 4 * MiB }, { path: 'notes.txt', size: 3000 }],
  });
  const { page } = bed.browser;
  await openApp(page, bed.gateway.url, { askFirst: true });
  await waitForGatewayConnected(page);
  await addTorrentFile(page, bed.swarm.torrent.torrentPath);

  const dialog = page.getByRole('dialog', { name: `Add ${name}`, exact: true });
  await dialog.waitFor({ state: 'visible', timeout: 15_000 });
  const row = torrentRow(page, name);
  await row.getByText('Waiting for your choice of files').waitFor({ state: 'visible', timeout: 5_000 });
  await page.waitForTimeout(1_500);
  // Its counter includes the seeder's own tracker announces (a few hundred bytes): not one block.
  expect(seederUploaded(bed.swarm), 'nothing is fetched before Start download').toBeLessThan(16_384);

  await dialog.getByRole('checkbox', { name: `Download ${name}/b.bin`, exact: true }).uncheck();
  await dialog.getByRole('combobox', { name: `Priority ${name}/notes.txt`, exact: true }).selectOption('high');
  await screenshot(page, 'add-dialog');
  await dialog.getByRole('button', { name: 'Start download', exact: true }).click();
  await dialog.waitFor({ state: 'hidden', timeout: 5_000 });

  await waitForComplete(row, 60_000);
  const uploaded = seederUploaded(bed.swarm);
  console.log(`the seeder sent ${uploaded} bytes for a.bin (${4 * MiB}) and notes.txt (3000); b.bin (${4 * MiB}) was skipped`);
  expect(uploaded).toBeLessThan(4 * MiB + MiB);

  const [a, b] = bed.swarm.files;
  await openDetails(row, name, a!);
  expect(await page.getByRole('checkbox', { name: `Download ${name}/b.bin`, exact: true }).isChecked()).toBe(false);
  expect(await page.getByRole('combobox', { name: `Priority ${name}/notes.txt`, exact: true }).inputValue()).toBe('high');
  expect(await page.getByRole('button', { name: `Save ${b!.torrentPath}`, exact: true }).isDisabled()).toBe(true);
  expect((await saveFile(page, a!)).sha256).toBe(a!.sha256);
});
