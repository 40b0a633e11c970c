// webtorrent_tab_MBps: what a person would use instead of TabTorrent today. WebTorrent's own browser
// build (node_modules/webtorrent/dist/webtorrent.min.js, served as is), in the same Chromium,
// downloads the bench torrent by magnet from WebTorrent in Node over WebRTC, the two finding each
// other through a local bittorrent-tracker WebSocket tracker. WebTorrent is in the bench only, as an
// independent client. Nothing reaches out: the magnet names only the local tracker, no DHT, no LSD,
// no NAT traversal, no web seeds, and both sides' RTCPeerConnections get `iceServers: []` (the Node
// side binds to 127.0.0.1, as node-datachannel offers no loopback candidate otherwise — DESIGN.md).
// WebTorrent's WebSocket tracker client makes its RTCPeerConnections with trickle off, and
// node-datachannel never says that gathering is complete, so the Node side sends each offer and answer
// only after simple-peer's 5-second timeout. Two consequences: Chromium is launched only once the
// seeder's first announce (with its offers) has reached the tracker, or both sides would each keep a
// different one of two crossing connections and drop the other as a duplicate; and the figure is timed
// from the first downloaded byte to WebTorrent's 'done' (every piece verified and stored in its
// default browser store), so those seconds of set-up are not counted against the transfer (the log
// shows them). The app's figure is timed from its add, set-up included: the comparison favours WebTorrent.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import Server from 'bittorrent-tracker/server';
import WebTorrent from 'webtorrent';
import { makeTorrent } from '../../test/helpers/make-torrent.ts';
import { makeTempDir, removeTempDir } from '../../test/helpers/temp.ts';
import type { BenchServer } from './bench-server.ts';
import { launchChromium } from './chromium.ts';

const SEED_READY_TIMEOUT_MS = 60_000;

export interface WebTorrentFigures {
  mbps: number;
  seconds: number;
  bytes: number;
  /** Seconds from the add to the first downloaded byte (metadata and connection set-up). */
  firstByteSeconds: number;
  heapMB: number | null;
}

export interface WebTorrentTabOptions {
  server: BenchServer;
  seedDir: string;
  fileName: string;
  pieceLengthExp: number;
  timeoutMs: number;
}

/** The browser build WebTorrent ships. */
export function webTorrentBrowserBuild(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('webtorrent/package.json')), 'dist', 'webtorrent.min.js');
}

export async function benchWebTorrentTabOnce(options: WebTorrentTabOptions): Promise<WebTorrentFigures> {
  const { server } = options;
  const stops: Array<() => Promise<void>> = [];
  try {
    const tracker = await startWsTracker();
    stops.unshift(tracker.close);
    const workDir = await makeTempDir('bench-webtorrent');
    stops.unshift(() => removeTempDir(workDir));
    const torrent = await makeTorrent({
      sourcePath: join(options.seedDir, options.fileName),
      outFile: join(workDir, `${options.fileName}.torrent`),
      pieceLengthExp: options.pieceLengthExp,
      trackers: [tracker.url],
    });
    const seeder = await startSeeder(await readFile(torrent.torrentPath), options.seedDir);
    stops.unshift(seeder.stop);
    await tracker.announced(seeder.infoHash, SEED_READY_TIMEOUT_MS);

    const magnet = `magnet:?xt=urn:btih:${seeder.infoHash}&dn=${encodeURIComponent(options.fileName)}&tr=${encodeURIComponent(tracker.url)}`;
    const id = `webtorrent-${seeder.infoHash}-${Date.now()}`;
    const page = new URL(`${server.origin}/webtorrent.html`);
    page.searchParams.set('lib', server.serveFile(webTorrentBrowserBuild()));
    page.searchParams.set('magnet', magnet);
    page.searchParams.set('report', server.reportUrl(id));
    const chromium = await launchChromium(page.toString());
    stops.unshift(() => chromium.stop());
    const report = await server.waitForReport(id, ['done'], options.timeoutMs).catch((err: Error) => {
      throw new Error(`${err.message}; seeder peers ${seeder.peers()}, uploaded ${seeder.uploaded()} bytes; page console (tail):\n${chromium.consoleTail()}`);
    });
    const seconds = Number(report.seconds) - Number(report.firstByteSeconds);
    const bytes = Number(report.bytes);
    if (!(seconds > 0) || bytes !== torrent.totalLength) throw new Error(`bad report ${JSON.stringify(report)} (torrent is ${torrent.totalLength} bytes)`);
    if (Array.isArray(report.announce) && report.announce.some((url) => url !== tracker.url)) {
      throw new Error(`WebTorrent announced to other trackers than the local one: ${JSON.stringify(report.announce)}`);
    }
    return {
      mbps: bytes / seconds / 1e6,
      seconds,
      bytes,
      firstByteSeconds: Number(report.firstByteSeconds),
      heapMB: typeof report.heapMB === 'number' ? report.heapMB : null,
    };
  } finally {
    for (const stop of stops) await stop().catch(() => {});
  }
}

