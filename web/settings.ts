// What the tab remembers between visits: the link preference, and whether to show a torrent's files
// before downloading. (The gateway's access token is not the page's to keep: the gateway turns it
// into an HttpOnly cookie on the first visit.)
import type { LinkPreference } from './worker/protocol.ts';
import { DEFAULT_ENCRYPTION, type EncryptionMode, isEncryptionMode } from './worker/peer/encryption-mode.ts';
import { checkLimitSettings, type LimitSettings } from './worker/rate-limit/limit-settings.ts';

const LINK_KEY = 'tabtorrent.link';
/** Where earlier versions kept the token in clear: removed on sight. */
const LEGACY_TOKEN_KEY = 'tabtorrent.token';

export function forgetLegacyToken(): void {
  localStorage.removeItem(LEGACY_TOKEN_KEY);
}

export function linkPreference(location: Location): LinkPreference {
  const fromUrl = new URL(location.href).searchParams.get('link');
  if (fromUrl === 'websocket' || fromUrl === 'webrtc') return fromUrl;
  return localStorage.getItem(LINK_KEY) === 'websocket' ? 'websocket' : 'webrtc';
}

export function saveLinkPreference(preference: LinkPreference): void {
  localStorage.setItem(LINK_KEY, preference);
}

export type SignIn = 'signed-in' | 'signed-out' | 'unknown';

/** Whether the gateway that served this page knows us (its sign-in cookie); 'unknown' when it cannot be asked. */
export async function signInState(origin: string): Promise<SignIn> {
  try {
    const response = await fetch(new URL('/config.json', origin), { cache: 'no-store' });
    if (!response.ok) return 'unknown';
    return ((await response.json()) as { authorised?: unknown }).authorised === true ? 'signed-in' : 'signed-out';
  } catch {
    return 'unknown'; // the gateway is down or restarting: the link manager keeps trying
  }
}

export const ENCRYPTION_KEY = 'tabtorrent.encryption';

/** "Peer encryption": prefer encrypted unless the user chose otherwise. */
export function encryptionMode(storage?: Pick<Storage, 'getItem'>): EncryptionMode {
  try {
    const value = (storage ?? localStorage).getItem(ENCRYPTION_KEY);
    return isEncryptionMode(value) ? value : DEFAULT_ENCRYPTION;
  } catch {
    return DEFAULT_ENCRYPTION; // storage refused: the default
  }
}

export function saveEncryptionMode(mode: EncryptionMode, storage?: Pick<Storage, 'setItem'>): void {
  try {
    (storage ?? localStorage).setItem(ENCRYPTION_KEY, mode);
  } catch {
    // Not kept: the setting still holds for this visit.
  }
}

export const LIMITS_KEY = 'tabtorrent.limits';

/** Global rate limits, upload slots and seeding goals; the defaults when none are kept or they no longer check. */
export function limitSettings(storage?: Pick<Storage, 'getItem'>): LimitSettings {
  try {
    return checkLimitSettings(JSON.parse((storage ?? localStorage).getItem(LIMITS_KEY) ?? '{}'));
  } catch {
    return checkLimitSettings({}); // storage refused, or a value that no longer checks: the defaults
  }
}

export function saveLimitSettings(settings: LimitSettings, storage?: Pick<Storage, 'setItem'>): void {
  try {
    (storage ?? localStorage).setItem(LIMITS_KEY, JSON.stringify(settings));
  } catch {
    // Not kept: the settings still hold for this visit.
  }
}

export const ASK_FIRST_KEY = 'tabtorrent.askFirst';

/** "Show files before downloading": a new torrent waits for the user's choice of files. On unless turned off. */
export function askFirst(storage?: Pick<Storage, 'getItem'>): boolean {
  try {
    return (storage ?? localStorage).getItem(ASK_FIRST_KEY) !== 'false';
  } catch {
    return true; // storage refused (a sandboxed frame, privacy settings): the default
  }
}

export function saveAskFirst(value: boolean, storage?: Pick<Storage, 'setItem'>): void {
  try {
    (storage ?? localStorage).setItem(ASK_FIRST_KEY, String(value));
  } catch {
    // Not kept: the checkbox still holds for this visit.
  }
}
