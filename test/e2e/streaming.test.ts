// Watch while it downloads: a two-minute WebM (VP8 + Opus) from a magnet, its seeder held to about
// twice the video's bitrate so the whole file takes ~65 s. Play is pressed as soon as it is enabled;
// the video must pass 2 s while less than half of it is here, a seek to 75 % must play again within
// seconds, and the pieces there must be stored before the untouched middle. Then the seeder's limit
// is lifted, and the finished file saves with the original bytes.
import { expect, test } from 'vitest';
import { join } from 'node:path';
import { keyframeBefore, makeWebmVideo } from '../helpers/media.ts';
import { makeTempDir } from '../helpers/temp.ts';
import { progressOf, saveFile, waitForComplete } from './support/app-page.ts';
import { useBeds } from './support/bed.ts';
import { screenshot } from './support/browser.ts';
import { piecesOfRange, playerError, seekAndTimePlaying, storedPieces, waitForCurrentTime } from './support/media-element.ts';
import { singleMediaSwarm } from './support/media-swarm.ts';
import { openAppAndPasteMagnet, playWhenEnabled } from './support/stream-flow.ts';

const setUpBed = useBeds();

const VIDEO_SECONDS = 120;
const VIDEO_KBPS = 500; // + 64 kbit/s of Opus: ~73 KB/s, 8.8 MB in all
const PIECE_LENGTH_EXP = 16; // 64 KiB: ~135 pieces
/**
 * ~1.8× the video's bitrate: it plays without stalling, yet the whole file takes ~65 s, over four
 * times what the checks up to the seek need (~15 s).
 */
const UPLOAD_LIMIT = 128 * 1024;
const SEEK_FRACTION = 0.75;
const PLAY_ENABLED_MS = 20_000;
const PLAYS_MS = 30_000;
const SEEK_PLAYING_MS = 8_000;
const SEEK_PIECES_STORED_MS = 5_000;

test('a video plays from a magnet while it downloads, seeks to 75 %, and saves whole at the end', async () => {
  const name = 'clip.webm';
  const video = await makeWebmVideo(join(await makeTempDir('e2e-media'), name), { seconds: VIDEO_SECONDS, videoKbps: VIDEO_KBPS });
  const bed = await setUpBed('streaming-video', singleMediaSwarm(video, name, { pieceLengthExp: PIECE_LENGTH_EXP, uploadLimitBytesPerSec: UPLOAD_LIMIT }));
  const { page } = bed.browser;
  const { torrent } = bed.swarm;
  const file = bed.swarm.files[0]!;
  const startedAt = Date.now();
  const elapsed = () => `${((Date.now() - startedAt) / 1000).toFixed(1)} s`;

  const { row } = await openAppAndPasteMagnet(page, bed.gateway.url, bed.swarm, file);
  const { media, progressAtPlay } = await playWhenEnabled(page, row, file, 'video', { infoHash: torrent.infoHash, fileIndex: 0 }, PLAY_ENABLED_MS);
  console.log(`streaming-video: Play enabled at ${progressAtPlay} % (${elapsed()})`);

  // It plays while most of the file is still missing.
  let progressAtPlaying: number | null = null;
  const playedTo = await waitForCurrentTime(media, 2, PLAYS_MS, async () => { progressAtPlaying = await progressOf(row); });
  console.log(`streaming-video: currentTime ${playedTo.toFixed(1)} s with the torrent at ${progressAtPlaying} % (${elapsed()})`);
  expect(progressAtPlaying, 'torrent progress (%) when the video passed 2 s').not.toBeNull();
  expect(progressAtPlaying!).toBeLessThan(50);

  // A seek far ahead plays again within seconds: the engine fetched what the reader waits for first.
  const seekMs = await seekAndTimePlaying(media, SEEK_FRACTION, SEEK_PLAYING_MS);
  const duration = await media.evaluate((el: HTMLMediaElement) => el.duration);
  expect(duration).toBeCloseTo(VIDEO_SECONDS, 0);
  const progressAtSeek = await progressOf(row);
  console.log(`streaming-video: playing again ${seekMs.toFixed(0)} ms after the seek to ${SEEK_FRACTION * 100} %, torrent at ${progressAtSeek} % (${elapsed()})`);
  await screenshot(page, 'streaming-video');

  // The pieces at the seek target are stored; the middle nobody read mostly is not.
  const keyframe = await keyframeBefore(video.path, SEEK_FRACTION * duration);
  const atSeek = piecesOfRange(keyframe.byteOffset, keyframe.byteOffset + 1, torrent.pieceLength);
  const middle = piecesOfRange(0.4 * torrent.totalLength, 0.6 * torrent.totalLength, torrent.pieceLength);
  let stored = new Set<number>();
  const deadline = Date.now() + SEEK_PIECES_STORED_MS;
  while (!atSeek.every((piece) => stored.has(piece)) && Date.now() < deadline) {
    stored = await storedPieces(page, torrent.infoHash);
    await page.waitForTimeout(200);
  }
  const middleStored = middle.filter((piece) => stored.has(piece)).length;
  console.log(`streaming-video: ${stored.size}/${torrent.pieceCount} pieces stored; seek target piece ${atSeek.join(',')} ` +
    `(keyframe ${keyframe.seconds.toFixed(2)} s at byte ${keyframe.byteOffset}); middle (40–60 %): ${middleStored}/${middle.length}`);
  expect(atSeek.filter((piece) => !stored.has(piece)), 'pieces of the seek target missing from IndexedDB').toEqual([]);
  expect(middleStored, 'pieces stored in the untouched middle (40–60 % of the file)').toBeLessThanOrEqual(middle.length * 0.25);
  expect(await playerError(page)).toBeNull();

  // The rest at full speed, then the saved file is the original.
  await bed.swarm.seeder.setRateLimits({ uploadBytesPerSec: 0 });
  await waitForComplete(row, 90_000);
  const saved = await saveFile(page, file);
  expect(saved.sha256).toBe(file.sha256);
  console.log(`streaming-video: complete and saved (${elapsed()})`);
});
