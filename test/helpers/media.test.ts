// Self-tests of the media helpers: ffprobe sees the streams and durations asked for, the same
// options give the same bytes, and a WebM's seek index sits in front of its clusters.
import { describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sha256File } from './data-files.ts';
import { keyframeBefore, makeAudio, makeImage, makeWebmVideo, probeMedia } from './media.ts';
import { makeTempDir } from './temp.ts';

// EBML element ids (Matroska): Cues, the seek index, and Cluster, the media data.
const CUES_ID = Buffer.from('1c53bb6b', 'hex');
const CLUSTER_ID = Buffer.from('1f43b675', 'hex');

describe('media', () => {
  it('makes a WebM of VP8 + Opus with the duration asked, cues in front and a keyframe every second', async () => {
    const dir = await makeTempDir('media');
    const video = await makeWebmVideo(join(dir, 'clip.webm'), { seconds: 6 });
    const probed = await probeMedia(video.path);
    expect(probed.seconds).toBeCloseTo(6, 1);
    expect(probed.streams).toEqual([
      { codec: 'vp8', type: 'video', width: 320, height: 240 },
      { codec: 'opus', type: 'audio', width: undefined, height: undefined },
    ]);
    // ~700 kbit/s of video and 64 of audio: ~95 KB a second.
    expect(video.bytes / 6).toBeGreaterThan(60_000);
    expect(video.bytes / 6).toBeLessThan(140_000);
    const bytes = await readFile(video.path);
    expect(bytes.indexOf(CUES_ID)).toBeGreaterThan(0);
    expect(bytes.indexOf(CUES_ID)).toBeLessThan(bytes.indexOf(CLUSTER_ID));

    const keyframe = await keyframeBefore(video.path, 4.5);
    expect(keyframe.seconds).toBeGreaterThan(3.4);
    expect(keyframe.seconds).toBeLessThanOrEqual(4.5);
    expect(keyframe.byteOffset).toBeGreaterThan(bytes.length / 2);
    expect(keyframe.byteOffset).toBeLessThan(bytes.length);

    const again = await makeWebmVideo(join(dir, 'again.webm'), { seconds: 6 });
    expect(await sha256File(again.path)).toBe(await sha256File(video.path));
  });

  it('makes Opus in Ogg and MP3 audio of the duration asked', async () => {
    const dir = await makeTempDir('media');
    const opus = await makeAudio(join(dir, 'tone.opus'), { seconds: 10 });
    expect(await probeMedia(opus.path)).toMatchObject({ streams: [{ codec: 'opus', type: 'audio' }] });
    expect((await probeMedia(opus.path)).seconds).toBeCloseTo(10, 1);
    expect(opus.bytes).toBeGreaterThan(70_000); // 64 kbit/s, constant

    const mp3 = await makeAudio(join(dir, 'tone.mp3'), { seconds: 10 });
    expect(await probeMedia(mp3.path)).toMatchObject({ streams: [{ codec: 'mp3', type: 'audio' }] });
    expect((await probeMedia(mp3.path)).seconds).toBeCloseTo(10, 0);
    await expect(makeAudio(join(dir, 'tone.wav'), { seconds: 1 })).rejects.toThrow(/use \.opus/);
  });

  it('makes a PNG of noise a few hundred KB large', async () => {
    const dir = await makeTempDir('media');
    const image = await makeImage(join(dir, 'noise.png'));
    expect((await probeMedia(image.path)).streams).toEqual([{ codec: 'png', type: 'video', width: 512, height: 384 }]);
    expect(image.bytes).toBeGreaterThan(300_000);
    expect(image.bytes).toBeLessThan(1_000_000);
  });
});
