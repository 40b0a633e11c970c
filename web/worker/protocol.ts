// Messages between the UI (main thread) and the engine worker. Plain data only: an error never
// crosses postMessage as an exception, it is a string the UI can show.
import type { TorrentSnapshot } from './torrent/snapshot.ts';
import type { LinkKind } from '../links/frame-link.ts';

/** The link the user picks: one of the tab's link kinds (web/links/). */
export type LinkPreference = LinkKind;

/** How the tab reaches the gateway right now. */
export interface LinkStatus {
  state: 'idle' | 'connecting' | 'connected' | 'disconnected' | 'unauthorized';
  /** The link in use (or being tried). */
  kind?: LinkPreference;
  /** True when WebRTC was wanted but failed and the WebSocket took over. */
  fellBack?: boolean;
  error?: string;
}

export interface StorageStatus {
  usageBytes: number;
  quotaBytes: number;
  persisted: boolean;
}

/** Commands from the UI. Each carries a requestId; the worker answers with a `reply`. */
export type WorkerCommand =
  | { type: 'add-torrent-file'; requestId: number; bytes: Uint8Array; fileName?: string }
  | { type: 'add-torrent-url'; requestId: number; url: string }
  | { type: 'pause'; requestId: number; infoHashHex: string }
  | { type: 'resume'; requestId: number; infoHashHex: string }
  | { type: 'remove'; requestId: number; infoHashHex: string }
  | { type: 'select-file'; requestId: number; infoHashHex: string; fileIndex: number; selected: boolean }
  /** A Blob of one file, composed of stored piece blobs (never the whole file in memory). */
  | { type: 'file-blob'; requestId: number; infoHashHex: string; fileIndex: number }
  /** Another tab takes the engine over: stop every torrent, save the records, drop the link. */
  | { type: 'shutdown'; requestId: number };

/** Link management from the main thread (which owns RTCPeerConnection). */
export type WorkerLinkMessage =
  /** A data channel transferred into the worker (before it opened). */
  | { type: 'link-datachannel'; channel: RTCDataChannel }
  /** The worker opens this WebSocket itself. */
  | { type: 'link-websocket'; url: string }
  /** Frames forwarded through a MessagePort where a channel cannot be transferred. */
  | { type: 'link-port'; port: MessagePort; kind: LinkPreference }
  /** Drop the current link (the user changed the link setting); no link-lost follows. */
  | { type: 'link-close' }
  | { type: 'link-status-hint'; status: LinkStatus };

/**
 * The page is going away (`pagehide`): a worker gets no unload event of its own. The engine stops
 * its torrents at once, so their `stopped` announces leave before the tab does (best effort).
 * `sent` (shared memory, where the page is cross-origin isolated): the worker sets it to 1 once
 * those frames have left, and the page holds its unload until then, briefly (web/page-hide.ts).
 */
export type WorkerPageMessage = { type: 'page-hide'; sent?: Int32Array<SharedArrayBuffer> };

export type WorkerRequest = WorkerCommand | WorkerLinkMessage | WorkerPageMessage;

export type WorkerEvent =
  | { type: 'reply'; requestId: number; ok: true; value?: unknown }
  | { type: 'reply'; requestId: number; ok: false; error: string }
  /** Periodic state for the UI (about twice a second while anything runs). */
  | { type: 'state'; torrents: TorrentSnapshot[]; link: LinkStatus; storage?: StorageStatus }
  /** Something the user should know that is not tied to a request ("piece 12 failed verification"). */
  | { type: 'warning'; infoHashHex?: string; message: string }
  /** The worker lost its link and wants a new one (the main thread reconnects, with fallback). */
  | {
    type: 'link-lost'; reason: string; kind: LinkPreference;
    /** The bridge ErrorCode the gateway refused the link with, if any (UNAUTHORIZED: no retry helps). */
    code?: number;
  }
  | { type: 'link-up'; kind: LinkPreference };
