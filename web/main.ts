// The tab's entry point: starts the engine worker, connects it to the gateway that served this
// page, and mounts the UI. The gateway knows this page by its sign-in cookie: the page never sees
// the access token.
import { LinkManager } from './bridge/link-manager.ts';
import { forgetLegacyToken, linkPreference, saveLinkPreference, signInState } from './settings.ts';
import { EngineClient } from './ui/engine-client.ts';
import { startBenchHook } from './bench-hook.ts';
import './ui/tt-app.ts';
import type { LinkPreference, WorkerEvent } from './worker/protocol.ts';

const worker = new Worker(new URL('./worker/worker-main.ts', import.meta.url), { type: 'module', name: 'engine' });
const client = new EngineClient(worker);
const transferChannels = new URLSearchParams(location.search).get('transfer') !== '0';
const links = new LinkManager(worker, location.origin, linkPreference(location), transferChannels);
forgetLegacyToken();

window.addEventListener('link-preference-change', (event) => {
  const preference = (event as CustomEvent<LinkPreference>).detail;
  saveLinkPreference(preference);
  links.setPreference(preference);
});

const app = Object.assign(document.createElement('tt-app'), { client, signedIn: true, linkPreference: linkPreference(location) });
document.body.append(app);
void signInState(location.origin).then((state) => {
  app.signedIn = state !== 'signed-out';
  if (state !== 'signed-out') links.start();
});
// A lost link may mean the gateway forgot us (its token changed): then stop knocking and say so.
worker.addEventListener('message', (event: MessageEvent<WorkerEvent>) => {
  if (event.data.type !== 'link-lost') return;
  void signInState(location.origin).then((state) => {
    if (state !== 'signed-out') return;
    app.signedIn = false;
    links.stop();
  });
});
startBenchHook(client, worker, location);

// Ask the browser not to evict downloaded pieces under storage pressure (Window-only API).
void navigator.storage?.persist?.().catch(() => false);
