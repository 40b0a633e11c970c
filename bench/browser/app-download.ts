// browser_MBps / browser_ws_MBps / browser_heap_MB: the real app, in a Chromium we spawn ourselves,
// downloading the bench torrent from a libtorrent seeder through a real gateway, over either link.
//
// The app is opened at the gateway with the bench convention (implemented by the app):
//   <gateway>/?token=T&link=webrtc|websocket#add=<url-encoded .torrent URL>&bench=1
// (the gateway turns the token into a cookie and redirects; the fragment stays). `add` makes the
// app add that torrent at start; with `bench` present it logs one JSON report to its console,
// which Chromium's log carries to us (web/bench-hook.ts):
//   {event:'complete', seconds, bytes, heapMB, link} when every piece is verified and stored — seconds
//     from the add to completion, bytes the torrent's length, heapMB the peak performance.memory
//     .usedJSHeapSize (10^6 bytes) the page sampled, link the link kind actually used,
//   {event:'error', message} if the torrent fails.
// A figure whose report names another link than asked (an automatic fallback) is refused.
import { join } from 'node:path';
import { startGatewayProcess } from '../../test/helpers/gateway-process.ts';
import { startLibtorrentSeeder } from '../../test/helpers/libtorrent.ts';
import { makeTorrent } from '../../test/helpers/make-torrent.ts';
import { makeTempDir, removeTempDir } from '../../test/helpers/temp.ts';
import { startTracker } from '../../test/helpers/tracker.ts';
import type { BenchServer } from './bench-server.ts';
import { launchChromium } from './chromium.ts';


export type AppLink = 'webrtc' | 'websocket';

export interface AppDownloadOptions {
  server: BenchServer;
  /** Directory holding the data file, and its name. */
  seedDir: string;
  fileName: string;
  pieceLengthExp: number;
  link: AppLink;
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
export function benchAppUrl(gatewayUrl: string, link: AppLink, torrentUrl: string): string {
  const url = new URL(gatewayUrl);
  url.searchParams.set('link', link);
  url.hash = `add=${encodeURIComponent(torrentUrl)}&bench=1`;
  return url.toString();
}

export async function benchAppDownloadOnce(options: AppDownloadOptions): Promise<AppDownloadFigures> {
  const { server } = options;
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
    const chromium = await launchChromium(benchAppUrl(gateway.url, options.link, server.serveFile(torrent.torrentPath)));
    stops.unshift(() => chromium.stop());

    const report = await Promise.race([
      chromium.waitForReport(['complete'], options.timeoutMs),
      chromium.process.exited.then((exit) => Promise.reject(new Error(`chromium exited (${exit.code ?? exit.signal}) before the download completed`))),
    ]).catch((err: Error) => {
      throw new Error(`${err.message}\npage console (tail):\n${chromium.consoleTail()}`);
    });
    if (typeof report.link === 'string' && report.link !== options.link) {
      throw new Error(`asked for the ${options.link} link, the app finished on ${report.link} (a fallback?): ${JSON.stringify(report)}\n` +
        `page console (tail):\n${chromium.consoleTail()}`);
    }
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
