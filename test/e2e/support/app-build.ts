// The gateway serves the built app from dist/. Each e2e file calls ensureAppBuilt() in beforeAll: it
// runs `vite build` when dist/index.html is missing or older than any source of the app, so a run
// never tests a stale bundle, and costs nothing when the build is current.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCommand } from '../../helpers/proc.ts';

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const BUILT_INDEX = join(REPO_ROOT, 'dist', 'index.html');
/** What the bundle is made of (directories are scanned recursively). */
const SOURCES = ['index.html', 'vite.config.ts', 'web', 'shared', 'public'];
const BUILD_TIMEOUT_MS = 180_000;

function newestMtimeMs(path: string): number {
  if (!existsSync(path)) return 0;
  const stats = statSync(path);
  if (!stats.isDirectory()) return stats.mtimeMs;
  let newest = 0;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtimeMs(join(path, entry)));
  return newest;
}

export function appBuildIsCurrent(): boolean {
  if (!existsSync(BUILT_INDEX)) return false;
  const built = statSync(BUILT_INDEX).mtimeMs;
  return SOURCES.every((source) => newestMtimeMs(join(REPO_ROOT, source)) <= built);
}

export async function ensureAppBuilt(): Promise<void> {
  if (appBuildIsCurrent()) return;
  try {
    await runCommand(join(REPO_ROOT, 'node_modules', '.bin', 'vite'), ['build'], {
      cwd: REPO_ROOT,
      // Under vitest NODE_ENV is 'test', which would make Vite resolve Lit's development build.
      env: { ...process.env, NODE_ENV: 'production' },
      label: 'vite build',
      timeoutMs: BUILD_TIMEOUT_MS,
    });
  } catch (err) {
    throw new Error(`e2e: the app does not build (npx vite build): ${(err as Error).message}`);
  }
  if (!existsSync(BUILT_INDEX)) throw new Error(`e2e: vite build produced no ${BUILT_INDEX}`);
}
