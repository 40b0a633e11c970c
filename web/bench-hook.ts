// Deep links and the benchmark hook, read from the URL fragment:
//   #magnet:?xt=urn:btih:…                      adds that magnet once the gateway link is up
//   #add=<url-encoded .torrent URL or magnet>   adds that torrent once the gateway link is up
//   &bench=1                                    logs `TABTORRENT_BENCH_REPORT {event:'complete',
//                                               seconds, bytes, heapMB, link}` when it finishes
// The benchmark launches Chromium without a driver attached and reads the page's console from
// Chromium's log: the page's Content-Security-Policy lets it talk to no other origin.
import type { EngineClient } from './ui/engine-client.ts';

/** What the hook needs of the client: adding, and its model of the torrents (merged from `state`). */
type BenchClient = Pick<EngineClient, 'addTorrentUrl' | 'subscribe' | 'state'>;

const HEAP_SAMPLE_MS = 250;
export const BENCH_REPORT_PREFIX = 'TABTORRENT_BENCH_REPORT ';

export function startBenchHook(client: BenchClient, location: Location): void {
  const params = new URLSearchParams(location.hash.slice(1));
  // A bare magnet deep link (https://gateway/#magnet:?xt=urn:btih:…) adds that magnet.
  const add = location.hash.startsWith('#magnet:') ? location.hash.slice(1) : params.get('add');
  if (!add) return;
  const reporting = params.has('bench');
  let added = false;
  let startedAt = 0;
  let peakHeapBytes = 0;
  const heapTimer = setInterval(() => void sampleHeap().then((bytes) => { peakHeapBytes = Math.max(peakHeapBytes, bytes); }), HEAP_SAMPLE_MS);
  const unsubscribe = client.subscribe(() => {
    const state = client.state;
    if (!state) return;
    if (!added && state.link.state === 'connected') {
      added = true;
      startedAt = performance.now();
      client.addTorrentUrl(add).catch((error: Error) => { if (reporting) report({ event: 'error', message: error.message }); });
    }
    const done = state.torrents.find((t) => t.progress >= 1 && t.totalBytes > 0);
    if (added && done && reporting) {
      unsubscribe();
      clearInterval(heapTimer);
      const seconds = (performance.now() - startedAt) / 1000;
      report({ event: 'complete', seconds, bytes: done.totalBytes, heapMB: peakHeapBytes / 1e6, link: state.link.kind });
    }
  });
}

let measuring = false;

/**
 * JS memory of the page and its workers (the engine lives in a worker). Needs cross-origin
 * isolation, which the gateway provides; else only the main thread's heap is known.
 */
async function sampleHeap(): Promise<number> {
  const measure = (performance as unknown as { measureUserAgentSpecificMemory?: () => Promise<{ bytes: number }> }).measureUserAgentSpecificMemory;
  if (measure && self.crossOriginIsolated && !measuring) {
    measuring = true;
    try { return (await measure.call(performance)).bytes; } catch { /* fall through */ } finally { measuring = false; }
  }
  return (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? 0;
}

function report(body: Record<string, unknown>): void {
  console.info(BENCH_REPORT_PREFIX + JSON.stringify(body));
}
