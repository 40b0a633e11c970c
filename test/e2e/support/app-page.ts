// Drives the app through its accessible names only (the UI contract): "Magnet link or torrent URL" +
// "Add", "Open torrent file", one list item per torrent with a progressbar (aria-valuenow 0–100) and
// Pause/Resume/Remove, details with a "Save <file path>" button per file, a link setting with the
// options "WebRTC"/"WebSocket", the gateway connection state in the header, and the add dialog
// "Add <torrent name>" with "Start download" (shown when "Show files before downloading" is on).
import type { Locator, Page } from 'playwright-core';
import { captureDownload, type SavedDownload } from './browser.ts';
import type { ExpectedFile } from './swarm.ts';

const CONNECT_TIMEOUT_MS = 30_000;
const POLL_MS = 100;

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The setting "Show files before downloading" (web/settings.ts). */
const ASK_FIRST_KEY = 'tabtorrent.askFirst';

export interface OpenAppOptions {
  /** Show the add dialog for each new torrent (the app's default); off unless asked for. */
  askFirst?: boolean;
}

export async function openApp(page: Page, gatewayUrl: string, options: OpenAppOptions = {}): Promise<void> {
  // Before the app's script reads it, on this load and every reload.
  await page.addInitScript(([key, value]) => {
    try { localStorage.setItem(key, value); } catch { /* a frame without storage */ }
  }, [ASK_FIRST_KEY, String(options.askFirst ?? false)] as const);
  await page.goto(gatewayUrl, { waitUntil: 'load' });
  await page.getByLabel('Open torrent file').waitFor({ state: 'attached', timeout: CONNECT_TIMEOUT_MS });
}

/** Waits for the dialog "Add <name>" and presses its "Start download" (once it has the file list). */
export async function startFromAddDialog(page: Page, name: string, timeoutMs = CONNECT_TIMEOUT_MS): Promise<void> {
  const dialog = page.getByRole('dialog', { name: `Add ${name}`, exact: true });
  await dialog.waitFor({ state: 'visible', timeout: timeoutMs });
  const start = dialog.getByRole('button', { name: 'Start download', exact: true });
  await start.click({ timeout: timeoutMs }); // waits for it to be enabled
  await dialog.waitFor({ state: 'hidden', timeout: timeoutMs });
}

/** The gateway connection state in the header (a status region named "Gateway connection"). */
export async function gatewayStatusText(page: Page): Promise<string> {
  const status = page.getByRole('status', { name: 'Gateway connection' });
  const text = await status.first().textContent({ timeout: 1_000 }).catch(() => null);
  return (text ?? '').replace(/\s+/g, ' ').trim();
}

/**
 * The status text once it says the gateway is connected ("Connected…", not "Disconnected"), and
 * over `link` if given ("Connected over WebSocket").
 */
export async function waitForGatewayConnected(page: Page, link?: 'WebRTC' | 'WebSocket', timeoutMs = CONNECT_TIMEOUT_MS): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let text = '';
  while (Date.now() < deadline) {
    text = await gatewayStatusText(page);
    if (/^connected\b/i.test(text) && (!link || text.includes(link))) return text;
    await page.waitForTimeout(POLL_MS);
  }
  throw new Error(`the gateway status never said "Connected${link ? ` over ${link}` : ''}" within ${timeoutMs} ms; it says: ${JSON.stringify(text)}`);
}

/** Picks "WebRTC" or "WebSocket" in the link setting, whether it is a radio group or a select. */
export async function chooseLink(page: Page, link: 'WebRTC' | 'WebSocket'): Promise<void> {
  const radio = page.getByRole('radio', { name: link, exact: true });
  if ((await radio.count()) > 0) {
    await radio.first().check();
    return;
  }
  const select = page.locator('select').filter({ has: page.locator('option', { hasText: link }) });
  const option = select.first().locator('option', { hasText: link }).first();
  if ((await select.count()) === 0) {
    // A settings panel may have to be opened first.
    const settings = page.getByRole('button', { name: /settings/i });
    if ((await settings.count()) > 0) await settings.first().click();
  }
  if ((await radio.count()) > 0) {
    await radio.first().check();
    return;
  }
  // The option's label may carry a note, e.g. "WebRTC (default)".
  const label = (await option.textContent({ timeout: 5_000 }))?.trim() ?? link;
  await select.first().selectOption({ label }, { timeout: 5_000 });
}

