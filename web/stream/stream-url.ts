// The URL a torrent's file is served at by the app's service worker (web/stream/service-worker.ts):
// /stream/<info-hash>/<file index>/<file name>. The name is only for the browser (a download's
// name, a tab's title); the index says which file. <video>, <audio>, <img> and "Open" use it.

export const STREAM_PATH_PREFIX = '/stream/';

export interface StreamTarget {
  infoHashHex: string;
  fileIndex: number;
}

export function streamUrl(infoHashHex: string, fileIndex: number, path: string): string {
  const name = path.slice(path.lastIndexOf('/') + 1);
  return `${STREAM_PATH_PREFIX}${infoHashHex}/${fileIndex}/${encodeURIComponent(name)}`;
}

/** The file a stream URL's path names, or undefined if it is not one. */
export function parseStreamPath(pathname: string): StreamTarget | undefined {
  if (!pathname.startsWith(STREAM_PATH_PREFIX)) return undefined;
  const [hex, index] = pathname.slice(STREAM_PATH_PREFIX.length).split('/');
  if (!hex || !/^[0-9a-f]{40}$/.test(hex) || !index || !/^\d{1,9}$/.test(index)) return undefined;
  return { infoHashHex: hex, fileIndex: Number(index) };
}
