// Debian's Chromium driven by playwright-core, one fresh profile per test (IndexedDB survives
// page.reload() in it). Functional tests only: Playwright's DevTools link copies WebSocket frames and
// caps them at ~100 MB/s, so throughput figures come from bench/browser/, which spawns Chromium itself.
import { readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Download, type Page } from 'playwright-core';
import { sha256File } from '../../helpers/data-files.ts';
import { makeTempDir } from '../../helpers/temp.ts';
import { CHROMIUM_BASE_FLAGS, CHROMIUM_PATH } from '../../helpers/chromium-flags.ts';

export { CHROMIUM_PATH };
const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const ARTIFACTS_DIR = join(REPO_ROOT, '.artifacts');

/** The flags DESIGN.md lists, plus plain (non-mDNS) host candidates for WebRTC. */
export const CHROMIUM_ARGS: readonly string[] = CHROMIUM_BASE_FLAGS;

/** True when the routing table has a default route (Chromium gathers no WebRTC candidates without one). */
export function hasDefaultRoute(): boolean {
  try {
    const lines = readFileSync('/proc/net/route', 'utf8').trim().split('\n').slice(1);
    return lines.some((line) => line.split(/\s+/)[1] === '00000000');
  } catch {
    return false;
  }
}

/** Throws a clear message unless we run inside a network namespace with a default route. */
export function assertNetworkNamespace(): void {
  if (hasDefaultRoute()) return;
  throw new Error(
    'e2e: no default route here, so Chromium would gather no WebRTC candidates. Run the browser tests ' +
      'inside a network namespace: bash scripts/in-netns.sh env TABTORRENT_E2E=1 npx vitest run',
  );
}

export interface TestBrowser {
  context: BrowserContext;
  page: Page;
  /** Lines the page logged (console messages, page errors), for failure messages. */
  consoleLines: string[];
  /** What the gateway's Content-Security-Policy blocked: every e2e test expects none. */
  cspViolations: string[];
  close(): Promise<void>;
}

export interface LaunchOptions {
  /**
   * Hide the File System Access API so "Save" takes the Blob + <a download> path that Playwright can
   * capture (a save-file picker cannot be driven headless). Default true.
   */
  hideSaveFilePicker?: boolean;
  /** More Chromium flags, e.g. a WebRTC policy that takes UDP away. */
  extraArgs?: readonly string[];
}

export async function launchBrowser(options: LaunchOptions = {}): Promise<TestBrowser> {
  assertNetworkNamespace();
  const userDataDir = await makeTempDir('e2e-chromium');
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [...CHROMIUM_ARGS, ...(options.extraArgs ?? [])],
    acceptDownloads: true,
    viewport: { width: 1200, height: 900 },
  });
  if (options.hideSaveFilePicker ?? true) {
    await context.addInitScript(() => {
      delete (window as unknown as Record<string, unknown>).showSaveFilePicker;
    });
  }
  const page = context.pages()[0] ?? (await context.newPage());
  const consoleLines: string[] = [];
  const keep = (line: string) => {
    consoleLines.push(line);
    if (consoleLines.length > 500) consoleLines.splice(0, 250);
  };
  const cspViolations: string[] = [];
  page.on('console', (msg) => {
    keep(`[${msg.type()}] ${msg.text()}`);
    if (/Content Security Policy/i.test(msg.text())) cspViolations.push(msg.text());
  });
  page.on('pageerror', (err) => keep(`[pageerror] ${err.message}`));
  return {
    context,
    page,
    consoleLines,
    cspViolations,
    close: async () => {
      await context.close().catch(() => {});
    },
  };
}

export interface SavedDownload {
  suggestedFilename: string;
  path: string;
  sha256: string;
}

/** Runs `trigger` (e.g. a click), captures the download it starts, and hashes the saved file. */
export async function captureDownload(page: Page, trigger: () => Promise<void>, timeoutMs = 60_000): Promise<SavedDownload> {
  const [download] = await Promise.all([page.waitForEvent('download', { timeout: timeoutMs }), trigger()]);
  return hashDownload(download);
}

async function hashDownload(download: Download): Promise<SavedDownload> {
  const failure = await download.failure();
  if (failure) throw new Error(`download of ${download.suggestedFilename()} failed: ${failure}`);
  const path = await download.path();
  return { suggestedFilename: download.suggestedFilename(), path, sha256: await sha256File(path) };
}

/** A full-page screenshot into .artifacts/ (gitignored), named after the test. */
export async function screenshot(page: Page, name: string): Promise<string> {
  await mkdir(ARTIFACTS_DIR, { recursive: true });
  const path = join(ARTIFACTS_DIR, `e2e-${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}
