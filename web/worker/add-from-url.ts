import type { AddOptions, Engine } from './engine.ts';
import type { Transport } from './transport.ts';

const MAX_TORRENT_FILE_BYTES = 16 * 1024 * 1024;

/** Adds a torrent given as a URL: an http(s) .torrent fetched through the gateway, or a magnet. */
export async function addFromUrl(engine: Engine, transport: () => Transport, text: string, options: AddOptions = {}): Promise<string> {
  const url = text.trim();
  if (/^magnet:/i.test(url)) return engine.addMagnet(url, options);
  if (!/^https?:\/\//i.test(url)) throw new Error('Paste a magnet link or an http(s) link to a .torrent file.');
  const response = await transport().httpGet(url, { maxBytes: MAX_TORRENT_FILE_BYTES, timeoutMs: 30_000 });
  if (response.status !== 200) throw new Error(`The server answered HTTP ${response.status} for that torrent link.`);
  return engine.addTorrentFile(response.body, options);
}
