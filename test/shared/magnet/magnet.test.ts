import { describe, expect, it } from 'vitest';
import { fromHex } from '../../../shared/hex.ts';
import { formatMagnet, formatSelectOnly, MagnetError, parseMagnet, parseSelectOnly } from '../../../shared/magnet/index.ts';

const HEX = 'dd8255ecdc7ca55fb0bbf81323d87062db1f6d1c'; // Big Buck Bunny (webtorrent.io)
const BASE32 = '3WBFL3G4PSSV7MF37AJSHWDQMLNR63I4';

describe('parseMagnet', () => {
  it('parses a real-world webtorrent magnet', () => {
    const link = parseMagnet(
      `magnet:?xt=urn:btih:${HEX}&dn=Big+Buck+Bunny&tr=udp%3A%2F%2Fexplodie.org%3A6969&tr=udp%3A%2F%2Ftracker.coppersurfer.tk%3A6969` +
        '&tr=wss%3A%2F%2Ftracker.btorrent.xyz&tr=wss%3A%2F%2Ftracker.openwebtorrent.com&ws=https%3A%2F%2Fwebtorrent.io%2Ftorrents%2F' +
        '&xs=https%3A%2F%2Fwebtorrent.io%2Ftorrents%2Fbig-buck-bunny.torrent',
    );
    expect(link.infoHashHex).toBe(HEX);
    expect(link.infoHash).toEqual(fromHex(HEX));
    expect(link.displayName).toBe('Big Buck Bunny');
    expect(link.trackers).toEqual([
      'udp://explodie.org:6969',
      'udp://tracker.coppersurfer.tk:6969',
      'wss://tracker.btorrent.xyz',
      'wss://tracker.openwebtorrent.com',
    ]);
    expect(link.webSeeds).toEqual(['https://webtorrent.io/torrents/']);
    expect(link.peers).toEqual([]);
    expect(link.selectOnly).toBeUndefined();
    expect(link.v2InfoHash).toBeUndefined();
  });

  it('accepts base32 and upper-case hex info-hashes', () => {
    expect(parseMagnet(`magnet:?xt=urn:btih:${BASE32}`).infoHashHex).toBe(HEX);
    expect(parseMagnet(`magnet:?xt=urn:btih:${BASE32.toLowerCase()}`).infoHashHex).toBe(HEX);
    expect(parseMagnet(`MAGNET:?XT=URN:BTIH:${HEX.toUpperCase()}`).infoHashHex).toBe(HEX);
  });

  it('deduplicates trackers, drops unusable ones, accepts numbered keys', () => {
    const link = parseMagnet(
      `magnet:?xt=urn:btih:${HEX}&tr=http%3A%2F%2Fa%2Fannounce&tr.1=http%3A%2F%2Fa%2Fannounce&tr.2=udp%3A%2F%2Fb%3A1` +
        '&tr=not%20a%20url&tr=ftp%3A%2F%2Fc&tr=%E0%A4%A&tr=',
    );
    expect(link.trackers).toEqual(['http://a/announce', 'udp://b:1']);
  });

  it('reads x.pe peers, IPv4, names and [IPv6]', () => {
    const link = parseMagnet(
      `magnet:?xt=urn:btih:${HEX}&x.pe=10.0.0.1:6881&x.pe=%5B2001:db8::1%5D:51413&x.pe=peer.example:80` +
        '&x.pe=10.0.0.1:6881&x.pe=bad&x.pe=1.2.3.4:0&x.pe=1.2.3.4:70000&x.pe=2001:db8::1:80',
    );
    expect(link.peers).toEqual([
      { host: '10.0.0.1', port: 6881 },
      { host: '2001:db8::1', port: 51413 },
      { host: 'peer.example', port: 80 },
    ]);
  });

  it('reads BEP 53 select-only', () => {
    expect(parseMagnet(`magnet:?xt=urn:btih:${HEX}&so=0,2,4-6`).selectOnly).toEqual([0, 2, 4, 5, 6]);
    expect(parseMagnet(`magnet:?xt=urn:btih:${HEX}&so=6,1-2,2`).selectOnly).toEqual([1, 2, 6]);
    expect(parseMagnet(`magnet:?xt=urn:btih:${HEX}&so=1,x`).selectOnly).toBeUndefined();
    expect(parseMagnet(`magnet:?xt=urn:btih:${HEX}&so=5-3`).selectOnly).toBeUndefined();
    expect(parseSelectOnly('0-999999999')).toBeUndefined(); // would expand to a billion entries
  });

  it('selects at most 1,000,000 files (as many as a torrent may have), quickly', () => {
    const started = performance.now();
    expect(parseSelectOnly('0-999999')).toHaveLength(1_000_000);
    expect(parseSelectOnly('0-499999,500000-999999,7')).toHaveLength(1_000_000); // overlaps count once
    expect(parseSelectOnly('0-1000000')).toBeUndefined();
    expect(parseSelectOnly('0-999999,1000000')).toBeUndefined();
    // A Set of a million indices took 400 ms (found by `npm run fuzz`); merged ranges take ~20.
    expect(performance.now() - started).toBeLessThan(2000);
    expect(formatSelectOnly(parseSelectOnly('0-999999')!)).toBe('0-999999');
  });

  it('parses a v2-only magnet (btmh) without a v1 hash', () => {
    const digest = 'caf1e1c30e81cb361b9ee167c4aa64228a7fa4fa9f6105232b28ad099f3a302e';
    const link = parseMagnet(`magnet:?xt=urn:btmh:1220${digest}&dn=bittorrent-v2-test`);
    expect(link.v2InfoHash).toBe(digest);
    expect(link.infoHash).toBeUndefined();
    expect(link.displayName).toBe('bittorrent-v2-test');
  });

  it('parses a hybrid magnet (btih + btmh)', () => {
    const digest = 'd8dd32ac93357c368556af3ac1d95c9d76bd0dff6fa9833ecdac3d53134efabb';
    const link = parseMagnet(`magnet:?xt=urn:btih:631a31dd0a46257d5078c0dee4e66e26f73e42ac&xt=urn:btmh:1220${digest}`);
    expect(link.infoHashHex).toBe('631a31dd0a46257d5078c0dee4e66e26f73e42ac');
    expect(link.v2InfoHash).toBe(digest);
  });

  it.each([
    ['https://example.com/?xt=urn:btih:' + HEX, /not a magnet link/],
    ['', /not a magnet link/],
    ['magnet:?dn=nothing', /no info-hash/],
    ['magnet:?xt=urn:sha1:XYZ', /no info-hash/],
    [`magnet:?xt=urn:btih:${HEX}0`, /bad info-hash length: 41/],
    ['magnet:?xt=urn:btih:abc', /bad info-hash length: 3/],
    [`magnet:?xt=urn:btih:${'z'.repeat(40)}`, /neither hex nor base32/],
    [`magnet:?xt=urn:btih:${'1'.repeat(32)}`, /neither hex nor base32/],
    ['magnet:?xt=urn:btmh:1114abcd', /bad v2 info-hash/],
  ])('refuses %j', (uri, message) => {
    expect(() => parseMagnet(uri)).toThrow(MagnetError);
    expect(() => parseMagnet(uri)).toThrow(message);
  });

  it('takes the last well-formed so= and expands only that one', () => {
    expect(parseMagnet(`magnet:?xt=urn:btih:${HEX}&so=1&so=3-4&so=bad`).selectOnly).toEqual([3, 4]);
    // Each so=0-999999 used to be expanded to a million indices as it was read: this 1 MiB
    // link would have taken about 20 minutes.
    const repeated = `magnet:?xt=urn:btih:${HEX}${'&so=0-999999'.repeat(87_000)}`;
    const started = performance.now();
    expect(parseMagnet(repeated).selectOnly).toHaveLength(1_000_000);
    expect(performance.now() - started).toBeLessThan(3000);
  });

  it('reads a 1 MiB link of 130,000 parameters in linear time', () => {
    // Found by `npm run fuzz`: every junk URL went through `new URL` (a throw each: 4 s for this
    // link) and every peer kept was compared with all kept before it.
    const timed = (uri: string) => {
      const started = performance.now();
      const link = parseMagnet(uri);
      return { link, ms: performance.now() - started };
    };
    const junk = timed(`magnet:?xt=urn:btih:${HEX}${'&ws=le/a'.repeat(130_000)}`);
    expect(junk.link.webSeeds).toEqual([]);
    expect(junk.ms).toBeLessThan(1000);
    const peers = timed(`magnet:?xt=urn:btih:${HEX}${Array.from({ length: 40_000 }, (_, i) => `&x.pe=10.${i >> 16}.${(i >> 8) & 255}.${i & 255}:1`).join('')}`);
    expect(peers.link.peers).toHaveLength(40_000);
    expect(peers.ms).toBeLessThan(1000);
  });

  it('refuses a link longer than 1 MiB characters before reading its parameters', () => {
    const link = (chars: number) => {
      const head = `magnet:?xt=urn:btih:${HEX}&dn=`;
      return head + 'a'.repeat(chars - head.length);
    };
    expect(parseMagnet(link(1 << 20)).displayName).toHaveLength((1 << 20) - `magnet:?xt=urn:btih:${HEX}&dn=`.length);
    expect(() => parseMagnet(link((1 << 20) + 1))).toThrow(/longer than 1048576 characters/);
  });

  it('decodes display names with %-escapes and keeps a bad escape from breaking the link', () => {
    expect(parseMagnet(`magnet:?xt=urn:btih:${HEX}&dn=Caf%C3%A9%20%2B%201`).displayName).toBe('Café + 1');
    expect(parseMagnet(`magnet:?xt=urn:btih:${HEX}&dn=%E0%A4%A`).displayName).toBeUndefined();
  });
});

