// Watching a file play while it downloads (issue "Watch while it downloads"): the Play button of a
// file that is not complete yet, the <video>/<audio> in tt-player on the file's stream URL, its
// clock, a seek, and which pieces the tab has stored (IndexedDB `tabtorrent-pieces`, store
// `pieces`, keys `<info-hash hex>:<piece index>`: web/worker/idb-piece-store.ts). Used by the e2e
// tests and by the streaming bench (bench/browser/stream.ts).
//
// The functions that run in the page bind no function to a name: under tsx (the bench) esbuild's
// keepNames wraps such bindings in __name(), which does not exist in the page.
import type { Locator, Page } from 'playwright-core';
import { progressOf } from './app-page.ts';

const POLL_MS = 100;
const PIECES_DB = 'tabtorrent-pieces';
const PIECES_STORE = 'pieces';
/** Set on the page's window by recordPlayingEvents: epoch ms of each `playing` event. */
const PLAYING_LOG = '__tabtorrentPlayingAt';

export type MediaKind = 'video' | 'audio';

/** The file's Play button ("Play <path>"). */
export function playButton(page: Page, path: string): Locator {
  return page.getByRole('button', { name: `Play ${path}`, exact: true });
}

/** The file's Open link ("Open <path>", a new tab on its stream URL). */
export function openLink(page: Page, path: string): Locator {
  return page.getByRole('link', { name: `Open ${path}`, exact: true });
}

/** The player's media element. */
export function mediaElement(page: Page, kind: MediaKind): Locator {
  return page.locator(`tt-player ${kind}`).first();
}

/** The path part of the file's stream URL (web/stream/stream-url.ts): /stream/<hex>/<index>/<name>. */
export function streamPathPattern(infoHashHex: string, fileIndex: number): RegExp {
  return new RegExp(`/stream/${infoHashHex}/${fileIndex}/[^/]+$`);
}

/**
 * Waits until `locator` (a Play button or Open link) is visible and enabled, and returns the row's
 * progress then. Fails saying how far the download was: the feature is playing *before* the end.
 */
export async function waitForEnabled(locator: Locator, row: Locator, what: string, timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const visible = await locator.isVisible().catch(() => false);
    if (visible && (await locator.isEnabled().catch(() => false))) return (await progressOf(row)) ?? 0;
    await row.page().waitForTimeout(POLL_MS);
  }
  const state = (await locator.count()) === 0 ? 'absent' : 'disabled';
  throw new Error(`${what}: still ${state} after ${timeoutMs} ms, with the torrent at ${await progressOf(row)} % ` +
    '(a file must play and open while it downloads, from 0 %)');
}

/** Polls the element's currentTime until it passes `seconds`; `sample` runs at each poll. */
export async function waitForCurrentTime(media: Locator, seconds: number, timeoutMs: number, sample?: () => Promise<void>): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  let last: { time: number; readyState: number; error: string | null } | null = null;
  while (Date.now() < deadline) {
    await sample?.();
    last = await media.evaluate((el: HTMLMediaElement) => ({
      time: el.currentTime, readyState: el.readyState, error: el.error ? `${el.error.code} ${el.error.message}` : null,
    })).catch(() => null);
    if (last?.error) throw new Error(`the media element failed: ${last.error}`);
    if (last && last.time > seconds) return last.time;
    await media.page().waitForTimeout(POLL_MS);
  }
  throw new Error(`currentTime never passed ${seconds} s within ${timeoutMs} ms (last: ${JSON.stringify(last)})`);
}

/**
 * Sets currentTime to `fraction` of the duration and resolves with the ms until the element plays
 * again: its `playing` event, or `seeked` with the element unpaused and able to go on
 * (HAVE_FUTURE_DATA) when the seek never made it wait.
 */
