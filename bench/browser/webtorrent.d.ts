// The slice of WebTorrent's Node API (npm `webtorrent`, no bundled types) that webtorrent-tab.ts uses.
declare module 'webtorrent' {
  import type { EventEmitter } from 'node:events';

  interface WebTorrentTorrent extends EventEmitter {
    infoHash: string;
    done: boolean;
    numPeers: number;
    uploaded: number;
  }

  interface WebTorrentOptions {
    dht?: boolean | object;
    lsd?: boolean;
    natUpnp?: boolean;
    natPmp?: boolean;
    utp?: boolean;
    webSeeds?: boolean;
    tracker?: boolean | { rtcConfig?: object; [key: string]: unknown };
  }

  interface AddOptions {
    path?: string;
    skipVerify?: boolean;
    announce?: string[];
  }

  export default class WebTorrent extends EventEmitter {
    constructor(options?: WebTorrentOptions);
    add(torrentId: Uint8Array | string, options?: AddOptions, onTorrent?: (torrent: WebTorrentTorrent) => void): WebTorrentTorrent;
    destroy(callback?: (err?: Error | null) => void): void;
  }
}