export async function addTorrentFile(page: Page, torrentPath: string): Promise<void> {
  await page.getByLabel('Open torrent file').setInputFiles(torrentPath);
}

export async function addTorrentUrl(page: Page, url: string): Promise<void> {
  await page.getByLabel('Magnet link or torrent URL').fill(url);
  await page.getByRole('button', { name: 'Add', exact: true }).click();
}

/** The torrent's list item (the outermost one that has a progressbar and the torrent's name). */
export function torrentRow(page: Page, name: string): Locator {
  return page.getByRole('listitem').filter({ hasText: name }).filter({ has: page.getByRole('progressbar') }).first();
}

/** The row's progress, 0–100 (aria-valuenow), or null before the row exists. */
export async function progressOf(row: Locator): Promise<number | null> {
  const value = await row.getByRole('progressbar').first().getAttribute('aria-valuenow', { timeout: 1_000 }).catch(() => null);
  return value === null ? null : Number(value);
}

/** Polls the row's progress until `done(progress)`; returns that progress. */
export async function waitForProgress(row: Locator, done: (progress: number) => boolean, timeoutMs: number, what = 'progress'): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  let last: number | null = null;
  while (Date.now() < deadline) {
    last = await progressOf(row);
    if (last !== null && done(last)) return last;
    await row.page().waitForTimeout(POLL_MS);
  }
  throw new Error(`${what}: not reached within ${timeoutMs} ms (last aria-valuenow: ${last})`);
}

export function waitForComplete(row: Locator, timeoutMs: number): Promise<number> {
  return waitForProgress(row, (p) => p >= 100, timeoutMs, 'download complete (aria-valuenow=100)');
}

/** "Save <path>": the torrent's path (name/inner/path), or the inner path alone, both accepted. */
function saveButtonName(file: ExpectedFile): RegExp {
  const forms = [escapeRegExp(file.torrentPath)];
  if (file.innerPath) forms.push(escapeRegExp(file.innerPath));
  return new RegExp(`^Save (${forms.join('|')})$`);
}

/** Opens the row's details (clicking the torrent's name) unless the Save buttons already show. */
export async function openDetails(row: Locator, name: string, anyFile: ExpectedFile): Promise<void> {
  const save = row.page().getByRole('button', { name: saveButtonName(anyFile) });
  if (await save.first().isVisible().catch(() => false)) return;
  await row.getByText(name, { exact: true }).first().click();
  await save.first().waitFor({ state: 'visible', timeout: 10_000 });
}

export async function saveFile(page: Page, file: ExpectedFile): Promise<SavedDownload> {
  const button = page.getByRole('button', { name: saveButtonName(file) }).first();
  return captureDownload(page, () => button.click());
}

/** Picks the header setting "Peer encryption" by its option's text ("Prefer encrypted", "Require encrypted", "Plaintext only"). */
export async function choosePeerEncryption(page: Page, label: 'Prefer encrypted' | 'Require encrypted' | 'Plaintext only'): Promise<void> {
  await page.getByRole('combobox', { name: 'Peer encryption' }).selectOption({ label });
}

/** The details' peer table ("Peers"), one record per row keyed by column header ("Address", "Transport", "Encryption", …). */
export async function peerTableRows(page: Page): Promise<Array<Record<string, string>>> {
  const table = page.getByRole('table', { name: 'Peers' });
  if ((await table.count()) === 0) return [];
  const cells = await table.first().evaluate(tableCellTexts, undefined, { timeout: 2_000 }).catch((error: Error) => {
    if (error.name === 'TimeoutError') return []; // the table went away (no peers now)
    throw error;
  });
  const [headers = [], ...rows] = cells;
  return rows.map((row) => Object.fromEntries(row.map((text, i) => [headers[i] ?? String(i), text])));
}

/**
 * Runs in the page: the header row's texts, then each body row's. Binds no function to a name inside
 * (media-element.ts: keepNames' __name does not exist in the page). Cell text node by node, so a
 * cell's tags ("in", "choked") come out as words of their own; Lit's marker comments (type 8) left out.
 */
const tableCellTexts = (table: Element): string[][] => [table.querySelectorAll('thead th'), ...[...table.querySelectorAll('tbody tr')].map((row) => row.querySelectorAll('td'))]
  .map((cells) => [...cells].map((cell) => [...cell.childNodes].filter((node) => node.nodeType !== 8).map((node) => node.textContent ?? '').join(' ').replace(/\s+/g, ' ').trim()));
