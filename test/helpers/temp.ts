// Temporary directories under the OS temp dir, removed by removeTempDirs() (called from the vitest
// setup file after each test file) or at the latest when the process exits.
import { mkdtempSync, rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const created = new Set<string>();

/** A fresh empty directory, e.g. /tmp/tabtorrent-interop-AbC123. */
export async function makeTempDir(prefix = 'test'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `tabtorrent-${prefix}-`));
  created.add(dir);
  return dir;
}

/** Removes one directory made here now (recursive). */
export async function removeTempDir(dir: string): Promise<void> {
  created.delete(dir);
  await rm(dir, { recursive: true, force: true });
}

/** Removes every directory made here that is still there. Set KEEP_TEMP=1 to keep them for a look. */
export async function removeTempDirs(): Promise<void> {
  if (process.env.KEEP_TEMP === '1') return;
  await Promise.all([...created].map((dir) => removeTempDir(dir)));
}

/** Synchronous variant for scripts that are not async at the point of creation. */
export function makeTempDirSync(prefix = 'test'): string {
  const dir = mkdtempSync(join(tmpdir(), `tabtorrent-${prefix}-`));
  created.add(dir);
  return dir;
}

process.on('exit', () => {
  if (process.env.KEEP_TEMP === '1') return;
  for (const dir of created) rmSync(dir, { recursive: true, force: true });
});
