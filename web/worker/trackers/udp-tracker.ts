import { decodeUdpResponse, encodeAnnounceRequest, encodeConnectRequest, type UdpResponse } from '../../../shared/tracker/udp.ts';
import { readU32BE } from '../../../shared/bytes.ts';
import type { Datagram } from '../transport.ts';
import type { UdpService } from '../udp/udp-service.ts';
import type { AnnounceRequest, AnnounceResult, TrackerClient } from './tracker-client.ts';

/** BEP 15: a connection id is good for a minute; requests are retried with growing timeouts. */
const CONNECTION_ID_TTL_MS = 60_000;
const ATTEMPT_TIMEOUTS_MS = [5_000, 10_000, 15_000];

/** A UDP tracker (BEP 15) over the tab's UDP socket at the gateway. */
export class UdpTracker implements TrackerClient {
  private readonly host: string;
  private readonly port: number;
  private connection?: { id: Uint8Array; expiresAt: number };
  private readonly key = randomU32();

  constructor(readonly url: string, private readonly udp: () => UdpService) {
    const parsed = new URL(url);
    this.host = parsed.hostname.replace(/^\[|\]$/g, '');
    this.port = Number(parsed.port);
    if (!this.host || !(this.port > 0 && this.port < 65536)) throw new Error(`bad UDP tracker URL ${url}`);
  }

  async announce(request: AnnounceRequest): Promise<AnnounceResult> {
    for (let attempt = 0; attempt < ATTEMPT_TIMEOUTS_MS.length; attempt++) {
      const timeoutMs = ATTEMPT_TIMEOUTS_MS[attempt]!;
      const connectionId = await this.connect(timeoutMs);
      if (!connectionId) continue;
      const transactionId = randomU32();
      const bytes = encodeAnnounceRequest({ ...request, connectionId, transactionId, key: this.key });
      const answer = await this.exchange(bytes, transactionId, timeoutMs);
      if (!answer) { this.connection = undefined; continue; }
      if (answer.action === 'error') throw new Error(`the tracker refused: ${answer.message}`);
      if (answer.action !== 'announce') throw new Error('the tracker sent an unexpected answer');
      return { intervalSeconds: answer.intervalSeconds, peers: answer.peers, seeders: answer.seeders, leechers: answer.leechers };
    }
    throw new Error('the UDP tracker did not answer');
  }

  private async connect(timeoutMs: number): Promise<Uint8Array | undefined> {
    if (this.connection && this.connection.expiresAt > Date.now()) return this.connection.id;
    const transactionId = randomU32();
    const answer = await this.exchange(encodeConnectRequest(transactionId), transactionId, timeoutMs);
    if (answer?.action === 'error') throw new Error(`the tracker refused: ${answer.message}`);
    if (answer?.action !== 'connect') return undefined;
    this.connection = { id: answer.connectionId, expiresAt: Date.now() + CONNECTION_ID_TTL_MS };
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
