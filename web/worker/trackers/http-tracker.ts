import { buildAnnounceUrl, buildScrapeUrl, parseAnnounceResponse, parseScrapeResponse } from '../../../shared/tracker/http.ts';
import { ErrorCode } from '../../../shared/bridge/frames.ts';
import { toHex } from '../../../shared/hex.ts';
import { TransportError, type Transport } from '../transport.ts';
import { keyText, type AnnounceRequest, type AnnounceResult, type ScrapeResult, type TrackerClient } from './tracker-client.ts';

const MAX_RESPONSE_BYTES = 1024 * 1024;
const TIMEOUT_MS = 20_000;

/** BEP 3 / BEP 23 announces and BEP 48 scrapes over HTTP(S), relayed by the gateway. */
export class HttpTracker implements TrackerClient {
  /** BEP 3: a `tracker id` the tracker gave is sent back on later announces. */
  private trackerId?: Uint8Array;

  constructor(readonly url: string, private readonly transport: () => Transport | undefined) {}

  async announce(request: AnnounceRequest): Promise<AnnounceResult> {
    const { key, signal: _signal, ...params } = request;
    const url = buildAnnounceUrl(this.url, { ...params, key: keyText(key), compact: true, trackerId: this.trackerId });
    const response = parseAnnounceResponse(await this.get(url));
    this.trackerId = response.trackerId ?? this.trackerId;
    return {
      intervalSeconds: response.intervalSeconds, minIntervalSeconds: response.minIntervalSeconds,
      peers: response.peers, seeders: response.complete, leechers: response.incomplete, warning: response.warning,
    };
  }

  async scrape(infoHash: Uint8Array): Promise<ScrapeResult | undefined> {
    const url = buildScrapeUrl(this.url, [infoHash]);
    if (!url) return undefined;
    const entry = parseScrapeResponse(await this.get(url)).get(toHex(infoHash));
    if (!entry) throw new Error('the tracker does not list this torrent');
    return { seeders: entry.complete, leechers: entry.incomplete, downloaded: entry.downloaded };
  }

  private async get(url: string): Promise<Uint8Array> {
    const transport = this.transport();
    if (!transport) throw new TransportError('not connected to the gateway', ErrorCode.RESET);
    const result = await transport.httpGet(url, { maxBytes: MAX_RESPONSE_BYTES, timeoutMs: TIMEOUT_MS });
    if (result.status !== 200) throw new Error(`the tracker answered HTTP ${result.status}`);
    return result.body;
  }
}
