// HttpTracker through a fake gateway Transport: the query it sends (key, numwant, trackerid) and
// what it makes of the answers (warning message, BEP 48 scrape).
import { describe, expect, it } from 'vitest';
import { bencode } from '../../../../shared/bencode/index.ts';
import { latin1Decode } from '../../../../shared/bencode/index.ts';
import { HttpTracker } from '../../../../web/worker/trackers/http-tracker.ts';
import { makeTrackerTiers } from '../../../../web/worker/trackers/make-tracker.ts';
import type { AnnounceRequest } from '../../../../web/worker/trackers/tracker-client.ts';
import type { HttpResult, Transport } from '../../../../web/worker/transport.ts';
import type { UdpService } from '../../../../web/worker/udp/udp-service.ts';

const INFO_HASH = new Uint8Array(20).fill(0x41); // "AAAA…": readable in a URL
const REQUEST: AnnounceRequest = {
  infoHash: INFO_HASH, peerId: new Uint8Array(20).fill(0x42), port: 6881, uploaded: 0, downloaded: 0, left: 5,
  numwant: 80, key: 0x00c0ffee,
};

function fakeTransport(answer: (url: string) => unknown) {
  const urls: string[] = [];
  const transport = {
    httpGet: async (url: string): Promise<HttpResult> => { urls.push(url); return { status: 200, body: bencode(answer(url) as never) }; },
  } as unknown as Transport;
  return { urls, transport };
}

describe('HttpTracker', () => {
  it('sends the key as 8 hex digits and numwant on every announce', async () => {
    const { urls, transport } = fakeTransport(() => ({ interval: 60, peers: new Uint8Array() }));
    const tracker = new HttpTracker('http://t.example/announce?passkey=x', () => transport);
    await tracker.announce(REQUEST);
    await tracker.announce({ ...REQUEST, key: 7 });
    const params = urls.map((url) => new URL(url).searchParams);
    expect(params.map((p) => p.get('key'))).toEqual(['00c0ffee', '00000007']);
    expect(params[0]!.get('numwant')).toBe('80');
    expect(params[0]!.get('passkey')).toBe('x');
  });

  it('echoes the tracker id, and keeps it when a later answer has none (BEP 3)', async () => {
    const answers = [{ interval: 60, 'tracker id': 'T1', peers: new Uint8Array() }, { interval: 60, peers: new Uint8Array() }];
    let i = 0;
    const { urls, transport } = fakeTransport(() => answers[Math.min(i++, 1)]);
    const tracker = new HttpTracker('http://t.example/announce', () => transport);
    for (let n = 0; n < 3; n++) await tracker.announce(REQUEST);
    expect(urls.map((url) => new URL(url).searchParams.get('trackerid'))).toEqual([null, 'T1', 'T1']);
  });

  it('returns the warning message with the answer', async () => {
    const { transport } = fakeTransport(() => ({ interval: 60, 'warning message': 'ratio low', peers: new Uint8Array() }));
    const result = await new HttpTracker('http://t.example/announce', () => transport).announce(REQUEST);
    expect(result.warning).toBe('ratio low');
  });

  it('scrapes at the BEP 48 URL and reads this torrent’s counts', async () => {
    const files = new Map([[latin1Decode(INFO_HASH), { complete: 9, incomplete: 2, downloaded: 40 }]]);
    const { urls, transport } = fakeTransport(() => ({ files }));
    const counts = await new HttpTracker('http://t.example/x/announce.php', () => transport).scrape(INFO_HASH);
    expect(urls).toEqual([`http://t.example/x/scrape.php?info_hash=${'A'.repeat(20)}`]);
    expect(counts).toEqual({ seeders: 9, leechers: 2, downloaded: 40 });
  });

  it('has no scrape when the URL does not end in announce', async () => {
    const { urls, transport } = fakeTransport(() => ({}));
    expect(await new HttpTracker('http://t.example/a', () => transport).scrape(INFO_HASH)).toBeUndefined();
    expect(urls).toEqual([]);
  });
});

describe('makeTrackerTiers', () => {
  it('keeps the tiers, a URL in its first tier only, and drops tiers with nothing we speak', () => {
    const { transport } = fakeTransport(() => ({}));
    const tiers = makeTrackerTiers(
      [['http://a.example/announce', 'udp://b.example:80'], ['wss://c.example'], ['http://a.example/announce', 'https://d.example/announce']],
      () => transport, () => ({}) as UdpService);
    expect(tiers.map((tier) => tier.map((c) => c.url))).toEqual([
      ['http://a.example/announce', 'udp://b.example:80'], ['https://d.example/announce'],
    ]);
  });
});
