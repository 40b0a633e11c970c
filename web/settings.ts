// What the tab remembers between visits: the gateway's access token and the link preference.
import type { LinkPreference } from './worker/protocol.ts';

const TOKEN_KEY = 'tabtorrent.token';
const LINK_KEY = 'tabtorrent.link';

/**
 * The token arrives once in the URL the gateway printed (?token=…); it is kept in localStorage
 * and removed from the address bar so it does not end up in bookmarks or screenshots.
 */
export function takeTokenFromUrl(location: Location, history: History): string | undefined {
  const url = new URL(location.href);
  const fromUrl = url.searchParams.get('token');
  if (fromUrl) {
    localStorage.setItem(TOKEN_KEY, fromUrl);
    url.searchParams.delete('token');
    history.replaceState(null, '', url.pathname + url.search + url.hash);
  }
  return fromUrl ?? localStorage.getItem(TOKEN_KEY) ?? undefined;
}

export function linkPreference(location: Location): LinkPreference {
  const fromUrl = new URL(location.href).searchParams.get('link');
  if (fromUrl === 'websocket' || fromUrl === 'webrtc') return fromUrl;
  return localStorage.getItem(LINK_KEY) === 'websocket' ? 'websocket' : 'webrtc';
}

export function saveLinkPreference(preference: LinkPreference): void {
  localStorage.setItem(LINK_KEY, preference);
}
