// The app's service worker: serves the files of the torrents in this profile at
// /stream/<info-hash>/<file index>/<name> (stream-url.ts), reading them from the engine of
// whichever tab runs it, while they download. Everything else goes to the network as usual.
/// <reference lib="webworker" />
import { EnginePort } from './engine-port.ts';
import { fileResponse } from './file-response.ts';
import { STREAM_PORT_OFFER, STREAM_PORT_WANTED } from './stream-messages.ts';
import { parseStreamPath } from './stream-url.ts';

declare const self: ServiceWorkerGlobalScope;

const engine = new EnginePort(() => {
  void self.clients.matchAll({ type: 'window', includeUncontrolled: true }).then((windows) => {
    for (const window of windows) window.postMessage({ type: STREAM_PORT_WANTED });
  });
});

// A new version takes over at once: the page needs no second reload to stream.
self.addEventListener('install', () => void self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));

self.addEventListener('message', (event) => {
  const data = event.data as { type?: unknown } | null;
  const port = event.ports[0];
  if (data?.type === STREAM_PORT_OFFER && port) engine.offer(port);
});

self.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  if (url.origin !== self.location.origin) return;
  const target = parseStreamPath(url.pathname);
  if (target) event.respondWith(fileResponse(event.request, target, engine));
});
