// stream_first_frame_ms / stream_seek_ms: watching while it downloads, in the real app. A WebM
// (test/helpers/media.ts) is seeded by libtorrent at full speed on loopback through a tracker; the
// app pastes its magnet, opens the details, presses Play as soon as it is enabled, and we time
//   first frame: the magnet pasted → the <video>'s first `playing` event,
//   seek:        currentTime = 75 % of the duration → playing again,
// both on the page's clock. The page is driven like the e2e tests (test/e2e/support/stream-flow.ts)
// through Playwright: these are latencies over the WebRTC link, which Playwright's DevTools tap of
// WebSocket frames does not touch (the throughput figures spawn Chromium themselves: chromium.ts).
import { existsSync } from 'node:fs';
import { mkdir, rename, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { keyframeBefore, makeWebmVideo, type MadeMedia } from '../../test/helpers/media.ts';
import { launchBrowser } from '../../test/e2e/support/browser.ts';
import { recordPlayingEvents, seekAndTimePlaying, storedPieces, waitForPlayingEvent } from '../../test/e2e/support/media-element.ts';
import { singleMediaSwarm } from '../../test/e2e/support/media-swarm.ts';
import { openAppAndPasteMagnet, playWhenEnabled } from '../../test/e2e/support/stream-flow.ts';
import { startGateway, startSwarm } from '../../test/e2e/support/swarm.ts';

/** ~46 MB: large enough that the 75 % mark is often not here yet when the seek comes. */
const VIDEO = { seconds: 120, videoKbps: 3000, width: 640, height: 360 };
const SEEK_FRACTION = 0.75;
const NAME = 'bench-stream.webm';
/** Flags of the throughput bench's own Chromium (chromium.ts) that matter for timing. */
const TIMING_FLAGS = ['--disable-renderer-backgrounding', '--disable-background-timer-throttling'];

export interface StreamFigures {
  firstFrameMs: number;
  /** Of firstFrameMs: from the paste to pressing Play (metadata, the details, the button enabled). */
  playPressedMs: number;
  seekMs: number;
  /** The torrent's progress (%) when Play became enabled. */
  progressAtPlay: number;
  /** Whether the piece the seek decodes from was already stored when the seek began. */
  seekTargetStored: boolean;
}

export interface StreamBenchOptions {
  video: MadeMedia;
  pieceLengthExp: number;
  timeoutMs: number;
}

/** The bench's video, made once into `dir` (the content is deterministic, so reuse is safe). */
export async function benchVideo(dir: string): Promise<MadeMedia> {
  const path = join(dir, `bench-stream-${VIDEO.width}x${VIDEO.height}-${VIDEO.seconds}s-${VIDEO.videoKbps}k.webm`);
  if (!existsSync(path)) {
    await mkdir(dir, { recursive: true });
    const partial = `${path}.partial.webm`;
    await makeWebmVideo(partial, VIDEO);
    await rename(partial, path);
  }
  return { path, bytes: (await stat(path)).size, seconds: VIDEO.seconds };
}

export async function benchStreamOnce(options: StreamBenchOptions): Promise<StreamFigures> {
  const { video, timeoutMs } = options;
  const swarm = await startSwarm(singleMediaSwarm(video, NAME, { pieceLengthExp: options.pieceLengthExp }));
  const stops: Array<() => Promise<void>> = [() => swarm.stop()];
  try {
    const gateway = await startGateway();
    stops.unshift(() => gateway.stop());
    const browser = await launchBrowser({ extraArgs: TIMING_FLAGS });
    stops.unshift(() => browser.close());
    const { page } = browser;
    const { torrent } = swarm;
    const file = swarm.files[0]!;
    await recordPlayingEvents(page);
    const { row, pastedAt } = await openAppAndPasteMagnet(page, gateway.url, swarm, file);
    const { media, progressAtPlay, pressedAt } = await playWhenEnabled(page, row, file, 'video', { infoHash: torrent.infoHash, fileIndex: 0 }, timeoutMs);
    const firstPlayingAt = await waitForPlayingEvent(page, pastedAt, timeoutMs);

    const keyframe = await keyframeBefore(video.path, SEEK_FRACTION * video.seconds);
    const seekTargetStored = (await storedPieces(page, torrent.infoHash)).has(Math.floor(keyframe.byteOffset / torrent.pieceLength));
    const seekMs = await seekAndTimePlaying(media, SEEK_FRACTION, timeoutMs);
    return { firstFrameMs: firstPlayingAt - pastedAt, playPressedMs: pressedAt - pastedAt, seekMs, progressAtPlay, seekTargetStored };
  } finally {
    for (const stop of stops) await stop().catch(() => {});
  }
}
