// What the service worker and the engine worker say over the MessagePort the engine's page hands
// the service worker (web/stream/stream-port.ts). The service worker asks; the engine answers
// each request by its id. Bytes travel as transferred ArrayBuffers.

/** A file the engine serves. */
export interface StreamFileInfo {
  length: number;
  /** The file's path inside the torrent (its last part names a download). */
  path: string;
  /** Where the file starts in the torrent's data, and the piece length: reads end at piece ends. */
  offset: number;
  pieceLength: number;
}

export type StreamRequest =
  /** Is this file there, and how long is it? */
  | { type: 'file'; id: number; infoHashHex: string; fileIndex: number }
  /**
   * Bytes of the file from `start`, at most up to `end` (exclusive): the engine answers with what
   * it has from `start` to the end of that piece at most, waiting for the piece if need be. The
   * reader's window (its deadlines) moves to `start`.
   */
  | { type: 'read'; id: number; readerId: string; infoHashHex: string; fileIndex: number; start: number; end: number }
  /** The reader is gone (the response ended or was cancelled): its deadlines go. */
  | { type: 'close-reader'; readerId: string; infoHashHex: string };

export type StreamReply =
  | { type: 'file'; id: number; file: StreamFileInfo }
  | { type: 'data'; id: number; bytes: ArrayBuffer }
  | { type: 'error'; id: number; status: 404 | 500 | 503; message: string };

/** From the service worker to every window: the engine's port is wanted (it has none, or it went quiet). */
export const STREAM_PORT_WANTED = 'tabtorrent-stream-port-wanted';
/** From the engine's window to the service worker, with the port transferred. */
export const STREAM_PORT_OFFER = 'tabtorrent-stream-port';
