// The parsed form of a v1 .torrent file (BEP 3) and its parts.

export interface TorrentFile {
  index: number;
  /** Safe relative path, segments joined by '/'. Starts with the torrent name in multi-file torrents. */
  path: string;
  pathSegments: string[];
  length: number;
  /** Byte offset of this file in the torrent's concatenated data. */
  offset: number;
  /** BEP 47 pad file (attr 'p', or BitComet's "_____padding_file_" name): zeros, never written. */
  padding: boolean;
  /** BEP 47 symlink (attr 'l'): its target, a path in the same form as `path`. Its length is 0. */
  symlinkTarget?: string;
}

export interface Metainfo {
  infoHash: Uint8Array;
  infoHashHex: string;
  /** The info dict exactly as it appeared in the .torrent file (what the info-hash covers). */
  infoBytes: Uint8Array;
  name: string;
  pieceLength: number;
  pieceCount: number;
  /** 20 bytes of SHA-1 per piece. */
  pieceHashes: Uint8Array;
  totalLength: number;
  files: TorrentFile[];
  /** BEP 12 tiers of tracker URLs (http, https, udp, ws, wss only), deduplicated. */
  announce: string[][];
  /** BEP 19 web seeds, deduplicated. A URL ending in '/' is a folder holding the torrent's files. */
  urlList: string[];
  /** BEP 27: no DHT, PEX or LSD. */
  private: boolean;
  comment?: string;
  createdBy?: string;
  /** Seconds since the Unix epoch. */
  creationDate?: number;
}
