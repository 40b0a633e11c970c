// The engine's page gives the service worker a port to the engine worker: at once, and again
// whenever the service worker asks (it lost its port: it was stopped while idle, or the engine
// moved here from another tab). The page only passes ports; bytes go worker to service worker.
import { STREAM_PORT_OFFER, STREAM_PORT_WANTED } from './stream-messages.ts';

/** Starts offering; returns a function that stops it (the engine leaves this tab). */
export function offerStreamPorts(worker: Worker): () => void {
  const container = (navigator as Partial<Navigator>).serviceWorker;
  if (!container) return () => {};
  const offer = (to: ServiceWorker | null | undefined) => {
    if (!to) return;
    const channel = new MessageChannel();
    worker.postMessage({ type: 'stream-port', port: channel.port1 }, [channel.port1]);
    to.postMessage({ type: STREAM_PORT_OFFER }, [channel.port2]);
  };
  const onMessage = (event: MessageEvent) => {
    if ((event.data as { type?: unknown } | null)?.type === STREAM_PORT_WANTED) offer(event.source as ServiceWorker | null);
  };
  const onController = () => offer(container.controller);
  container.addEventListener('message', onMessage);
  container.addEventListener('controllerchange', onController);
  offer(container.controller);
  return () => {
    container.removeEventListener('message', onMessage);
    container.removeEventListener('controllerchange', onController);
  };
}
