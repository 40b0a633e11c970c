// Watch while it downloads, for sound and pictures: an Opus file plays from a magnet while most of
// it is missing (Chromium reads the Ogg file's end for its duration: a Range request far ahead), and
// a PNG at the end of a larger torrent opens in a new tab (its stream URL) long before the torrent
// completes. Seeders are held back so each torrent takes over a minute.
import { expect, test } from 'vitest';
import { join } from 'node:path';
import { makeAudio, makeImage } from '../helpers/media.ts';
import { makeTempDir } from '../helpers/temp.ts';
import { progressOf } from './support/app-page.ts';
import { useBeds } from './support/bed.ts';
import { screenshot } from './support/browser.ts';
import { openLink, playerError, streamPathPattern, waitForCurrentTime, waitForEnabled } from './support/media-element.ts';
import { mediaSwarm, singleMediaSwarm } from './support/media-swarm.ts';
import { openAppAndPasteMagnet, playWhenEnabled } from './support/stream-flow.ts';

const setUpBed = useBeds();

const AUDIO_SECONDS = 240;
const AUDIO_KBPS = 64; // 8 KB/s, 1.9 MB in all
/**
 * 2× the audio's bitrate: the whole file takes ~120 s. Playing needs reads one after the other
 * (the start, the end for the duration, the start again), each waiting for pieces behind whatever
 * the engine had already asked this slow peer for: its pipeline must stay shallow (request-queue.ts).
 */
const AUDIO_UPLOAD_LIMIT = 16 * 1024;
const IMAGE_FILLER_BYTES = 8 * 2 ** 20;
/** The torrent (8 MiB + ~575 KB) takes ~70 s; the picture alone ~5 s. */
const IMAGE_UPLOAD_LIMIT = 128 * 1024;
const PIECE_LENGTH_EXP = 15; // 32 KiB

test('an audio file plays from a magnet while it downloads', async () => {
  const name = 'tone.opus';
  const audio = await makeAudio(join(await makeTempDir('e2e-media'), name), { seconds: AUDIO_SECONDS, kbps: AUDIO_KBPS });
  const bed = await setUpBed('streaming-audio', singleMediaSwarm(audio, name, { pieceLengthExp: PIECE_LENGTH_EXP, uploadLimitBytesPerSec: AUDIO_UPLOAD_LIMIT }));
  const { page } = bed.browser;
  const file = bed.swarm.files[0]!;

  const { row } = await openAppAndPasteMagnet(page, bed.gateway.url, bed.swarm, file);
  const { media, progressAtPlay } = await playWhenEnabled(page, row, file, 'audio', { infoHash: bed.swarm.torrent.infoHash, fileIndex: 0 }, 20_000);

  let progress: number | null = null;
  // Half of the file is here after ~50 s: the progress check below is the real bound.
  const playedTo = await waitForCurrentTime(media, 2, 60_000, async () => { progress = await progressOf(row); });
  const duration = await media.evaluate((el: HTMLMediaElement) => el.duration);
  console.log(`streaming-audio: Play enabled at ${progressAtPlay} %; currentTime ${playedTo.toFixed(1)} s of ${duration} s with the torrent at ${progress} %`);
  expect(progress, 'torrent progress (%) when the audio passed 2 s').not.toBeNull();
  expect(progress!).toBeLessThan(50);
  expect(duration).toBeCloseTo(AUDIO_SECONDS, 0);
  // And it goes on.
  await waitForCurrentTime(media, playedTo + 1, 10_000);
  expect(await playerError(page)).toBeNull();
  await screenshot(page, 'streaming-audio');
});

test('a picture opens in a new tab before its torrent completes', async () => {
  const name = 'gallery';
  const image = await makeImage(join(await makeTempDir('e2e-media'), 'photo.png'));
  const bed = await setUpBed('streaming-image', mediaSwarm(name, [
    { path: 'filler.bin', size: IMAGE_FILLER_BYTES },
    { path: 'photo.png', size: image.bytes, source: image.path },
  ], { pieceLengthExp: PIECE_LENGTH_EXP, uploadLimitBytesPerSec: IMAGE_UPLOAD_LIMIT }));
  const { page, context } = bed.browser;
  const { torrent } = bed.swarm;
  const photo = bed.swarm.files.find((f) => f.torrentPath === `${name}/photo.png`)!;
  const fileIndex = torrent.files.findIndex((f) => f.path === photo.torrentPath);

  const { row } = await openAppAndPasteMagnet(page, bed.gateway.url, bed.swarm, photo);
  const link = openLink(page, photo.torrentPath);
  const progressAtOpen = await waitForEnabled(link, row, `Open ${photo.torrentPath}`, 20_000);
  const [tab] = await Promise.all([context.waitForEvent('page', { timeout: 10_000 }), link.click()]);
  expect(new URL(tab.url()).pathname).toMatch(streamPathPattern(torrent.infoHash, fileIndex));

  // The tab shows the picture (Chromium's image document: one <img>) once it has all of it.
  const img = tab.locator('img').first();
  await img.waitFor({ state: 'attached', timeout: 30_000 });
  await expect.poll(() => img.evaluate((el: HTMLImageElement) => el.complete && el.naturalWidth), { timeout: 30_000 }).toBe(512);
  const progress = await progressOf(row);
  console.log(`streaming-image: Open enabled at ${progressAtOpen} %; the picture showed with the torrent at ${progress} %`);
  expect(await img.evaluate((el: HTMLImageElement) => [el.naturalWidth, el.naturalHeight])).toEqual([512, 384]);
  expect(progress!).toBeLessThan(50);
  await screenshot(tab, 'streaming-image');
});
