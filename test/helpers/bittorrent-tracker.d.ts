// The slice of bittorrent-tracker's server (npm, no bundled types) that test/helpers/tracker.ts uses.
declare module 'bittorrent-tracker/server' {
  import type { EventEmitter } from 'node:events';
  import type { Server as HttpServer } from 'node:http';
  import type { Socket as UdpSocket } from 'node:dgram';

  interface TrackerServerOptions {
    interval?: number;
    http?: boolean | object;
    udp?: boolean | object;
    ws?: boolean | object;
    stats?: boolean;
    trustProxy?: boolean;
    filter?: (infoHash: string, params: unknown, cb: (err?: Error | null) => void) => void;
  }

  interface SwarmPeer {
    type: string;
    complete: boolean;
    peerId: string;
    ip: string;
    port: number;
  }

  interface Swarm {
    complete: number;
    incomplete: number;
    peers: { keys: string[]; peek(key: string): SwarmPeer | undefined };
  }

  export default class Server extends EventEmitter {
    constructor(options?: TrackerServerOptions);
    http: HttpServer | null;
    udp4: UdpSocket | null;
    udp6: UdpSocket | null;
    torrents: Record<string, Swarm>;
    listen(
      port: number | { http?: number; udp?: number },
      hostname?: string | { http?: string; udp?: string; udp6?: string },
      onListening?: () => void,
    ): void;
    close(cb?: (err?: Error | null) => void): void;
  }
}
