// The page's half of the `stopped` announce on tab close. A worker gets no unload event of its own,
// so on `pagehide` the page tells it; the engine then stops every torrent at once. A closing page
// takes its RTCPeerConnection down with it, and with it the worker's data channel and whatever is
// still queued there: measured in Chromium, the announces got out about one close in three. So the
// page holds its unload, briefly, until the worker says its last frames have left (a flag in shared
// memory: the main thread may not block in Atomics.wait, it spins). Without cross-origin isolation
// there is no shared memory: the page only tells the worker, best effort.
import type { WorkerPageMessage } from './worker/protocol.ts';

/** The longest a closing tab waits for the worker: it must never feel slow to close. */
export const PAGE_HIDE_HOLD_MS = 250;

export function tellWorkerPageHides(worker: Worker, holdMs = PAGE_HIDE_HOLD_MS): void {
  if (typeof SharedArrayBuffer !== 'function' || !globalThis.crossOriginIsolated) {
    worker.postMessage({ type: 'page-hide' } satisfies WorkerPageMessage);
    return;
  }
  const sent = new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT));
  worker.postMessage({ type: 'page-hide', sent } satisfies WorkerPageMessage);
  const deadline = performance.now() + holdMs;
  while (Atomics.load(sent, 0) === 0 && performance.now() < deadline) {
    // spin: the worker sets the flag from its own thread
  }
}
