// The tab's entry point: mounts the UI and, while this tab holds the engine lock (one engine per
// browser profile: engine-lock.ts), runs the engine worker connected to the gateway that served
// this page (start-engine.ts). The gateway knows this page by its sign-in cookie: the page never
// sees the access token.
import { EngineLock, TAKE_OVER_CHANNEL_NAME } from './engine-lock.ts';
import { startEngine, type RunningEngine } from './start-engine.ts';
import { forgetLegacyToken, linkPreference } from './settings.ts';
import { tellWorkerPageHides } from './page-hide.ts';
import { startStreaming } from './stream/streaming-status.ts';
import './ui/tt-app.ts';

forgetLegacyToken();
void startStreaming();
const app = Object.assign(document.createElement('tt-app'), { signedIn: true, linkPreference: linkPreference(location) });
app.engineHome = 'starting';
document.body.append(app);

/** The engine this tab runs, while it holds the lock. */
let engine: RunningEngine | undefined;
const lock = new EngineLock({
  locks: (navigator as Partial<Navigator>).locks,
  channel: typeof BroadcastChannel === 'function' ? new BroadcastChannel(TAKE_OVER_CHANNEL_NAME) : undefined,
  start: () => { engine = startEngine(app); },
  stop: async () => {
    await engine?.stop();
    engine = undefined;
  },
  onChange: (home) => { app.engineHome = home; },
});
window.addEventListener('engine-take-over', () => lock.takeOver());
lock.claim();

// The worker gets no unload event: on `pagehide` the page tells it, and the engine announces
// `stopped` at once (page-hide.ts). A page kept in the back/forward cache may come back running.
window.addEventListener('pagehide', (event) => {
  if (engine && !event.persisted) tellWorkerPageHides(engine.worker);
});

// Ask the browser not to evict downloaded pieces under storage pressure (Window-only API).
void navigator.storage?.persist?.().catch(() => false);
