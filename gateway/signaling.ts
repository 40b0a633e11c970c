// The /signal WebSocket: checks the credential (gateway/auth.ts) and the page's origin before
// upgrading, then gives the tab a Session over the link it asked for (`link=websocket`: frames on
// this WebSocket; `link=webrtc`: the WebSocket carries simple-peer signals and the frames run on a
// data channel). Any request, however malformed, gets a status or a closed socket, never a throw.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { FrameLink } from './links/frame-link.ts';
import { WebRtcLink, type IceOptions } from './links/webrtc-link.ts';
import { WebSocketLink } from './links/websocket-link.ts';
import { unmapAddress } from './address-class.ts';
import { chooseSubprotocol, type Authenticator, type Credential } from './auth.ts';
import type { AuthThrottle } from './auth-throttle.ts';
import { logInternalError } from './last-resort.ts';
import { originAllowed } from './origin-check.ts';
import { parseRequestTarget } from './request-target.ts';
import { Session, type SessionContext } from './session.ts';

export const SIGNAL_PATH = '/signal';
/** A bridge frame is at most ~257 KiB; signals are a few KiB. */
export const MAX_WS_MESSAGE_BYTES = 300 * 1024;

export interface SignalingOptions {
  context: SessionContext;
  ice: IceOptions;
  maxSessions: number;
  allowOrigins: readonly string[];
  auth: Authenticator;
  throttle: AuthThrottle;
}

function refuse(socket: Duplex, status: number, text: string): void {
  if (socket.destroyed) return;
  const body = `${text}\n`;
  socket.end(
    `HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
  socket.destroy();
}

export class Signaling {
  readonly sessions = new Set<Session>();
  private readonly wss = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_WS_MESSAGE_BYTES,
    perMessageDeflate: false,
    handleProtocols: chooseSubprotocol,
  });

  constructor(private readonly options: SignalingOptions) {}

  /** The HTTP server's 'upgrade' handler. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => socket.destroy());
    try {
      this.upgrade(req, socket, head);
    } catch (error) {
      logInternalError('a /signal upgrade', error);
      refuse(socket, 500, 'Internal Server Error');
    }
  }

  private upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = parseRequestTarget(req.url);
    if (url === null) return refuse(socket, 400, 'Bad Request');
    if (url.pathname !== SIGNAL_PATH) return refuse(socket, 404, 'Not Found');
    const credential = this.options.auth.check(req);
    if (credential !== 'valid') return this.refuseUnauthorised(req, socket, credential);
    if (!originAllowed(req.headers.origin, req.headers.host, this.options.allowOrigins)) {
      return refuse(socket, 403, 'Forbidden (this page\'s origin is not allowed; see --allow-origin)');
    }
    const link = url.searchParams.get('link') ?? 'webrtc';
    if (link !== 'webrtc' && link !== 'websocket') return refuse(socket, 400, 'Bad Request');
    if (this.sessions.size >= this.options.maxSessions) return refuse(socket, 503, 'Service Unavailable');
    this.wss.handleUpgrade(req, socket, head, (ws) => this.start(ws, link));
  }

  /** 401, answered later for every failure from the same address (see AuthThrottle). */
  private refuseUnauthorised(req: IncomingMessage, socket: Duplex, credential: Exclude<Credential, 'valid'>): void {
    const address = unmapAddress(req.socket.remoteAddress ?? 'unknown');
    const delayMs = this.options.throttle.failed(address, `/signal with ${credential === 'missing' ? 'no' : 'a wrong'} credential`);
    if (delayMs === null) return void socket.destroy();
    this.options.throttle.answerLater(delayMs, () => refuse(socket, 401, 'Unauthorized'));
  }

  private start(ws: WebSocket, kind: 'webrtc' | 'websocket'): void {
    let link: FrameLink;
    try {
      link = kind === 'websocket' ? new WebSocketLink(ws) : new WebRtcLink(ws, this.options.ice, this.options.context.policy);
    } catch (err) {
      ws.close(1011, `cannot start ${kind} link: ${(err as Error).message}`.slice(0, 120));
      return;
    }
    const session = new Session(link, this.options.context, (s) => this.sessions.delete(s));
    this.sessions.add(session);
  }

  close(): void {
    for (const session of [...this.sessions]) session.end('gateway shutting down');
    for (const ws of this.wss.clients) ws.terminate();
    this.wss.close();
  }
}
