// A finished audio file plays in the page: its Play button opens a player whose <audio> loads
// the file from the stored pieces (a WAV header over deterministic noise), with the duration the
// header promises. Non-media files get no Play button.
import { expect, test } from 'vitest';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { addTorrentFile, openApp, openDetails, torrentRow, waitForComplete, waitForGatewayConnected } from './support/app-page.ts';
import { useBeds } from './support/bed.ts';
import { screenshot } from './support/browser.ts';

const setUpBed = useBeds();
const SAMPLE_RATE = 8000;
const SECONDS = 40;
const WAV_BYTES = 44 + SAMPLE_RATE * SECONDS; // 8-bit mono PCM

/** A RIFF/WAVE header for 8-bit mono PCM at SAMPLE_RATE over the file's existing bytes. */
async function writeWavHeader(path: string, size: number): Promise<void> {
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'ascii'); header.writeUInt32LE(size - 8, 4); header.write('WAVE', 8, 'ascii');
  header.write('fmt ', 12, 'ascii'); header.writeUInt32LE(16, 16); header.writeUInt16LE(1, 20); header.writeUInt16LE(1, 22);
  header.writeUInt32LE(SAMPLE_RATE, 24); header.writeUInt32LE(SAMPLE_RATE, 28); header.writeUInt16LE(1, 32); header.writeUInt16LE(8, 34);
  header.write('data', 36, 'ascii'); header.writeUInt32LE(size - 44, 40);
  const file = await open(path, 'r+');
  try { await file.write(header, 0, 44, 0); } finally { await file.close(); }
}

test('plays a finished audio file in the page from the stored pieces', async () => {
  const name = 'media';
  const bed = await setUpBed('play-media', {
    name,
    pieceLengthExp: 15,
    files: [{ path: 'tone.wav', size: WAV_BYTES }, { path: 'notes.txt', size: 500 }],
    rewrite: (rootDir) => writeWavHeader(join(rootDir, 'tone.wav'), WAV_BYTES),
  });
  const { page } = bed.browser;
  await openApp(page, bed.gateway.url);
  await waitForGatewayConnected(page, 'WebRTC');
  await addTorrentFile(page, bed.swarm.torrent.torrentPath);
  const row = torrentRow(page, name);
  await waitForComplete(row, 60_000);
  await openDetails(row, name, bed.swarm.files[0]!);

  await expect.poll(() => page.getByRole('button', { name: `Play ${name}/notes.txt` }).count()).toBe(0);
  await page.getByRole('button', { name: `Play ${name}/tone.wav` }).click();
  const audio = page.locator('tt-player audio');
  await audio.waitFor({ state: 'attached', timeout: 10_000 });
  // HAVE_METADATA: Chromium parsed the header out of the Blob of stored pieces.
  await expect.poll(() => audio.evaluate((el: HTMLAudioElement) => el.readyState), { timeout: 10_000 }).toBeGreaterThanOrEqual(1);
  expect(await audio.evaluate((el: HTMLAudioElement) => el.duration)).toBeCloseTo(SECONDS, 1);
  expect(await audio.evaluate((el: HTMLAudioElement) => el.error)).toBeNull();
  await screenshot(page, 'play-media');

  await page.getByRole('button', { name: 'Close player' }).click();
  await expect.poll(() => page.locator('tt-player audio').count()).toBe(0);
});
