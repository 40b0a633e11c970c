// Whether this page can play and open files while they download: that takes the app's service
// worker (service-worker.ts) controlling the page. Browsers allow service workers on HTTPS and on
// localhost only; elsewhere files play once complete, from their stored pieces.

export interface StreamingStatus {
  ready: boolean;
  /** Why not, in words for the user. */
  reason?: string;
}

/** The service worker's URL: dist/sw.js in a build; the dev server maps it to the source (vite.config.ts). */
const SERVICE_WORKER_URL = '/sw.js';

const STARTING: StreamingStatus = { ready: false, reason: 'Getting ready to play and open files while they download…' };
let status = STARTING;
const listeners = new Set<() => void>();

export function streamingStatus(): StreamingStatus {
  return status;
}

export function onStreamingStatus(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function setStatus(next: StreamingStatus): void {
  status = next;
  for (const listener of listeners) listener();
}

/** Registers the service worker and follows whether it controls this page. */
export async function startStreaming(): Promise<void> {
  const container = (navigator as Partial<Navigator>).serviceWorker;
  if (!container || !isSecureContext) {
    return setStatus({ ready: false, reason: 'Playing while downloading needs HTTPS or localhost; files play once complete.' });
  }
  const follow = () => setStatus(container.controller ? { ready: true } : STARTING);
  container.addEventListener('controllerchange', follow);
  try {
    await container.register(SERVICE_WORKER_URL, { type: 'module', scope: '/' });
    follow();
  } catch (error) {
    setStatus({ ready: false, reason: `The browser refused the service worker that streams files (${(error as Error).message}); files play once complete.` });
  }
}