interface WsTracker {
  url: string;
  /** Resolves once a 'started' announce for the info-hash (hex) has been answered. */
  announced(infoHashHex: string, timeoutMs: number): Promise<void>;
  close(): Promise<void>;
}

/** bittorrent-tracker's WebSocket tracker alone (no HTTP or UDP announces) on 127.0.0.1. */
async function startWsTracker(): Promise<WsTracker> {
  const tracker = new Server({ http: false, udp: false, ws: true, stats: false });
  tracker.on('warning', () => {});
  const started = new Set<string>();
  tracker.on('start', (_addr: string, params: { info_hash: string }) => {
    started.add(params.info_hash);
    tracker.emit('tabtorrent-started');
  });
  const announced = (infoHashHex: string, timeoutMs: number) =>
    new Promise<void>((resolve, reject) => {
      const check = () => {
        if (!started.has(infoHashHex)) return;
        clearTimeout(timer);
        tracker.off('tabtorrent-started', check);
        resolve();
      };
      const timer = setTimeout(() => {
        tracker.off('tabtorrent-started', check);
        reject(new Error(`the seeder's announce did not reach the WebSocket tracker within ${timeoutMs} ms`));
      }, timeoutMs);
      tracker.on('tabtorrent-started', check);
      check();
    });
  await new Promise<void>((resolve, reject) => {
    tracker.once('error', reject);
    tracker.listen(0, '127.0.0.1', () => resolve());
  });
  tracker.on('error', (err: Error) => process.stderr.write(`ws tracker error: ${err.message}\n`));
  const { port } = tracker.http!.address() as AddressInfo;
  return { url: `ws://127.0.0.1:${port}`, announced, close: () => new Promise<void>((resolve) => tracker.close(() => resolve())) };
}

interface Seeder {
  infoHash: string;
  peers(): number;
  uploaded(): number;
  stop(): Promise<void>;
}

/** WebTorrent in Node seeding the data file in place (skipVerify: the file is the torrent's source). */
async function startSeeder(torrentFile: Buffer, seedDir: string): Promise<Seeder> {
  const client = new WebTorrent({
    dht: false,
    lsd: false,
    natUpnp: false,
    natPmp: false,
    utp: false,
    webSeeds: false,
    tracker: { rtcConfig: { iceServers: [], bindAddress: '127.0.0.1' } },
  });
  const stop = () => new Promise<void>((resolve) => client.destroy(() => resolve()));
  try {
    const torrent = await new Promise<ReturnType<WebTorrent['add']>>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('WebTorrent in Node did not become a seeder in time')), SEED_READY_TIMEOUT_MS);
      client.once('error', reject);
      const added = client.add(torrentFile, { path: seedDir, skipVerify: true });
      added.once('error', reject);
      const ready = () => {
        clearTimeout(timer);
        resolve(added);
      };
      if (added.done) ready();
      else added.once('done', ready);
    });
    return { infoHash: torrent.infoHash, peers: () => torrent.numPeers, uploaded: () => torrent.uploaded, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
