import { describe, expect, it } from 'vitest';
import { bencode } from '../../../shared/bencode/index.ts';
import { TrackerError } from '../../../shared/tracker/errors.ts';
import {
  buildAnnounceUrl,
  buildScrapeUrl,
  parseAnnounceResponse,
  parseScrapeResponse,
  percentEncodeBytes,
} from '../../../shared/tracker/http.ts';

const infoHash = Uint8Array.of(
  0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde, 0xf1, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef, 0x12, 0x34, 0x56, 0x78, 0x9a,
);
const ESCAPED_INFO_HASH = '%124Vx%9A%BC%DE%F1%23Eg%89%AB%CD%EF%124Vx%9A';
const peerId = new TextEncoder().encode('-TA0001-a b~c.d_e-f!');
const base = { infoHash, peerId, port: 6881, uploaded: 0, downloaded: 10, left: 990 };

function expectTrackerError(run: () => unknown, kind: string, message: RegExp): void {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(TrackerError);
    expect((error as TrackerError).kind).toBe(kind);
    expect((error as TrackerError).message).toMatch(message);
    return;
  }
  throw new Error('expected a TrackerError');
}

describe('HTTP announce URL (BEP 3, BEP 23)', () => {
  it('escapes binary info_hash bytes outside the unreserved set, uppercase', () => {
    expect(percentEncodeBytes(infoHash)).toBe(ESCAPED_INFO_HASH);
    expect(percentEncodeBytes(Uint8Array.of(0x41, 0x7a, 0x30, 0x2e, 0x2d, 0x5f, 0x7e, 0x20, 0x2b, 0x2f, 0x00, 0xff))).toBe(
      'Az0.-_~%20%2B%2F%00%FF',
    );
  });

  it('builds the golden announce URL', () => {
    expect(buildAnnounceUrl('http://tracker.example/announce', { ...base, event: 'started', numwant: 50, key: 'k1' })).toBe(
      `http://tracker.example/announce?info_hash=${ESCAPED_INFO_HASH}` +
        '&peer_id=-TA0001-a%20b~c.d_e-f%21&port=6881&uploaded=0&downloaded=10&left=990' +
        '&compact=1&event=started&numwant=50&key=k1',
    );
  });

  it('appends to an announce URL that already has a query', () => {
    const url = buildAnnounceUrl('https://t.example/a/announce?passkey=abc', base);
    expect(url.startsWith(`https://t.example/a/announce?passkey=abc&info_hash=${ESCAPED_INFO_HASH}&`)).toBe(true);
    expect(buildAnnounceUrl('http://t/announce?', base)).toMatch(/^http:\/\/t\/announce\?info_hash=/);
  });

  it('sends the tracker id back byte for byte and can omit compact', () => {
    const url = buildAnnounceUrl('http://t/announce', { ...base, compact: false, trackerId: Uint8Array.of(0xff, 0x41) });
    expect(url).not.toContain('compact');
    expect(url).toContain('&trackerid=%FFA');
  });
});

describe('HTTP scrape URL (BEP 48)', () => {
  it('replaces the last "announce" path segment with "scrape"', () => {
    expect(buildScrapeUrl('http://t.example/announce')).toBe('http://t.example/scrape');
    expect(buildScrapeUrl('http://t.example/x/announce.php?passkey=1')).toBe('http://t.example/x/scrape.php?passkey=1');
    expect(buildScrapeUrl('http://t.example/announce', [infoHash])).toBe(
      `http://t.example/scrape?info_hash=${ESCAPED_INFO_HASH}`,
    );
  });

  it('is undefined when the last segment is not announce', () => {
    expect(buildScrapeUrl('http://t.example/a')).toBeUndefined();
    expect(buildScrapeUrl('http://t.example/announce/x')).toBeUndefined();
    expect(buildScrapeUrl('http://announce.example')).toBeUndefined();
    expect(buildScrapeUrl('http://t.example/x?announce')).toBeUndefined();
  });
});