describe('formatMagnet', () => {
  it('writes a link that parses back to the same thing', () => {
    const link = parseMagnet(
      `magnet:?xt=urn:btih:${HEX}&dn=Big+Buck+Bunny&tr=udp%3A%2F%2Fexplodie.org%3A6969&ws=https%3A%2F%2Fwebtorrent.io%2Ftorrents%2F` +
        '&x.pe=%5B::1%5D:6881&x.pe=10.0.0.2:1&so=0,2,4-6',
    );
    const text = formatMagnet(link);
    expect(text).toBe(
      `magnet:?xt=urn:btih:${HEX}&dn=Big%20Buck%20Bunny&tr=udp%3A%2F%2Fexplodie.org%3A6969` +
        '&ws=https%3A%2F%2Fwebtorrent.io%2Ftorrents%2F&x.pe=[::1]:6881&x.pe=10.0.0.2:1&so=0,2,4-6',
    );
    expect(parseMagnet(text)).toEqual(link);
  });

  it('writes btmh for v2 hashes', () => {
    const digest = 'caf1e1c30e81cb361b9ee167c4aa64228a7fa4fa9f6105232b28ad099f3a302e';
    expect(formatMagnet({ v2InfoHash: digest, trackers: [], webSeeds: [], peers: [] })).toBe(`magnet:?xt=urn:btmh:1220${digest}`);
  });

  it('compresses select-only ranges', () => {
    expect(formatSelectOnly([6, 0, 1, 2, 4, 2])).toBe('0-2,4,6');
    expect(formatSelectOnly([])).toBe('');
  });
});
