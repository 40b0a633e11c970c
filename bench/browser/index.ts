// The browser figures of `npm run bench` (bench/run.ts calls runBrowserBench). Needs a network
// namespace with a default route (scripts/bench.sh provides it): Chromium gathers no WebRTC
// candidates otherwise. Every figure is the median of `runs` runs; a failed figure is null.
// Units: MB = 10^6 bytes.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureAppBuilt } from '../../test/e2e/support/app-build.ts';
import { startBenchServer } from './bench-server.ts';
import { benchAppDownloadOnce, type AppLink } from './app-download.ts';
import { benchChannelOnce } from './channel.ts';
import { benchStreamOnce, benchVideo, type StreamFigures } from './stream.ts';
import { benchTabCeilingOnce } from './tab-ceiling.ts';
import { benchWebTorrentTabOnce } from './webtorrent-tab.ts';

export interface BrowserBenchOptions {
  seedDir: string;
  fileName: string;
  torrentMiB: number;
  pieceLengthExp: number;
  runs: number;
  /** Per run; default: as long as 2 MB/s would take, at least 2 minutes. */
  timeoutMs?: number;
  log(line: string): void;
}

export interface BrowserFigures {
  channel_MBps: number | null;
  browser_MBps: number | null;
  browser_ws_MBps: number | null;
  /** A worker storing a WebSocket's 256 KiB messages in IndexedDB, 8 MiB per transaction (tab-ceiling.ts). */
  tab_ceiling_ws_MBps: number | null;
  /** WebTorrent's browser build downloading the torrent from WebTorrent in Node over WebRTC (webtorrent-tab.ts). */
  webtorrent_tab_MBps: number | null;
  /** Peak JS heap of the app's page (main thread) over both downloads, MB. */
  browser_heap_MB: number | null;
  /** Peak RSS of Chromium's renderer processes (page + worker) over both downloads, MB. */
  browser_renderer_rss_MB: number | null;
  /** A WebM from a full-speed libtorrent seeder: the magnet pasted → the video's first `playing` (stream.ts). */
  stream_first_frame_ms: number | null;
  /** The same video: a seek to 75 % → `playing` again (stream.ts). */
  stream_seek_ms: number | null;
}

export async function runBrowserBench(options: BrowserBenchOptions): Promise<BrowserFigures> {
  const { log } = options;
  if (!hasDefaultRoute()) {
    log('browser: skipped — no default route (run inside scripts/in-netns.sh, as npm run bench does)');
    return nullFigures();
  }
  const server = await startBenchServer();
  try {
    const bytes = options.torrentMiB * 2 ** 20;
    const timeoutMs = options.timeoutMs ?? Math.max(120_000, (bytes / 2e6) * 1000);
    const channel = await medianOf(options.runs, 'channel', log, (run) => benchChannelOnce(server, bytes, `channel-${run}`, timeoutMs));
    if (channel) log(`channel: ${channel.mbps.toFixed(1)} MB/s (${channel.bytes} bytes in ${channel.seconds.toFixed(2)} s, 64 KiB messages, Node → Chromium)`);
    const ceiling = await medianOf(options.runs, 'tab ceiling (WebSocket → IndexedDB)', log, (run) =>
      benchTabCeilingOnce(server, join(options.seedDir, options.fileName), bytes, `ceiling-${run}`, timeoutMs));
    if (ceiling) log(`tab ceiling (WebSocket → IndexedDB): ${ceiling.mbps.toFixed(1)} MB/s (${ceiling.bytes} bytes in ${ceiling.seconds.toFixed(2)} s, 256 KiB values, 8 MiB transactions; worker queue peak ${fmt(ceiling.peakQueuedMB)} MB)`);
    const app = async (link: AppLink, label: string) => {
      const figures = await medianOf(options.runs, label, log, () =>
        benchAppDownloadOnce({ server, seedDir: options.seedDir, fileName: options.fileName, pieceLengthExp: options.pieceLengthExp, link, timeoutMs }));
      if (figures) log(`${label}: ${figures.mbps.toFixed(1)} MB/s (${figures.bytes} bytes in ${figures.seconds.toFixed(2)} s; page heap ${fmt(figures.heapMB)} MB, renderer RSS ${fmt(figures.rendererRssMB)} MB, gateway RSS ${fmt(figures.gatewayRssMB)} MB)`);
      return figures;
    };
    // The gateway serves dist/: build it if it is missing or older than the app's sources.
    const built = await ensureAppBuilt().then(() => true, (err: Error) => (log(`browser: ${err.message}`), false));
    const webrtc = built ? await app('webrtc', 'browser (WebRTC link)') : null;
    const websocket = built ? await app('websocket', 'browser (WebSocket link)') : null;
    // WebTorrent in the tab ran at 1.6 MB/s here: give it as long as 0.5 MB/s would take.
    const webtorrentTimeoutMs = Math.max(timeoutMs, (bytes / 0.5e6) * 1000);
    const webtorrent = await medianOf(options.runs, 'webtorrent (tab)', log, () =>
      benchWebTorrentTabOnce({ server, seedDir: options.seedDir, fileName: options.fileName, pieceLengthExp: options.pieceLengthExp, timeoutMs: webtorrentTimeoutMs }));
    if (webtorrent) log(`webtorrent (tab, WebRTC from WebTorrent in Node): ${webtorrent.mbps.toFixed(1)} MB/s (${webtorrent.bytes} bytes in ${webtorrent.seconds.toFixed(2)} s from the add, first byte after ${fmt(webtorrent.firstByteSeconds, 2)} s; page heap ${fmt(webtorrent.heapMB)} MB)`);
    const stream = built ? await streamFigures(options, timeoutMs) : null;
    return {
      channel_MBps: round(channel?.mbps),
      browser_MBps: round(webrtc?.mbps),
      browser_ws_MBps: round(websocket?.mbps),
      tab_ceiling_ws_MBps: round(ceiling?.mbps),
      webtorrent_tab_MBps: round(webtorrent?.mbps),
      browser_heap_MB: round(maxOf(webrtc?.heapMB, websocket?.heapMB), 1),
      browser_renderer_rss_MB: round(maxOf(webrtc?.rendererRssMB, websocket?.rendererRssMB), 1),
      stream_first_frame_ms: round(stream?.firstFrameMs, 0),
      stream_seek_ms: round(stream?.seekMs, 0),
    };
  } finally {
    await server.close();
  }
}

