import { buildAnnounceUrl, parseAnnounceResponse } from '../../../shared/tracker/http.ts';
import { ErrorCode } from '../../../shared/bridge/frames.ts';
import { TransportError, type Transport } from '../transport.ts';
import type { AnnounceRequest, AnnounceResult, TrackerClient } from './tracker-client.ts';

const MAX_RESPONSE_BYTES = 1024 * 1024;
const TIMEOUT_MS = 20_000;

/** BEP 3 / BEP 23 announces over HTTP(S), relayed by the gateway. */
export class HttpTracker implements TrackerClient {
  private trackerId?: Uint8Array;

  constructor(readonly url: string, private readonly transport: () => Transport | undefined) {}

  async announce(request: AnnounceRequest): Promise<AnnounceResult> {
    const url = buildAnnounceUrl(this.url, { ...request, compact: true, trackerId: this.trackerId });
    const transport = this.transport();
    if (!transport) throw new TransportError('not connected to the gateway', ErrorCode.RESET);
    const result = await transport.httpGet(url, { maxBytes: MAX_RESPONSE_BYTES, timeoutMs: TIMEOUT_MS });
    if (result.status !== 200) throw new Error(`the tracker answered HTTP ${result.status}`);
    const response = parseAnnounceResponse(result.body);
    this.trackerId = response.trackerId ?? this.trackerId;
    return {
      intervalSeconds: response.intervalSeconds, minIntervalSeconds: response.minIntervalSeconds,
      peers: response.peers, seeders: response.complete, leechers: response.incomplete,
    };
  }
}
