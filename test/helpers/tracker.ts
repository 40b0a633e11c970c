// A real HTTP + UDP tracker on 127.0.0.1 (bittorrent-tracker's server module; no WebSocket tracker).
// Peers are keyed by ip:port, so many loopback peers share the swarm. Its answers include the
// requester itself (only WebSocket peers are filtered), so a client must skip its own address.
import Server from 'bittorrent-tracker/server';
import type { AddressInfo } from 'node:net';

export interface TrackerPeer {
  ip: string;
  port: number;
  complete: boolean;
}

/** One announce the tracker answered (HTTP or UDP). */
export interface TrackerAnnounce {
  /** 'started', 'stopped', 'completed', 'paused', or 'update' for a regular announce. */
  event: string;
  infoHashHex: string;
  port: number;
}

export interface TestTracker {
  httpAnnounceUrl: string;
  udpAnnounceUrl: string;
  httpPort: number;
  udpPort: number;
  /** Peers that announced for the info-hash (hex, lower case) and have not stopped. */
  peersOf(infoHashHex: string): TrackerPeer[];
  /** HTTP announce requests and UDP tracker datagrams (connect + announce + scrape) received. */
  announceCount(): { http: number; udp: number };
  /** Every announce answered so far, in order. */
  announces(): TrackerAnnounce[];
  close(): Promise<void>;
}

export interface StartTrackerOptions {
  /** Re-announce interval the tracker asks for, in ms (default 60 s). */
  intervalMs?: number;
}

export async function startTracker(options: StartTrackerOptions = {}): Promise<TestTracker> {
  const server = new Server({ http: true, udp: true, ws: false, stats: false, interval: options.intervalMs ?? 60_000 });
  const counts = { http: 0, udp: 0 };
  server.http?.on('request', (req) => {
    if (req.url?.startsWith('/announce')) counts.http++;
  });
  server.udp4?.on('message', () => counts.udp++);
  server.on('warning', () => {}); // malformed requests are the client's problem, reported to it
  const announces: TrackerAnnounce[] = [];
  // The server emits each answered announce under its event's name ('start' for 'started', …).
  for (const name of ['start', 'stop', 'complete', 'update', 'pause']) {
    server.on(name, (_addr: string, params: { event?: string; info_hash: string; port: number }) => {
      announces.push({ event: params.event || 'update', infoHashHex: params.info_hash, port: params.port });
    });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    // udp6 has to bind somewhere; ::1 keeps it on loopback too.
    server.listen(0, { http: '127.0.0.1', udp: '127.0.0.1', udp6: '::1' }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', (err: Error) => process.stderr.write(`tracker error: ${err.message}\n`));

  const httpPort = (server.http!.address() as AddressInfo).port;
  const udpPort = server.udp4!.address().port;
  return {
    httpAnnounceUrl: `http://127.0.0.1:${httpPort}/announce`,
    udpAnnounceUrl: `udp://127.0.0.1:${udpPort}`,
    httpPort,
    udpPort,
    peersOf(infoHashHex) {
      const swarm = server.torrents[infoHashHex.toLowerCase()];
      if (!swarm) return [];
      return swarm.peers.keys
        .map((key) => swarm.peers.peek(key))
        .filter((peer) => peer !== undefined)
        .map((peer) => ({ ip: peer.ip, port: peer.port, complete: peer.complete }));
    },
    announceCount: () => ({ ...counts }),
    announces: () => [...announces],
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
