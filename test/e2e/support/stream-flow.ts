// The steps of watching a torrent's file while it downloads, as a person does them: paste the
// magnet, open the torrent's details once its files are known, press Play as soon as it is enabled.
// Shared by the streaming e2e tests and the streaming bench (bench/browser/stream.ts).
import type { Locator, Page } from 'playwright-core';
import { magnetFor } from '../../helpers/torrent-file.ts';
import { addTorrentUrl, openApp, openDetails, torrentRow, waitForGatewayConnected } from './app-page.ts';
import { mediaElement, pageNow, playButton, streamPathPattern, waitForEnabled, type MediaKind } from './media-element.ts';
import type { E2eSwarm, ExpectedFile } from './swarm.ts';

/** Pastes the swarm's magnet (its tracker knows the seeder) and returns the torrent's row. */
export async function pasteMagnet(page: Page, swarm: E2eSwarm): Promise<Locator> {
  await addTorrentUrl(page, magnetFor(swarm.torrent, [swarm.tracker.httpAnnounceUrl]));
  return torrentRow(page, swarm.torrent.name); // the magnet's dn= names the row until the metadata arrives
}

const METADATA_TIMEOUT_MS = 30_000;

export interface PastedMagnet {
  row: Locator;
  /** When the magnet was pasted, on the page's clock (epoch ms). */
  pastedAt: number;
}

/**
 * Opens the app (the add dialog off: the torrent starts at once), pastes the swarm's magnet once
 * the gateway is connected, and opens the torrent's details once its files are known.
 */
export async function openAppAndPasteMagnet(page: Page, gatewayUrl: string, swarm: E2eSwarm, file: ExpectedFile): Promise<PastedMagnet> {
  await openApp(page, gatewayUrl);
  await waitForGatewayConnected(page);
  const pastedAt = await pageNow(page);
  const row = await pasteMagnet(page, swarm);
  await openDetailsWhenKnown(row, swarm.torrent.name, file, METADATA_TIMEOUT_MS);
  return { row, pastedAt };
}

/** Opens the details once the metadata has arrived (the file's Save button shows then). */
export async function openDetailsWhenKnown(row: Locator, name: string, file: ExpectedFile, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await openDetails(row, name, file);
    } catch (err) {
      if (Date.now() > deadline) throw new Error(`the files of ${name} never showed (metadata from the magnet?): ${(err as Error).message}`);
    }
  }
}

export interface StartedPlayer {
  media: Locator;
  /** The torrent's progress (%) when Play became enabled. */
  progressAtPlay: number;
  /** The media element's src. */
  src: string;
  /** When Play was pressed, on the page's clock (epoch ms). */
  pressedAt: number;
}

/**
 * Presses "Play <path>" as soon as it is enabled and returns the player's media element, after
 * checking that it reads the file's stream URL (the service worker), not a Blob of a finished file.
 */
export async function playWhenEnabled(page: Page, row: Locator, file: ExpectedFile, kind: MediaKind, where: { infoHash: string; fileIndex: number }, timeoutMs: number): Promise<StartedPlayer> {
  const button = playButton(page, file.torrentPath);
  const progressAtPlay = await waitForEnabled(button, row, `Play ${file.torrentPath}`, timeoutMs);
  const pressedAt = await pageNow(page);
  await button.click();
  const media = mediaElement(page, kind);
  await media.waitFor({ state: 'attached', timeout: 10_000 });
  const src = await media.evaluate((el: HTMLMediaElement) => el.currentSrc || el.src);
  if (!streamPathPattern(where.infoHash, where.fileIndex).test(new URL(src).pathname)) {
    throw new Error(`the player's src is ${src}, not the file's stream URL /stream/${where.infoHash}/${where.fileIndex}/<name>`);
  }
  return { media, progressAtPlay, src, pressedAt };
}
