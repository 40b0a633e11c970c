// The tab's entry point: starts the engine worker, connects it to the gateway that served this
// page, and mounts the UI.
import { LinkManager } from './bridge/link-manager.ts';
import { linkPreference, saveLinkPreference, takeTokenFromUrl } from './settings.ts';
import { EngineClient } from './ui/engine-client.ts';
import { startBenchHook } from './bench-hook.ts';
import './ui/tt-app.ts';
import type { LinkPreference } from './worker/protocol.ts';

const worker = new Worker(new URL('./worker/worker-main.ts', import.meta.url), { type: 'module', name: 'engine' });
const client = new EngineClient(worker);
const token = takeTokenFromUrl(location, history);
const transferChannels = new URLSearchParams(location.search).get('transfer') !== '0';
const links = token ? new LinkManager(worker, location.origin, token, linkPreference(location), transferChannels) : undefined;

window.addEventListener('link-preference-change', (event) => {
  const preference = (event as CustomEvent<LinkPreference>).detail;
  saveLinkPreference(preference);
  links?.setPreference(preference);
});

const app = Object.assign(document.createElement('tt-app'), { client, hasToken: token !== undefined, linkPreference: linkPreference(location) });
document.body.append(app);
links?.start();
startBenchHook(client, worker, location);

// Ask the browser not to evict downloaded pieces under storage pressure (Window-only API).
void navigator.storage?.persist?.().catch(() => false);
