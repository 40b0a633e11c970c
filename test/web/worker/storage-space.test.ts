import { describe, expect, it } from 'vitest';
import { StorageFullError } from '../../../web/worker/idb-piece-store.ts';
import { checkSpace, requestPersistence, storageStatus } from '../../../web/worker/storage-space.ts';

const MiB = 1024 * 1024;
const estimate = (usage: number | undefined, quota: number | undefined) => async (): Promise<StorageEstimate> => ({
  usage,
  quota,
});

async function spaceError(bytesNeeded: number, usage: number, quota: number): Promise<Error> {
  const error = await checkSpace(bytesNeeded, estimate(usage, quota)).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(StorageFullError);
  return error as Error;
}

describe('checkSpace', () => {
  it('refuses a torrent bigger than the space left, in SI units', async () => {
    const error = await spaceError(1.2e9, 200e6, 1e9);
    expect(error.message).toBe('This torrent needs 1.2 GB but the browser only allows 800 MB more for this site.');
  });

  it('keeps a margin of 5% plus 16 MiB', async () => {
    const need = 100e6;
    const justEnough = need * 1.05 + 16 * MiB;
    await expect(checkSpace(need, estimate(0, justEnough))).resolves.toBeUndefined();
    const error = await spaceError(need, 1, justEnough);
    expect(error.message).toBe('This torrent needs 100 MB but the browser only allows 122 MB more for this site.');
  });

  it('formats small and large sizes', async () => {
    expect((await spaceError(2_500_000_000_000, 0, 1_000_000_000_000)).message).toBe(
      'This torrent needs 2.5 TB but the browser only allows 1 TB more for this site.',
    );
    expect((await spaceError(999, 10_000, 10_500)).message).toBe(
      'This torrent needs 999 bytes but the browser only allows 500 bytes more for this site.',
    );
    expect((await spaceError(12_345, 100, 100)).message).toBe(
      'This torrent needs 12.3 kB but the browser only allows 0 bytes more for this site.',
    );
  });

  it('accepts when the browser does not say its quota', async () => {
    await expect(checkSpace(1e12, estimate(undefined, undefined))).resolves.toBeUndefined();
    await expect(checkSpace(1e12)).resolves.toBeUndefined(); // Node: navigator.storage is missing
  });
});

describe('storageStatus', () => {
  it('reports usage, quota and persistence', async () => {
    const storage = { estimate: estimate(5e6, 2e9), persisted: async () => true };
    expect(await storageStatus(storage)).toEqual({ usageBytes: 5e6, quotaBytes: 2e9, persisted: true });
  });

  it('tolerates missing APIs', async () => {
    expect(await storageStatus({ estimate: estimate(undefined, undefined) })).toEqual({
      usageBytes: 0,
      quotaBytes: 0,
      persisted: false,
    });
    expect(await storageStatus(undefined)).toEqual({ usageBytes: 0, quotaBytes: 0, persisted: false });
  });

  it('asks for persistence where it can', async () => {
    expect(await requestPersistence({ estimate: estimate(0, 0), persist: async () => true })).toBe(true);
    expect(await requestPersistence({ estimate: estimate(0, 0) })).toBe(false);
    const refusing = {
      estimate: estimate(0, 0),
      persist: async (): Promise<boolean> => {
        throw new Error('denied');
      },
    };
    expect(await requestPersistence(refusing)).toBe(false);
  });
});
