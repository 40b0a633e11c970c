// One engine per browser profile: tabs of the app share a fake Web Lock manager and a fake
// BroadcastChannel, as the tabs of one profile share the browser's. A tab that finds the lock taken
// starts nothing; "take over" starts the engine in the asking tab only after the holder stopped its
// own and let go.
import { describe, expect, it } from 'vitest';
import { ENGINE_LOCK_NAME, EngineLock, type ChannelLike, type EngineHome, type LockManagerLike } from '../../web/engine-lock.ts';

interface Waiter {
  callback: (lock: unknown) => unknown;
  done: (value: unknown) => void;
  /** The locks of the tab that asked. */
  held: Set<object>;
}

/** Exclusive locks as the browser grants them: one holder per name, waiting requests in order. */
class FakeLocks {
  private readonly holders = new Map<string, object>();
  private readonly queues = new Map<string, Waiter[]>();

  /** The view one tab has (its own `navigator.locks`). */
  forTab(): LockManagerLike & { closeTab(): void } {
    const held = new Set<object>();
    return {
      request: (name, options, callback) => new Promise((done) => {
        if (this.holders.has(name) && options.ifAvailable) {
          done(callback(null));
          return;
        }
        const queue = this.queues.get(name) ?? [];
        queue.push({ callback, done, held });
        this.queues.set(name, queue);
        this.grantNext(name);
      }),
      // A closing tab loses its locks, whatever its callbacks were waiting for.
      closeTab: () => {
        for (const [name, lock] of this.holders) if (held.has(lock)) { this.holders.delete(name); this.grantNext(name); }
      },
    };
  }

  isHeld(name: string): boolean {
    return this.holders.has(name);
  }

  private grantNext(name: string): void {
    if (this.holders.has(name)) return;
    const next = this.queues.get(name)?.shift();
    if (!next) return;
    const lock = { name };
    this.holders.set(name, lock);
    next.held.add(lock);
    void Promise.resolve(next.callback(lock)).then((value) => {
      if (this.holders.get(name) === lock) { this.holders.delete(name); this.grantNext(name); }
      next.done(value);
    });
  }
}

/** A BroadcastChannel: a message reaches every other channel of the same hub, a task later. */
class FakeChannelHub {
  private readonly listeners = new Set<(event: MessageEvent) => void>();

  channel(): ChannelLike & { close(): void } {
    const mine = new Set<(event: MessageEvent) => void>();
    return {
      close: () => { for (const listener of mine) this.listeners.delete(listener); },
      postMessage: (data) => {
        for (const listener of this.listeners) {
          if (!mine.has(listener)) setTimeout(() => listener({ data } as MessageEvent), 0);
        }
      },
      addEventListener: (_type, listener) => { mine.add(listener); this.listeners.add(listener); },
    };
  }
}

/** Shared across the tabs of one test: how many engines run right now, and the most ever. */
interface Profile {
  locks: FakeLocks;
  channels: FakeChannelHub;
  running: number;
  mostRunning: number;
}

function newProfile(): Profile {
  return { locks: new FakeLocks(), channels: new FakeChannelHub(), running: 0, mostRunning: 0 };
}

interface Tab {
  lock: EngineLock;
  homes: EngineHome[];
  starts: number;
  stops: number;
  /** The tab closes: the browser drops its locks and channels, and its engine with them. */
  close(): void;
  /** Resolves the current stop() (a stopping engine saves its records first). */
  finishStop?: () => void;
}

function openTab(profile: Profile, options: { locks?: boolean; stopFails?: boolean; manualStop?: boolean } = {}): Tab {
  const locks = profile.locks.forTab();
  const channel = profile.channels.channel();
  const tab = { homes: [], starts: 0, stops: 0 } as unknown as Tab;
  tab.close = () => {
    channel.close();
    locks.closeTab();
    if (tab.lock.home === 'here') profile.running--;
  };
  tab.lock = new EngineLock({
    locks: options.locks === false ? undefined : locks,
    channel,
    start: () => {
      tab.starts++;
      profile.running++;
      profile.mostRunning = Math.max(profile.mostRunning, profile.running);
    },
    stop: () => {
      tab.stops++;
      return new Promise<void>((resolve, reject) => {
        const finish = () => {
          profile.running--;
          if (options.stopFails) reject(new Error('the worker did not answer')); else resolve();
        };
        if (options.manualStop) tab.finishStop = finish; else setTimeout(finish, 5);
      });
    },
    onChange: (home) => tab.homes.push(home),
  });
  tab.lock.claim();
  return tab;
}

