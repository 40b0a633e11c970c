import { describe, expect, it } from 'vitest';
import { ASK_FIRST_KEY, ENCRYPTION_KEY, askFirst, encryptionMode, saveAskFirst, saveEncryptionMode } from '../../web/settings.ts';

class MemoryStorage {
  readonly items = new Map<string, string>();
  getItem(key: string): string | null { return this.items.get(key) ?? null; }
  setItem(key: string, value: string): void { this.items.set(key, value); }
}

describe('Show files before downloading (askFirst)', () => {
  it('is on by default, kept under tabtorrent.askFirst', () => {
    const storage = new MemoryStorage();
    expect(ASK_FIRST_KEY).toBe('tabtorrent.askFirst');
    expect(askFirst(storage)).toBe(true);
    saveAskFirst(false, storage);
    expect(storage.items.get('tabtorrent.askFirst')).toBe('false');
    expect(askFirst(storage)).toBe(false);
    saveAskFirst(true, storage);
    expect(askFirst(storage)).toBe(true);
  });

  it('stays on when storage refuses, and a failed save is not an error', () => {
    const refusing = {
      getItem(): string | null { throw new DOMException('denied', 'SecurityError'); },
      setItem(): void { throw new DOMException('full', 'QuotaExceededError'); },
    };
    expect(askFirst(refusing)).toBe(true);
    expect(() => saveAskFirst(false, refusing)).not.toThrow();
    expect(askFirst({ getItem: () => 'yes' }), 'anything but "false" is on').toBe(true);
  });
});

describe('Peer encryption', () => {
  it('is "prefer" by default and for anything unknown, kept under tabtorrent.encryption', () => {
    const items = new Map<string, string>();
    const storage = { getItem: (key: string) => items.get(key) ?? null, setItem: (key: string, value: string) => void items.set(key, value) };
    expect(encryptionMode(storage)).toBe('prefer');
    saveEncryptionMode('require', storage);
    expect(items.get(ENCRYPTION_KEY)).toBe('require');
    expect(encryptionMode(storage)).toBe('require');
    expect(encryptionMode({ getItem: () => 'rot13' })).toBe('prefer');
    expect(encryptionMode({ getItem: () => { throw new Error('refused'); } })).toBe('prefer');
  });
});
