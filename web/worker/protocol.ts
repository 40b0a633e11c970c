// Messages between the UI (main thread) and the engine worker. Plain data only: an error never
// crosses postMessage as an exception, it is a string the UI can show.
import type { LinkKind } from '../links/frame-link.ts';
import type { FilePriority } from './torrent/file-selection.ts';
import type { LimitSettings, TorrentLimits } from './rate-limit/limit-settings.ts';
import type { EncryptionMode } from './peer/encryption-mode.ts';
import type { PeerEncryption } from './peer/connection-description.ts';
import type { StreamKind } from './transport.ts';

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
  /** `askFirst`: once the files are known the torrent waits in 'choosing' for `start-torrent`. */
  | { type: 'add-torrent-file'; requestId: number; bytes: Uint8Array; fileName?: string; askFirst?: boolean }
  | { type: 'add-torrent-url'; requestId: number; url: string; askFirst?: boolean }
  /** Confirms the add dialog: the torrent starts with these per-file priorities (by file index). */
  | { type: 'start-torrent'; requestId: number; infoHashHex: string; priorities: FilePriority[] }
  | { type: 'set-file-priority'; requestId: number; infoHashHex: string; fileIndex: number; priority: FilePriority }
  /**
   * The player knows a file's duration: its bytes per second (length / duration) size the window
   * of pieces fetched ahead of the playhead.
   */
  | { type: 'stream-bitrate'; requestId: number; infoHashHex: string; fileIndex: number; bytesPerSecond: number }
  /** In-order downloading of the wanted pieces instead of rarest first. */
  | { type: 'set-sequential'; requestId: number; infoHashHex: string; sequential: boolean }
  | { type: 'pause'; requestId: number; infoHashHex: string }
  | { type: 'resume'; requestId: number; infoHashHex: string }
  | { type: 'remove'; requestId: number; infoHashHex: string }
  | { type: 'select-file'; requestId: number; infoHashHex: string; fileIndex: number; selected: boolean }
  /** A Blob of one file, composed of stored piece blobs (never the whole file in memory). */
  | { type: 'file-blob'; requestId: number; infoHashHex: string; fileIndex: number }
  /** The torrent whose details (files, peers, trackers) the UI shows; none: no details are sent. */
  | { type: 'show-torrent'; requestId: number; infoHashHex?: string }
  /** Global rate limits, upload slots and seeding goals (the page keeps them; sent at start-up and on change). */
  | { type: 'set-limits'; requestId: number; limits: LimitSettings }
  /** A torrent's overrides of those (absent fields: the global ones); kept in its record. */
  | { type: 'set-torrent-limits'; requestId: number; infoHashHex: string; limits: TorrentLimits }
  /** Peer encryption (MSE/PE) for new connections (the page keeps it; sent at start-up and on change). */
  | { type: 'set-encryption'; requestId: number; mode: EncryptionMode }
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

/** A port the service worker reads torrent files through (web/stream/); one per service worker. */
export type WorkerStreamMessage = { type: 'stream-port'; port: MessagePort };

export type WorkerRequest = WorkerCommand | WorkerLinkMessage | WorkerPageMessage | WorkerStreamMessage;

export type WorkerEvent =
  | { type: 'reply'; requestId: number; ok: true; value?: unknown }
  | { type: 'reply'; requestId: number; ok: false; error: string }
  | StateUpdate
  /** Something the user should know that is not tied to a request ("piece 12 failed verification"). */
  | { type: 'warning'; infoHashHex?: string; message: string }
  /** The worker lost its link and wants a new one (the main thread reconnects, with fallback). */
  | {
    type: 'link-lost'; reason: string; kind: LinkPreference;
    /** The bridge ErrorCode the gateway refused the link with, if any (UNAUTHORIZED: no retry helps). */
    code?: number;
  }
  | { type: 'link-up'; kind: LinkPreference };

// ---- The torrent list, by how often its fields change (Transmission's web client does the same):
// metadata once per torrent, list stats when they changed, details only for the torrent shown.

/** One file as the torrent describes it (BEP 47 padding files included, flagged). */
export interface FileInfo {
  index: number;
  path: string;
  length: number;
  padding: boolean;
}

/** What never changes while a torrent is listed (a magnet's changes once: when its metadata arrives). */
export interface TorrentMetadata {
  infoHashHex: string;
  name: string;
  totalBytes: number;
  pieceCount: number;
  pieceLength: number;
  files: FileInfo[];
}

/** The list's fields: sent for a torrent when one of them changed. */
export interface TorrentStats {
  infoHashHex: string;
  /**
   * 'metadata': a magnet link whose info dict is being fetched from peers (BEP 9).
   * 'choosing': its files are known and it waits for the user's choice (`start-torrent`).
   */
  state: 'stopped' | 'downloading' | 'seeding' | 'error' | 'metadata' | 'choosing';
  /** In-order downloading is on (`set-sequential`). */
  sequential: boolean;
  error?: string;
  /** Why the engine paused it ("Seeding goal reached: ratio 2.00"); absent when the user did. */
  stopReason?: string;
  wantedBytes: number;
  verifiedBytes: number;
  progress: number; // 0..1 of the wanted bytes
  downloadBps: number;
  uploadBps: number;
  downloadedBytes: number;
  uploadedBytes: number;
  wastedBytes: number;
  etaSeconds: number | null;
  peerCount: number;
  knownPeers: number;
}

/** A file's progress and choice, by its index in TorrentMetadata.files. */
export interface FileProgress {
  index: number;
  doneBytes: number;
  selected: boolean;
  priority: FilePriority;
}

export interface PeerInfo {
  address: string;
  client: string;
  downloadBps: number;
  uploadBps: number;
  progress: number; // 0..1
  inbound: boolean;
  choked: boolean; // they choke us
  requests: number;
  /** The transport that carries it (inbound ones: the gateway's ACCEPTED says); absent when not known. */
  transport?: StreamKind;
  /** MSE/PE: RC4, an obfuscated handshake only, or none (peer/connection-description.ts). */
  encryption?: PeerEncryption;
}

export interface TrackerInfo {
  url: string;
  /** BEP 12 tier, 0 first. */
  tier: number;
  peers: number;
  /** The tracker's counts (announce or scrape), when it gave them. */
  seeders?: number;
  leechers?: number;
  downloaded?: number;
  /** Its `warning message`: it answered, but has something to say. */
  warning?: string;
  error?: string;
}

/** The inspector's fields, only for the torrent the UI shows (`show-torrent`). */
export interface TorrentDetails {
  infoHashHex: string;
  files: FileProgress[];
  peers: PeerInfo[];
  trackers: TrackerInfo[];
  warnings: string[];
  /** Its overrides of the global limits and goals (absent fields follow the global ones). */
  limits?: TorrentLimits;
  /** Lifetime time spent seeding. */
  seedingSeconds?: number;
}

/**
 * What changed since the previous `state` (posted about twice a second, only when something did,
 * and at once when a torrent completes or another is shown). The UI merges these into its model.
 */
export interface StateUpdate {
  type: 'state';
  link: LinkStatus;
  storage?: StorageStatus;
  /** Torrents new to the list, or whose metadata changed (a magnet's arrived). */
  metadata: TorrentMetadata[];
  /** Torrents whose list fields changed (every new torrent among them). */
  stats: TorrentStats[];
  /** Torrents no longer in the engine. */
  removed: string[];
  /** The list's order (info-hashes), when it changed: torrents were added or removed. */
  order?: string[];
  /** The shown torrent's details, when they changed or another torrent is shown. */
  details?: TorrentDetails;
}
