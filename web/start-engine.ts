// The engine as one tab runs it: the worker, the link manager that connects it to the gateway that
// served this page, and the UI's client. web/main.ts starts it only while this tab holds the engine
// lock (engine-lock.ts), and stops it cleanly when another tab takes the engine over.
import { LinkManager } from './bridge/link-manager.ts';
import { linkPreference, saveLinkPreference, signInState } from './settings.ts';
import { EngineClient } from './ui/engine-client.ts';
import { startBenchHook } from './bench-hook.ts';
import { offerStreamPorts } from './stream/stream-port.ts';
import type { TtApp } from './ui/tt-app.ts';
import type { LinkPreference, WorkerEvent } from './worker/protocol.ts';

/** How long a stopping engine may take to announce `stopped` and save its records. */
const SHUTDOWN_TIMEOUT_MS = 8_000;

export interface RunningEngine {
  readonly worker: Worker;
  /** Stops the engine (records saved), then ends the worker and its gateway link. Never rejects. */
  stop(): Promise<void>;
}

export function startEngine(app: TtApp): RunningEngine {
  const worker = new Worker(new URL('./worker/worker-main.ts', import.meta.url), { type: 'module', name: 'engine' });
  const client = new EngineClient(worker);
  const transferChannels = new URLSearchParams(location.search).get('transfer') !== '0';
  const links = new LinkManager(worker, location.origin, linkPreference(location), transferChannels);
  let stopped = false;

  const onPreference = (event: Event) => {
    const preference = (event as CustomEvent<LinkPreference>).detail;
    saveLinkPreference(preference);
    links.setPreference(preference);
  };
  window.addEventListener('link-preference-change', onPreference);

  app.client = client;
  void signInState(location.origin).then((state) => {
    if (stopped) return;
    app.signedIn = state !== 'signed-out';
    if (state !== 'signed-out') links.start();
  });
  // A lost link may mean the gateway forgot us (its token changed): then stop knocking and say so.
  worker.addEventListener('message', (event: MessageEvent<WorkerEvent>) => {
    if (event.data.type !== 'link-lost') return;
    void signInState(location.origin).then((state) => {
      if (state !== 'signed-out' || stopped) return;
      app.signedIn = false;
      links.stop();
    });
  });
  startBenchHook(client, location);
  const stopOfferingPorts = offerStreamPorts(worker);

  return {
    worker,
    async stop() {
      if (stopped) return;
      stopped = true;
      window.removeEventListener('link-preference-change', onPreference);
      stopOfferingPorts();
      await withTimeout(client.shutdown(), SHUTDOWN_TIMEOUT_MS).catch(() => {});
      links.stop();
      worker.terminate();
      client.dispose();
      if (app.client === client) app.client = undefined;
    },
  };
}

function withTimeout<T>(promise: Promise<T>, timeoutMs: number): Promise<T | undefined> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<undefined>((resolve) => { timer = setTimeout(resolve, timeoutMs, undefined); });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
