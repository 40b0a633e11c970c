// How much the browser lets this site store: refuse a torrent that cannot fit before downloading
// it, and show usage, quota and persistence. The StorageManager API may be missing (old browsers,
// insecure contexts, Node): then nothing is refused and the quota is unknown.

import { StorageFullError } from './idb-piece-store.ts';
import type { StorageStatus } from './protocol.ts';

const MiB = 1024 * 1024;
/** Room kept free beyond the data: IndexedDB overhead and the torrent records. */
const SPACE_MARGIN_BYTES = 16 * MiB;
const SPACE_MARGIN_RATIO = 1.05;

type StorageApi = Pick<StorageManager, 'estimate'> & Partial<Pick<StorageManager, 'persisted' | 'persist'>>;

/**
 * Throws StorageFullError when the site's remaining quota cannot hold `bytesNeeded` (the bytes
 * still to store) plus a margin.
 */
export async function checkSpace(
  bytesNeeded: number,
  estimate: () => Promise<StorageEstimate> = defaultEstimate,
): Promise<void> {
  const { usage = 0, quota } = await estimate();
  if (quota === undefined) return;
  const availableBytes = Math.max(0, quota - usage);
  if (availableBytes < bytesNeeded * SPACE_MARGIN_RATIO + SPACE_MARGIN_BYTES) {
    throw new StorageFullError(
      `This torrent needs ${formatBytes(bytesNeeded)} but the browser only allows ${formatBytes(availableBytes)} more for this site.`,
    );
  }
}

/** Usage, quota and persistence; `quotaBytes` is 0 when the browser does not say. */
export async function storageStatus(storage: StorageApi | undefined = storageManager()): Promise<StorageStatus> {
  if (!storage) return { usageBytes: 0, quotaBytes: 0, persisted: false };
  const [{ usage = 0, quota }, persisted] = await Promise.all([
    storage.estimate(),
    storage.persisted ? storage.persisted() : Promise.resolve(false),
  ]);
  return { usageBytes: usage, quotaBytes: quota ?? 0, persisted };
}

/** Asks the browser not to evict this site's data (it may ask the user, or decide alone). */
export async function requestPersistence(storage: StorageApi | undefined = storageManager()): Promise<boolean> {
  if (!storage?.persist) return false;
  try {
    return await storage.persist();
  } catch {
    return false;
  }
}

function storageManager(): StorageApi | undefined {
  const nav = (globalThis as { navigator?: { storage?: StorageApi } }).navigator;
  return nav?.storage?.estimate ? nav.storage : undefined;
}

async function defaultEstimate(): Promise<StorageEstimate> {
  return (await storageManager()?.estimate()) ?? {};
}

/** SI units, as the browser's own storage settings show them: "1.2 GB", "800 MB". */
function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${Math.round(bytes)} bytes`;
  const units = ['kB', 'MB', 'GB', 'TB', 'PB'];
  let value = bytes / 1000;
  let unit = 0;
  while (value >= 999.5 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  const shown = value >= 100 ? String(Math.round(value)) : String(Math.round(value * 10) / 10);
  return `${shown} ${units[unit]}`;
}