/** runBrowserBench that never throws (null figures on failure); BENCH_BROWSER=0 skips it. */
export async function browserFigures(options: BrowserBenchOptions): Promise<BrowserFigures> {
  if (process.env.BENCH_BROWSER === '0') {
    options.log('browser: skipped (BENCH_BROWSER=0)');
    return nullFigures();
  }
  try {
    return await runBrowserBench(options);
  } catch (err) {
    options.log(`browser: failed: ${(err as Error).message}`);
    return nullFigures();
  }
}

export function nullFigures(): BrowserFigures {
  return {
    channel_MBps: null,
    browser_MBps: null,
    browser_ws_MBps: null,
    tab_ceiling_ws_MBps: null,
    webtorrent_tab_MBps: null,
    browser_heap_MB: null,
    browser_renderer_rss_MB: null,
    stream_first_frame_ms: null,
    stream_seek_ms: null,
  };
}

/** Each streaming figure is the median of its own over the runs (WebRTC link, default piece length). */
async function streamFigures(options: BrowserBenchOptions, timeoutMs: number): Promise<Pick<StreamFigures, 'firstFrameMs' | 'seekMs'> | null> {
  const { log } = options;
  const video = await benchVideo(options.seedDir).catch((err: Error) => (log(`stream: no video: ${err.message}`), null));
  if (!video) return null;
  const runs = await seriesOf(options.runs, 'stream', log, () => benchStreamOnce({ video, pieceLengthExp: options.pieceLengthExp, timeoutMs }));
  if (!runs) return null;
  const firstFrameMs = medianBy(runs, (run) => run.firstFrameMs).firstFrameMs;
  const seekMs = medianBy(runs, (run) => run.seekMs).seekMs;
  const details = runs.map((run) => `${run.firstFrameMs.toFixed(0)}/${run.seekMs.toFixed(0)} ms (Play pressed after ${run.playPressedMs.toFixed(0)} ms ` +
    `at ${run.progressAtPlay} %, seek target ${run.seekTargetStored ? 'already stored' : 'not yet stored'})`).join('; ');
  log(`stream: first frame ${firstFrameMs.toFixed(0)} ms after the magnet was pasted, playing again ${seekMs.toFixed(0)} ms after a seek to 75 % ` +
    `(${video.bytes} bytes of WebM, ${video.seconds} s; runs first/seek: ${details})`);
  return { firstFrameMs, seekMs };
}

async function medianOf<T extends { mbps: number }>(runs: number, name: string, log: (line: string) => void, once: (run: number) => Promise<T>): Promise<T | null> {
  const results = await seriesOf(runs, name, log, once);
  return results && medianBy(results, (result) => result.mbps);
}

/** Every run's result, or null (logged) at the first failure. */
async function seriesOf<T>(runs: number, name: string, log: (line: string) => void, once: (run: number) => Promise<T>): Promise<T[] | null> {
  const results: T[] = [];
  for (let run = 0; run < runs; run++) {
    try {
      results.push(await once(run));
    } catch (err) {
      log(`${name}: failed: ${(err as Error).message}`);
      return null;
    }
  }
  return results.length > 0 ? results : null;
}

/** The median result by `key` (the lower middle one of an even count). */
function medianBy<T>(results: readonly T[], key: (result: T) => number): T {
  const sorted = [...results].sort((a, b) => key(a) - key(b));
  return sorted[Math.floor((sorted.length - 1) / 2)]!;
}

function hasDefaultRoute(): boolean {
  return hasDefaultRouteIn(readRoutes());
}

function readRoutes(): string {
  try {
    return readFileSync('/proc/net/route', 'utf8');
  } catch {
    return '';
  }
}

function hasDefaultRouteIn(table: string): boolean {
  return table.trim().split('\n').slice(1).some((line) => line.split(/\s+/)[1] === '00000000');
}

function maxOf(...values: Array<number | null | undefined>): number | null {
  const known = values.filter((v): v is number => typeof v === 'number');
  return known.length ? Math.max(...known) : null;
}

function round(value: number | null | undefined, digits = 2): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? Number(value.toFixed(digits)) : null;
}

function fmt(value: number | null, digits = 0): string {
  return value === null ? '?' : value.toFixed(digits);
}
