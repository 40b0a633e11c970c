// browser_MBps / browser_ws_MBps / browser_heap_MB: the real app, in a Chromium we spawn ourselves,
// downloading the bench torrent from a libtorrent seeder through a real gateway, over either link.
//
// The app is opened at the gateway with the bench convention (implemented by the app):
//   <gateway>/?token=T&link=webrtc|websocket#add=<url-encoded .torrent URL>&bench=<url-encoded report URL>
// `add` makes the app add that torrent at start; with `bench` present it POSTs JSON to that URL:
//   {event:'added'} once the torrent is in the list (optional, lets us fail fast),
//   {event:'complete', seconds, bytes, heapMB} when every piece is verified and stored — seconds from
//     the add to completion, bytes the torrent's length, heapMB the peak performance.memory
//     .usedJSHeapSize (10^6 bytes) the page sampled,
//   {event:'error', message} if the torrent fails.
import { join } from 'node:path';
import { startGatewayProcess } from '../../test/helpers/gateway-process.ts';
import { startLibtorrentSeeder } from '../../test/helpers/libtorrent.ts';
import { makeTorrent } from '../../test/helpers/make-torrent.ts';
import { makeTempDir, removeTempDir } from '../../test/helpers/temp.ts';
import { startTracker } from '../../test/helpers/tracker.ts';
import type { BenchServer } from './bench-server.ts';
import { launchChromium } from './chromium.ts';

/** Without a first report by then, the app does not speak the bench convention (or did not load). */
const FIRST_REPORT_TIMEOUT_MS = 60_000;

export type AppLink = 'webrtc' | 'websocket';

export interface AppDownloadOptions {
  server: BenchServer;
  /** Directory holding the data file, and its name. */
  seedDir: string;
  fileName: string;
  pieceLengthExp: number;
  link: AppLink;
  id: string;
  timeoutMs: number;
}

export interface AppDownloadFigures {
  mbps: number;
  seconds: number;
  bytes: number;
  heapMB: number | null;
  rendererRssMB: number | null;
  gatewayRssMB: number | null;
}

/** The page URL of the bench convention above. */
export function benchAppUrl(gatewayUrl: string, link: AppLink, torrentUrl: string, reportUrl: string): string {
  const url = new URL(gatewayUrl);
  url.searchParams.set('link', link);
  url.hash = `add=${encodeURIComponent(torrentUrl)}&bench=${encodeURIComponent(reportUrl)}`;
  return url.toString();
}

export async function benchAppDownloadOnce(options: AppDownloadOptions): Promise<AppDownloadFigures> {
  const { server, id } = options;
  const workDir = await makeTempDir('bench-browser');
  const tracker = await startTracker();
  const stops: Array<() => Promise<void>> = [() => tracker.close(), () => removeTempDir(workDir)];
  try {
    const torrent = await makeTorrent({
      sourcePath: join(options.seedDir, options.fileName),
      outFile: join(workDir, `${options.fileName}.torrent`),
      pieceLengthExp: options.pieceLengthExp,
      trackers: [tracker.httpAnnounceUrl],
    });
    const seeder = await startLibtorrentSeeder({ torrentPath: torrent.torrentPath, dataDir: options.seedDir, seedMode: true, tcpOnly: true });
    stops.unshift(() => seeder.stop());
    const gateway = await startGatewayProcess({ allowPrivate: true });
    stops.unshift(() => gateway.stop());
    const chromium = await launchChromium(benchAppUrl(gateway.url, options.link, server.serveFile(torrent.torrentPath), server.reportUrl(id)));
    stops.unshift(() => chromium.stop());

    const ack = ['added', 'progress', 'complete'];
    await server.waitForReport(id, ack, FIRST_REPORT_TIMEOUT_MS).catch((err: Error) => {
      throw new Error(`${err.message} — does the app implement #add=…&bench=… (see bench/browser/app-download.ts)?`);
    });
    const report = await server.waitForReport(id, ['complete'], options.timeoutMs);
    const seconds = Number(report.seconds);
    const bytes = Number(report.bytes);
    if (!(seconds > 0) || bytes !== torrent.totalLength) {
      throw new Error(`bad complete report ${JSON.stringify(report)} (torrent is ${torrent.totalLength} bytes)`);
    }
    return {
      mbps: bytes / seconds / 1e6,
      seconds,
      bytes,
      heapMB: typeof report.heapMB === 'number' ? report.heapMB : null,
      rendererRssMB: chromium.rendererPeakRssMB(),
      gatewayRssMB: gateway.peakRssMB(),
    };
  } finally {
    for (const stop of stops) await stop().catch(() => {});
  }
}