export function seekAndTimePlaying(media: Locator, fraction: number, timeoutMs: number): Promise<number> {
  return media.evaluate((el: HTMLMediaElement, [fraction, timeoutMs]) => new Promise<number>((resolve, reject) => {
    const startedAt = performance.now();
    const listening = new AbortController();
    const timer = setTimeout(() => {
      listening.abort();
      reject(new Error(`not playing again ${timeoutMs} ms after the seek to ${el.currentTime.toFixed(1)} s (readyState ${el.readyState}, paused ${el.paused})`));
    }, timeoutMs);
    for (const type of ['playing', 'seeked']) {
      el.addEventListener(type, (event) => {
        if (event.type === 'seeked' && (el.paused || el.readyState < HTMLMediaElement.HAVE_FUTURE_DATA)) return;
        clearTimeout(timer);
        listening.abort();
        resolve(performance.now() - startedAt);
      }, { signal: listening.signal });
    }
    el.currentTime = fraction * el.duration;
  }), [fraction, timeoutMs] as const);
}

/** The indices of the torrent's pieces stored in the tab's IndexedDB. */
export function storedPieces(page: Page, infoHashHex: string): Promise<Set<number>> {
  return page.evaluate(([dbName, storeName, hex]) => new Promise<number[]>((resolve, reject) => {
    const open = indexedDB.open(dbName);
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const db = open.result;
      if (!db.objectStoreNames.contains(storeName)) return db.close(), resolve([]);
      const request = db.transaction(storeName, 'readonly').objectStore(storeName)
        .getAllKeys(IDBKeyRange.bound(`${hex}:`, `${hex};`, false, true)); // ';' follows ':' in code units
      request.onerror = () => (db.close(), reject(request.error));
      request.onsuccess = () => {
        db.close();
        resolve(request.result.map((key) => Number(String(key).slice(hex.length + 1))));
      };
    };
  }), [PIECES_DB, PIECES_STORE, infoHashHex] as const).then((indices) => new Set(indices));
}

/** Pieces [first, last] that hold the bytes [start, end) of the torrent. */
export function piecesOfRange(start: number, end: number, pieceLength: number): number[] {
  const pieces: number[] = [];
  for (let index = Math.floor(start / pieceLength); index * pieceLength < end; index++) pieces.push(index);
  return pieces;
}

/**
 * From now on (this page and its reloads) records the epoch ms of every `playing` event of any
 * media element, shadow roots included: media events neither bubble nor leave a shadow root, so a
 * capturing listener goes on each shadow root as it is attached. Call before the app loads.
 */
export async function recordPlayingEvents(page: Page): Promise<void> {
  await page.addInitScript((logName) => {
    const log: number[] = [];
    (window as unknown as Record<string, number[]>)[logName] = log;
    document.addEventListener('playing', () => log.push(performance.timeOrigin + performance.now()), true);
    const attachShadow = Element.prototype.attachShadow;
    Element.prototype.attachShadow = function (this: Element, init: ShadowRootInit): ShadowRoot {
      const root = attachShadow.call(this, init);
      root.addEventListener('playing', () => log.push(performance.timeOrigin + performance.now()), true);
      return root;
    };
  }, PLAYING_LOG);
}

/** The page's clock (epoch ms, the clock recordPlayingEvents uses). */
export function pageNow(page: Page): Promise<number> {
  return page.evaluate(() => performance.timeOrigin + performance.now());
}

/** The epoch ms of the first `playing` event after `since` (recordPlayingEvents must be on). */
export async function waitForPlayingEvent(page: Page, since: number, timeoutMs: number): Promise<number> {
  const handle = await page.waitForFunction(([logName, since]) => {
    const log = (window as unknown as Record<string, number[] | undefined>)[logName] ?? [];
    return log.find((at) => at >= since) ?? false;
  }, [PLAYING_LOG, since] as const, { timeout: timeoutMs, polling: 50 });
  return Number(await handle.jsonValue());
}

/** The player's error alert, if it shows one. */
export async function playerError(page: Page): Promise<string | null> {
  const alert = page.locator('tt-player').getByRole('alert');
  return (await alert.count()) > 0 ? (await alert.first().textContent())?.trim() ?? '' : null;
}