/** Lets queued promise callbacks and zero-delay timers run. */
async function settle(ms = 20): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, ms));
}

describe('EngineLock', () => {
  it('runs the engine in the first tab only; a second tab says it runs elsewhere and starts nothing', async () => {
    const profile = newProfile();
    const first = openTab(profile);
    await settle();
    const second = openTab(profile);
    await settle();
    expect(first.lock.home).toBe('here');
    expect(first.starts).toBe(1);
    expect(second.lock.home).toBe('elsewhere');
    expect(second.starts).toBe(0);
    expect(profile.locks.isHeld(ENGINE_LOCK_NAME)).toBe(true);
  });

  it('take-over: the holder stops, says it moved, and only then does the asking tab start', async () => {
    const profile = newProfile();
    const first = openTab(profile, { manualStop: true });
    await settle();
    const second = openTab(profile);
    await settle();

    second.lock.takeOver();
    expect(second.lock.home).toBe('taking-over');
    await settle();
    expect(first.lock.home).toBe('letting-go');
    expect(first.stops).toBe(1);
    expect(second.starts, 'nothing starts while the holder is still stopping').toBe(0);

    first.finishStop!();
    await settle();
    expect(first.lock.home).toBe('moved');
    expect(second.lock.home).toBe('here');
    expect(second.starts).toBe(1);
    expect(profile.mostRunning, 'never two engines at once').toBe(1);
    expect(first.homes).toEqual(['here', 'letting-go', 'moved']);
    expect(second.homes).toEqual(['elsewhere', 'taking-over', 'here']);
  });

  it('the tab that let go can take the engine back', async () => {
    const profile = newProfile();
    const first = openTab(profile);
    await settle();
    const second = openTab(profile);
    await settle();
    second.lock.takeOver();
    await settle(50);
    first.lock.takeOver();
    await settle(50);
    expect(first.lock.home).toBe('here');
    expect(second.lock.home).toBe('moved');
    expect([first.starts, first.stops, second.starts, second.stops]).toEqual([2, 1, 1, 1]);
    expect(profile.running).toBe(1);
    expect(profile.mostRunning).toBe(1);
  });

  it('a holder whose engine fails to stop cleanly still lets go', async () => {
    const profile = newProfile();
    const first = openTab(profile, { stopFails: true });
    await settle();
    const second = openTab(profile);
    await settle();
    second.lock.takeOver();
    await settle(50);
    expect(first.lock.home).toBe('moved');
    expect(second.lock.home).toBe('here');
  });

  it('a closed tab leaves the lock to the next tab that asks, with no one to answer', async () => {
    const profile = newProfile();
    const first = openTab(profile);
    await settle();
    const second = openTab(profile);
    await settle();
    first.close();
    second.lock.takeOver();
    await settle();
    expect(second.lock.home).toBe('here');
    expect(first.stops).toBe(0);
    expect(profile.mostRunning).toBe(1);
  });

  it('a take-over request reaches only the holder: a tab that runs nothing ignores it', async () => {
    const profile = newProfile();
    const first = openTab(profile, { manualStop: true });
    await settle();
    const second = openTab(profile);
    const third = openTab(profile);
    await settle();
    third.lock.takeOver();
    await settle();
    expect(second.lock.home).toBe('elsewhere');
    expect(second.stops).toBe(0);
    expect(first.lock.home).toBe('letting-go');
    first.finishStop!();
    await settle();
    expect(third.lock.home).toBe('here');
    expect(second.lock.home).toBe('elsewhere');
  });

  it('takeOver does nothing while this tab runs the engine or is already taking it over', async () => {
    const profile = newProfile();
    const first = openTab(profile);
    await settle();
    first.lock.takeOver();
    await settle();
    expect(first.homes).toEqual(['here']);
    expect(first.stops).toBe(0);
  });

  it('without Web Locks the tab runs the engine as before', () => {
    const profile = newProfile();
    const tab = openTab(profile, { locks: false });
    expect(tab.lock.home).toBe('here');
    expect(tab.starts).toBe(1);
  });

  it('where the browser refuses a lock request, the tab runs the engine as before', async () => {
    const homes: EngineHome[] = [];
    let starts = 0;
    const lock = new EngineLock({
      locks: { request: () => Promise.reject(new DOMException('opaque origin', 'SecurityError')) },
      channel: undefined,
      start: () => { starts++; },
      stop: async () => {},
      onChange: (home) => homes.push(home),
    });
    lock.claim();
    await settle();
    expect(homes).toEqual(['here']);
    expect(starts).toBe(1);
  });
});
