// One engine per browser profile: the tab that holds the Web Lock `tabtorrent-engine` runs the
// engine; any other tab of the app says the engine runs elsewhere and starts nothing (no worker, no
// database, no gateway link). "Use it here" asks the holder over a BroadcastChannel to let go: it
// stops its engine cleanly, then releases the lock, which the asking tab is already waiting for.
// The browser releases the lock of a tab that closes or reloads. Without Web Locks the tab runs the
// engine as before.

export const ENGINE_LOCK_NAME = 'tabtorrent-engine';
export const TAKE_OVER_CHANNEL_NAME = 'tabtorrent-engine';

/** Where this tab stands. */
export type EngineHome =
  /** Asking for the lock. */
  | 'starting'
  /** This tab holds the lock and runs the engine. */
  | 'here'
  /** Another tab runs the engine. */
  | 'elsewhere'
  /** Asked the tab that runs it to let go; waiting for the lock. */
  | 'taking-over'
  /** Another tab asked for the engine: this one is stopping it. */
  | 'letting-go'
  /** This tab ran the engine and let another tab have it. */
  | 'moved';

/** The part of `navigator.locks` used here (a fake in tests). */
export interface LockManagerLike {
  request(name: string, options: { ifAvailable?: boolean }, callback: (lock: unknown) => unknown): Promise<unknown>;
}

/** The part of a BroadcastChannel used here. */
export interface ChannelLike {
  postMessage(message: unknown): void;
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
}

export interface EngineLockOptions {
  /** `navigator.locks`; undefined where the browser has no Web Locks. */
  locks: LockManagerLike | undefined;
  /** Carries take-over requests between the tabs; undefined where BroadcastChannel is missing. */
  channel: ChannelLike | undefined;
  /** Starts the engine. Called only while this tab holds the lock (or without Web Locks). */
  start(): void;
  /** Stops the engine cleanly; the lock is released when this settles. */
  stop(): Promise<void>;
  /** Called on every change of `home`. */
  onChange(home: EngineHome): void;
}

/** The message a tab sends to ask the engine's tab to let go. */
export interface TakeOverRequest {
  type: 'take-over';
}

export class EngineLock {
  home: EngineHome = 'starting';
  private releaseLock: (() => void) | undefined;

  constructor(private readonly options: EngineLockOptions) {
    options.channel?.addEventListener('message', (event) => {
      if ((event.data as Partial<TakeOverRequest> | null)?.type === 'take-over') void this.letGo();
    });
  }

  /** Runs the engine here if no other tab does; else says it runs elsewhere. */
  claim(): void {
    const { locks } = this.options;
    if (!locks) return this.runWithoutLock();
    const request = locks.request(ENGINE_LOCK_NAME, { ifAvailable: true }, (lock) => {
      if (lock) return this.hold();
      this.set('elsewhere');
      return undefined;
    });
    // A browser that refuses locks here (an opaque origin, say) has none to share: run as before.
    request.catch(() => { if (this.home === 'starting') this.runWithoutLock(); });
  }

  /** Moves the engine into this tab: asks its tab to let go, then starts once the lock is ours. */
  takeOver(): void {
    const { locks, channel } = this.options;
    if (!locks || (this.home !== 'elsewhere' && this.home !== 'moved')) return;
    this.set('taking-over');
    // Queued before the request goes out, so the lock comes here when the holder releases it.
    void locks.request(ENGINE_LOCK_NAME, {}, () => this.hold());
    channel?.postMessage({ type: 'take-over' } satisfies TakeOverRequest);
  }

  /** Holds the lock until `letGo` releases it (the returned promise is the lock's lifetime). */
  private hold(): Promise<void> {
    return new Promise<void>((release) => {
      this.releaseLock = release;
      this.set('here');
      this.options.start();
    });
  }

  private async letGo(): Promise<void> {
    const release = this.releaseLock;
    if (this.home !== 'here' || !release) return;
    this.releaseLock = undefined;
    this.set('letting-go');
    try {
      await this.options.stop();
    } catch {
      // Stopped as far as it could: the page drops what is left of the engine either way.
    } finally {
      this.set('moved');
      release();
    }
  }

  private runWithoutLock(): void {
    this.set('here');
    this.options.start();
  }

  private set(home: EngineHome): void {
    this.home = home;
    this.options.onChange(home);
  }
}