describe('HTTP announce response', () => {
  it('parses compact IPv4 peers (BEP 23) and drops port 0', () => {
    const body = bencode({
      complete: 5,
      incomplete: 3,
      interval: 1800,
      'min interval': 60,
      peers: Uint8Array.of(127, 0, 0, 1, 0x1a, 0xe1, 10, 0, 0, 2, 0, 0, 192, 168, 1, 255, 0xff, 0xff),
      'tracker id': 'tid',
      'warning message': 'slow down',
    });
    const response = parseAnnounceResponse(body);
    expect(response).toMatchObject({
      intervalSeconds: 1800,
      minIntervalSeconds: 60,
      complete: 5,
      incomplete: 3,
      warning: 'slow down',
      peers: [
        { host: '127.0.0.1', port: 6881 },
        { host: '192.168.1.255', port: 65535 },
      ],
    });
    expect(new TextDecoder().decode(response.trackerId)).toBe('tid');
  });

  it('parses compact IPv6 peers (BEP 7) alongside IPv4', () => {
    const v6 = new Uint8Array(36);
    v6.set([0x20, 0x01, 0x0d, 0xb8], 0);
    v6[15] = 1;
    v6.set([0x1a, 0xe1], 16);
    v6[18 + 15] = 1; // ::1
    v6.set([0, 80], 34);
    const response = parseAnnounceResponse(bencode({ interval: 60, peers: new Uint8Array(0), peers6: v6 }));
    expect(response.peers).toEqual([
      { host: '2001:db8::1', port: 6881 },
      { host: '::1', port: 80 },
    ]);
  });

  it('parses dictionary peers with peer ids, skipping unusable entries', () => {
    const id = new Uint8Array(20).fill(0x41);
    const body = bencode({
      interval: 900,
      peers: [
        { ip: 'peer.example', port: 51413, 'peer id': id },
        { ip: '10.0.0.1', port: 0 },
        { ip: '[2001:db8::2]', port: 1 },
        { port: 5 },
        'junk',
      ],
    });
    expect(parseAnnounceResponse(body).peers).toEqual([
      { host: 'peer.example', port: 51413, peerId: id },
      { host: '2001:db8::2', port: 1 },
    ]);
  });

  it('turns "failure reason" into a TrackerError with that reason', () => {
    const body = bencode({ 'failure reason': 'unregistered torrent' });
    expectTrackerError(() => parseAnnounceResponse(body), 'failure', /^unregistered torrent$/);
  });

  it('rejects malformed responses with clear messages', () => {
    const text = (s: string) => new TextEncoder().encode(s);
    expectTrackerError(() => parseAnnounceResponse(text('<html>502</html>')), 'malformed', /not valid bencode/);
    expectTrackerError(() => parseAnnounceResponse(text('li1ee')), 'malformed', /not a dictionary/);
    expectTrackerError(() => parseAnnounceResponse(bencode({ peers: '' })), 'malformed', /no "interval"/);
    expectTrackerError(() => parseAnnounceResponse(bencode({ interval: -1 })), 'malformed', /"interval"/);
    expectTrackerError(
      () => parseAnnounceResponse(bencode({ interval: 1, peers: new Uint8Array(7) })),
      'malformed',
      /multiple of 6/,
    );
    expectTrackerError(() => parseAnnounceResponse(bencode({ interval: 1, peers: 5 })), 'malformed', /"peers"/);
    expectTrackerError(() => parseAnnounceResponse(bencode({ interval: 1, peers6: new Uint8Array(6) })), 'malformed', /18/);
  });
});

describe('HTTP scrape response', () => {
  it('maps hex info-hashes to counts', () => {
    const key = String.fromCharCode(...infoHash);
    const body = bencode(new Map([['files', new Map([[key, { complete: 4, incomplete: 2, downloaded: 9 }]])]]));
    expect(parseScrapeResponse(body)).toEqual(
      new Map([['123456789abcdef123456789abcdef123456789a', { complete: 4, incomplete: 2, downloaded: 9, name: undefined }]]),
    );
  });

  it('reports failure and a missing files dictionary', () => {
    expectTrackerError(() => parseScrapeResponse(bencode({ 'failure reason': 'no scrape' })), 'failure', /no scrape/);
    expectTrackerError(() => parseScrapeResponse(bencode({ flags: {} })), 'malformed', /files/);
  });
});
