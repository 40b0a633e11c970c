// Starts a gateway: the HTTP server (static app + /signal) on --host, the inbound peer listener
// (TCP, and uTP on the same port number) on --peer-host, and the shared state sessions use. `startGateway` is the programmatic API (tests, main.ts).
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo, Server } from 'node:net';
import { isIP } from 'node:net';
import type { Duplex } from 'node:stream';
import { GatewayShares } from './limits.ts';
import { withDefaults, type GatewayOptions } from './options.ts';
import { Policy } from './policy.ts';
import { DEFAULT_HTTP_TIMEOUTS } from './relays/http-deadlines.ts';
import { bindFirstPeerHost, createHandshakeReader, DEFAULT_PEER_HOSTS, InboundRouter, startInboundListener } from './relays/inbound-listener.ts';
import { Signaling } from './signaling.ts';
import { Authenticator } from './auth.ts';
import { AuthThrottle } from './auth-throttle.ts';
import { createHttpApp } from './http-app.ts';
import { contained } from './last-resort.ts';
import { UtpEndpoint } from './utp/utp-endpoint.ts';

export interface GatewayStats {
  sessions: number;
  /** Streams open (or opening) across all sessions. */
  streams: number;
  /** Bytes held inside the gateway: link send queues, pending DATA, socket buffers. */
  bufferedBytes: number;
  /** LISTEN registrations. */
  listens: number;
}

export interface RunningGateway {
  port: number;
  peerPort: number;
  /** The address the peer listener and the uTP socket are bound to (`::` is dual-stack). */
  peerHost: string;
  token: string;
  url: string;
  stats(): GatewayStats;
  close(): Promise<void>;
}

function hostForUrl(host: string): string {
  return isIP(host) === 6 ? `[${host}]` : host;
}

function listenHttp(server: HttpServer, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

function closeServer(server: Server | HttpServer): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

const HEADERS_TIMEOUT_MS = 15_000;
const REQUEST_TIMEOUT_MS = 30_000;
const MAX_HEADER_BYTES = 16 * 1024;

/** A request Node could not parse: 400 if the socket can still take it, then gone. */
function answerClientError(socket: Duplex): void {
  if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
  socket.destroy();
}

/** Attempts at a free port number for both TCP and UDP when the peer port is 0 (any). */
const PEER_PORT_ATTEMPTS = 8;

/**
 * The inbound peer listener and the uTP endpoint share one port number, so a peer reaches us at
 * the announced port over either transport. With port 0 the TCP port is picked first; if that
 * number is taken for UDP, try another.
 */
async function listenForPeers(host: string, port: number, router: InboundRouter): Promise<{ inbound: Server; utp: UtpEndpoint }> {
  for (let attempt = 1; ; attempt++) {
    const inbound = await startInboundListener(host, port, router);
    try {
      const utp = await UtpEndpoint.bind(host, (inbound.address() as AddressInfo).port);
      utp.onAccept = contained('an inbound uTP connection', createHandshakeReader(router));
      return { inbound, utp };
    } catch (err) {
      await closeServer(inbound);
      if (port !== 0 || attempt === PEER_PORT_ATTEMPTS || (err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw err;
    }
  }
}

export async function startGateway(partial: Partial<GatewayOptions> = {}): Promise<RunningGateway> {
  const options = withDefaults(partial);
  let httpPort = 0;
  const policy = new Policy({ allowPrivate: options.allowPrivate, ownHttpPort: () => httpPort, dnsServers: options.dnsServers });
  const router = new InboundRouter();
  const auth = new Authenticator(options.token);
  const throttle = new AuthThrottle();
  const peerHosts = options.peerHost !== undefined ? [options.peerHost] : DEFAULT_PEER_HOSTS;
  const { host: peerHost, bound: peers } = await bindFirstPeerHost(peerHosts, (host) => listenForPeers(host, options.peerPort, router));
  const { inbound, utp } = peers;
  const peerPort = (inbound.address() as AddressInfo).port;
  const signaling = new Signaling({
    context: {
      policy,
      router,
      shares: new GatewayShares(options.maxStreams),
      // Tabs' UDP sockets bind the peer host too (`::`: dual-stack on every interface).
      udpHost: peerHost,
      peerPort,
      utp,
      httpTimeouts: { ...DEFAULT_HTTP_TIMEOUTS, idleMs: options.httpIdleTimeoutMs },
    },
    ice: { bindAddress: options.iceBind, announceAddress: options.iceAnnounce, portRange: options.icePortRange },
    maxSessions: options.maxSessions,
    allowOrigins: options.allowOrigins,
    auth,
    throttle,
  });

  const http = createServer(
    // Slow clients cannot hold a request open: the head and the whole request have deadlines.
    { headersTimeout: HEADERS_TIMEOUT_MS, requestTimeout: REQUEST_TIMEOUT_MS, maxHeaderSize: MAX_HEADER_BYTES },
    createHttpApp({ auth, throttle, staticDir: options.staticDir, clientConfig: { dhtBootstrap: options.dhtBootstrap } }),
  );
  http.on('upgrade', (req, socket, head) => signaling.handleUpgrade(req, socket, head));
  http.on('clientError', (_err, socket) => answerClientError(socket));
  try {
    await listenHttp(http, options.port, options.host);
  } catch (err) {
    await closeServer(inbound);
    utp.close();
    throw err;
  }
  httpPort = (http.address() as AddressInfo).port;
  const url = `http://${hostForUrl(options.host)}:${httpPort}/?token=${encodeURIComponent(options.token)}`;

  return {
    port: httpPort,
    peerPort,
    peerHost,
    token: options.token,
    url,
    stats() {
      let streams = 0;
      let bufferedBytes = 0;
      for (const s of signaling.sessions) {
        streams += s.streamCount;
        bufferedBytes += s.bufferedBytes();
      }
      return { sessions: signaling.sessions.size, streams, bufferedBytes, listens: router.size };
    },
    async close() {
      signaling.close();
      utp.close();
      http.closeAllConnections();
      await Promise.all([closeServer(http), closeServer(inbound)]);
    },
  };
}
