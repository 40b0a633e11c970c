// The Content-Type a torrent's file is served with, by its extension: the media types the player
// knows (web/ui/media-type.ts) plus what a browser tab shows by itself. Anything else is
// application/octet-stream, which the browser offers to save.
import { mediaTypeOf } from '../ui/media-type.ts';

const SHOWN_IN_A_TAB: Record<string, string> = {
  png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg', gif: 'image/gif', webp: 'image/webp', avif: 'image/avif',
  svg: 'image/svg+xml', bmp: 'image/bmp', ico: 'image/x-icon',
  pdf: 'application/pdf',
  txt: 'text/plain; charset=utf-8', nfo: 'text/plain; charset=utf-8', md: 'text/plain; charset=utf-8',
  srt: 'text/plain; charset=utf-8', vtt: 'text/vtt; charset=utf-8', log: 'text/plain; charset=utf-8',
  // Shown as text, never run: a torrent's HTML would otherwise be a page of this origin.
  html: 'text/plain; charset=utf-8', htm: 'text/plain; charset=utf-8',
};

export function contentTypeOf(path: string): string {
  const media = mediaTypeOf(path);
  if (media) return media.mime;
  const dot = path.lastIndexOf('.');
  return (dot >= 0 && SHOWN_IN_A_TAB[path.slice(dot + 1).toLowerCase()]) || 'application/octet-stream';
}
