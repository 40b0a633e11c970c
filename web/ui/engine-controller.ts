// Wraps the engine's state (which lives in the worker) for a Lit host: the host re-renders on
// every state, warning or engine failure the client reports.
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { EngineClient, EngineState, EngineWarning } from './engine-client.ts';

export class EngineController implements ReactiveController {
  private readonly host: ReactiveControllerHost;
  private currentClient: EngineClient | undefined;
  private unsubscribe: (() => void) | undefined;
  private connected = false;

  constructor(host: ReactiveControllerHost, client?: EngineClient) {
    this.host = host;
    this.currentClient = client;
    host.addController(this);
  }

  get client(): EngineClient | undefined {
    return this.currentClient;
  }

  /** Switches to another client (or none); the host re-renders. */
  set client(client: EngineClient | undefined) {
    if (client === this.currentClient) return;
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    this.currentClient = client;
    if (this.connected) this.listen();
    this.host.requestUpdate();
  }

  get state(): EngineState | undefined {
    return this.currentClient?.state;
  }

  get warnings(): readonly EngineWarning[] {
    return this.currentClient?.warnings ?? [];
  }

  get engineError(): string | undefined {
    return this.currentClient?.engineError;
  }

  hostConnected(): void {
    this.connected = true;
    this.listen();
  }

  hostDisconnected(): void {
    this.connected = false;
    this.unsubscribe?.();
    this.unsubscribe = undefined;
  }

  private listen(): void {
    if (!this.currentClient || this.unsubscribe) return;
    this.unsubscribe = this.currentClient.subscribe(() => this.host.requestUpdate());
  }
}
