import {
  decodeUdpResponse, encodeAnnounceRequest, encodeConnectRequest, encodeScrapeRequest, type UdpResponse,
} from '../../../shared/tracker/udp.ts';
import { readU32BE } from '../../../shared/bytes.ts';
import type { Datagram } from '../transport.ts';
import type { UdpService } from '../udp/udp-service.ts';
import type { AnnounceRequest, AnnounceResult, ScrapeResult, TrackerClient } from './tracker-client.ts';

// BEP 15: a connection id is good for one minute; a request unanswered after 15·2ⁿ s is sent
// again, n = 0 … 8 (3,840 s at the last), then the tracker counts as unreachable.
const CONNECTION_ID_TTL_MS = 60_000;
const RETRANSMIT_BASE_MS = 15_000;
const MAX_RETRANSMIT_N = 8;

/** The wait before retransmission n (BEP 15). */
export function retransmitTimeoutMs(n: number): number {
  return RETRANSMIT_BASE_MS * 2 ** n;
}

/** The time source of the connection id's minute; tests pass a fake one. */
export interface Clock {
  now(): number;
}

/** What the tracker needs of the tab's UDP socket: a request answered or not within `timeoutMs`. */
export type UdpRequester = Pick<UdpService, 'request'>;

/** A UDP tracker (BEP 15) over the tab's UDP socket at the gateway. */
export class UdpTracker implements TrackerClient {
  private readonly host: string;
  private readonly port: number;
  private connection?: { id: Uint8Array; expiresAt: number };

  constructor(readonly url: string, private readonly udp: () => UdpRequester, private readonly clock: Clock = Date) {
    const parsed = new URL(url);
    this.host = parsed.hostname.replace(/^\[|\]$/g, '');
    this.port = Number(parsed.port);
    if (!this.host || !(this.port > 0 && this.port < 65536)) throw new Error(`bad UDP tracker URL ${url}`);
  }

  async announce(request: AnnounceRequest): Promise<AnnounceResult> {
    const answer = await this.request((connectionId, transactionId) =>
      encodeAnnounceRequest({ ...request, connectionId, transactionId }), request.signal);
    if (answer.action !== 'announce') throw new Error('the tracker sent an unexpected answer');
    return { intervalSeconds: answer.intervalSeconds, peers: answer.peers, seeders: answer.seeders, leechers: answer.leechers };
  }

  async scrape(infoHash: Uint8Array, signal?: AbortSignal): Promise<ScrapeResult> {
    const answer = await this.request((connectionId, transactionId) =>
      encodeScrapeRequest(connectionId, transactionId, [infoHash]), signal);
    const counts = answer.action === 'scrape' ? answer.files[0] : undefined;
    if (!counts) throw new Error('the tracker sent an unexpected answer');
    return { seeders: counts.seeders, leechers: counts.leechers, downloaded: counts.completed };
  }

  /**
   * Sends a request built on a fresh-enough connection id, retransmitting on the BEP 15
   * schedule. One n counts every unanswered datagram of the exchange, connects included, so the
   * whole exchange ends after nine silences; an expired id (after a minute) is asked for again.
   */
  private async request(build: (connectionId: Uint8Array, transactionId: number) => Uint8Array, signal?: AbortSignal): Promise<UdpResponse> {
    for (let n = 0; n <= MAX_RETRANSMIT_N;) {
      if (signal?.aborted) throw new Error('the announce was cancelled');
      const timeoutMs = retransmitTimeoutMs(n);
      const connectionId = this.connectionId() ?? await this.connect(timeoutMs);
      if (!connectionId) { n++; continue; }
      const transactionId = randomU32();
      const answer = await this.exchange(build(connectionId, transactionId), transactionId, timeoutMs);
      if (!answer) { n++; continue; }
      if (answer.action === 'error') throw new Error(`the tracker refused: ${answer.message}`);
      return answer;
    }
    throw new Error('the UDP tracker did not answer');
  }

  private connectionId(): Uint8Array | undefined {
    return this.connection && this.connection.expiresAt > this.clock.now() ? this.connection.id : undefined;
  }

  private async connect(timeoutMs: number): Promise<Uint8Array | undefined> {
    const transactionId = randomU32();
    const answer = await this.exchange(encodeConnectRequest(transactionId), transactionId, timeoutMs);
    if (answer?.action === 'error') throw new Error(`the tracker refused: ${answer.message}`);
    if (answer?.action !== 'connect') return undefined;
    this.connection = { id: answer.connectionId, expiresAt: this.clock.now() + CONNECTION_ID_TTL_MS };
    return answer.connectionId;
  }

  private async exchange(bytes: Uint8Array, transactionId: number, timeoutMs: number): Promise<UdpResponse | undefined> {
    // The gateway reports the sender by IP, not by name, so answers are matched by port and
    // transaction id (a random 32-bit number, BEP 15).
    const matches = (d: Datagram) => d.port === this.port && d.bytes.length >= 8 && readU32BE(d.bytes, 4) === transactionId;
    const datagram = await this.udp().request(this.host, this.port, bytes, matches, timeoutMs);
    if (!datagram) return undefined;
    return decodeUdpResponse(datagram.bytes, { ipv6: datagram.host.includes(':') });
  }
}

function randomU32(): number {
  return crypto.getRandomValues(new Uint32Array(1))[0]!;
}
