// The events the elements fire (they bubble and cross shadow roots); tt-app turns them into
// engine commands. Elements never call the engine themselves.
import type { LinkPreference } from '../worker/protocol.ts';
import type { FilePriority } from '../worker/torrent/file-selection.ts';
import type { EncryptionMode } from '../worker/peer/encryption-mode.ts';
import type { FileView } from './engine-client.ts';

/**
 * `add-torrent`. The listener may set `done` to the command's promise; the sender then waits
 * for it (to clear its input only when the torrent was added).
 */
export type AddTorrentDetail =
  ({ kind: 'url'; url: string } | { kind: 'file'; bytes: Uint8Array; fileName: string }) & { done?: Promise<unknown> };

/** `torrent-action`: a row's Pause / Resume / Remove. */
export interface TorrentActionDetail {
  infoHashHex: string;
  name: string;
  action: 'pause' | 'resume' | 'remove';
}

/** `torrent-select`: show this torrent in the details. */
export interface TorrentSelectDetail {
  infoHashHex: string;
}

/** `file-save`: download one complete file. */
export interface FileSaveDetail {
  infoHashHex: string;
  fileIndex: number;
  path: string;
  /** Set by the listener: the save in progress. */
  done?: Promise<unknown>;
}

/** `file-priority`: fetch this file before or after the others, or skip it. */
export interface FilePriorityDetail {
  infoHashHex: string;
  fileIndex: number;
  priority: FilePriority;
}

/** `sequential-change`: download the torrent's pieces in order (for playing while downloading), or not. */
export interface SequentialDetail {
  infoHashHex: string;
  name: string;
  sequential: boolean;
}

/** `add-start`: the add dialog's Start download, with every file's priority by index. */
export interface AddStartDetail {
  infoHashHex: string;
  name: string;
  priorities: FilePriority[];
}

/** `add-cancel`: the add dialog's Cancel (or Escape): the torrent is removed. */
export interface AddCancelDetail {
  infoHashHex: string;
  name: string;
}

/** `file-play`: play one file in the page (streamed while it downloads, where the tab can). */
export interface FilePlayDetail {
  infoHashHex: string;
  fileIndex: number;
  path: string;
}

/** `player-duration`: the player read a file's duration (the engine sizes its read-ahead by it). */
export interface PlayerDurationDetail {
  infoHashHex: string;
  fileIndex: number;
  seconds: number;
}

/** `file-select`: download this file or skip it. */
export interface FileSelectDetail {
  infoHashHex: string;
  fileIndex: number;
  selected: boolean;
}

/** `files-save-all`: write the complete files into a folder the user picks (synchronously, in the click). */
export interface SaveAllDetail {
  infoHashHex: string;
  name: string;
  files: FileView[];
  /** Set by the listener: the save in progress. */
  done?: Promise<unknown>;
}

/** `message-dismiss`: close one error message. */
export interface MessageDismissDetail {
  id: number;
}

/** `app-error`: something an element could not do, for the page's error area. */
export interface AppErrorDetail {
  message: string;
}

export interface TabTorrentEvents {
  'app-error': CustomEvent<AppErrorDetail>;
  'add-torrent': CustomEvent<AddTorrentDetail>;
  'torrent-action': CustomEvent<TorrentActionDetail>;
  'torrent-select': CustomEvent<TorrentSelectDetail>;
  'file-save': CustomEvent<FileSaveDetail>;
  'file-select': CustomEvent<FileSelectDetail>;
  'file-play': CustomEvent<FilePlayDetail>;
  'file-priority': CustomEvent<FilePriorityDetail>;
  'sequential-change': CustomEvent<SequentialDetail>;
  'add-start': CustomEvent<AddStartDetail>;
  'add-cancel': CustomEvent<AddCancelDetail>;
  /** The "Show files before downloading" setting changed. */
  'ask-first-change': CustomEvent<boolean>;
  /** The "Peer encryption" setting changed. */
  'encryption-change': CustomEvent<EncryptionMode>;
  'player-close': CustomEvent<Record<string, never>>;
  'player-duration': CustomEvent<PlayerDurationDetail>;
  'files-save-all': CustomEvent<SaveAllDetail>;
  'message-dismiss': CustomEvent<MessageDismissDetail>;
  /** "Use it here": run the engine in this tab. Listened for on window by web/main.ts (the engine lock). */
  'engine-take-over': CustomEvent<Record<string, never>>;
  /** Listened for on window by web/main.ts (the LinkManager). */
  'link-preference-change': CustomEvent<LinkPreference>;
}

declare global {
  interface HTMLElementEventMap extends TabTorrentEvents {}
}

/** Dispatches a bubbling, composed CustomEvent and returns its detail (listeners may add to it). */
export function emit<K extends keyof TabTorrentEvents>(
  from: EventTarget, type: K, detail: TabTorrentEvents[K]['detail'],
): TabTorrentEvents[K]['detail'] {
  from.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
  return detail;
}
