// A TrackerClient whose answers a test scripts; every announce is logged as "url event".
import type { AnnounceRequest, AnnounceResult, ScrapeResult, TrackerClient } from '../../../../web/worker/trackers/tracker-client.ts';

export class ScriptedClient implements TrackerClient {
  readonly requests: AnnounceRequest[] = [];
  failure?: string;
  result: AnnounceResult = { intervalSeconds: 1800, peers: [] };
  scrapeResult?: ScrapeResult;
  scrapes = 0;

  constructor(readonly url: string, private readonly log: string[]) {}

  async announce(request: AnnounceRequest): Promise<AnnounceResult> {
    this.log.push(`${this.url} ${request.event ?? '-'}`);
    this.requests.push(request);
    if (this.failure) throw new Error(this.failure);
    return this.result;
  }

  async scrape(): Promise<ScrapeResult | undefined> {
    this.scrapes++;
    return this.scrapeResult;
  }
}
