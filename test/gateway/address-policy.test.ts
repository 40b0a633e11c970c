import { describe, expect, it } from 'vitest';
import { classifyAddress } from '../../gateway/address-class.ts';
import { rewriteCandidate, rewriteSignal } from '../../gateway/links/ice-announce.ts';
import { OptionsError, parseOptions } from '../../gateway/options.ts';
import { Policy, PolicyError } from '../../gateway/policy.ts';

describe('address classes', () => {
  it.each([
    ['8.8.8.8', 'public'],
    ['2606:4700::1111', 'public'],
    ['127.0.0.1', 'loopback'],
    ['::1', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.32.0.1', 'public'],
    ['192.168.1.1', 'private'],
    ['fd12::1', 'private'],
    ['169.254.1.1', 'link-local'],
    ['fe80::1', 'link-local'],
    ['100.64.0.1', 'carrier-grade NAT'],
    ['0.0.0.0', 'unspecified'],
    ['::', 'unspecified'],
    ['224.0.0.251', 'multicast'],
    ['ff02::1', 'multicast'],
    ['255.255.255.255', 'broadcast'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['::ffff:10.0.0.1', 'private'],
    ['::ffff:8.8.8.8', 'public'],
    ['64:ff9b::192.168.0.1', 'private'],
  ])('%s is %s', (ip, cls) => {
    expect(classifyAddress(ip)).toBe(cls);
  });
});

describe('policy', () => {
  const policy = new Policy({ allowPrivate: false, ownHttpPort: () => 8080 });
  const open = new Policy({ allowPrivate: true, ownHttpPort: () => 8080 });

  it('refuses low ports except 80 and 443, and port 0', () => {
    expect(() => policy.checkPort(22)).toThrow(PolicyError);
    expect(() => policy.checkPort(0)).toThrow(PolicyError);
    expect(() => policy.checkPort(80)).not.toThrow();
    expect(() => policy.checkPort(443)).not.toThrow();
    expect(() => policy.checkPort(6881)).not.toThrow();
  });

  it('lets --allow-private through private classes but never multicast or unspecified', () => {
    expect(() => policy.checkAddress('10.0.0.1', 6881)).toThrow(/private address; start the gateway with --allow-private/);
    expect(() => open.checkAddress('10.0.0.1', 6881)).not.toThrow();
    expect(() => open.checkAddress('224.0.0.1', 6881)).toThrow(/multicast/);
    expect(() => open.checkAddress('0.0.0.0', 6881)).toThrow(/unspecified/);
    expect(() => open.checkAddress('127.0.0.1', 8080)).toThrow(/own HTTP port/);
  });

  it('holds IPv6 to the same rules: loopback, link-local, ULA and mapped private IPv4 need --allow-private', () => {
    for (const ip of ['::1', 'fe80::1', 'fd00::2', 'fc12::1', '::ffff:192.168.1.1', '::ffff:127.0.0.1']) {
      expect(() => policy.checkAddress(ip, 6881)).toThrow(/--allow-private/);
      expect(() => open.checkAddress(ip, 6881)).not.toThrow();
    }
    expect(() => policy.checkAddress('2606:4700::1111', 6881)).not.toThrow();
    expect(() => open.checkAddress('ff02::1', 6881)).toThrow(/multicast/);
    expect(() => open.checkAddress('::', 6881)).toThrow(/unspecified/);
    expect(() => open.checkAddress('::1', 8080)).toThrow(/own HTTP port/);
  });

  it('checks every address a name resolves to', async () => {
    const tab = {};
    await expect(policy.resolve('localhost', 6881, tab)).rejects.toThrow(/localhost resolves to .* loopback/);
    await expect(open.resolve('localhost', 6881, tab)).resolves.toMatchObject({ address: expect.any(String) });
    await expect(policy.resolve('[::1]', 6881, tab)).rejects.toThrow(/loopback/);
  });
});

describe('options', () => {
  it('reads flags over env, with defaults', () => {
    const o = parseOptions(['--port', '0', '--allow-private', '--ice-ports=50000-50100'], { GATEWAY_HOST: '10.0.0.5', GATEWAY_PORT: '9000', GATEWAY_TOKEN: 'envtoken1234567890' });
    expect(o).toMatchObject({ host: '10.0.0.5', port: 0, token: 'envtoken1234567890', allowPrivate: true, peerPort: 6881, staticDir: 'dist/', iceBind: '10.0.0.5', icePortRange: { begin: 50000, end: 50100 }, maxSessions: 64 });
    const d = parseOptions([], {});
    expect(d.token).toMatch(/^[0-9a-f]{32}$/);
    expect(d).toMatchObject({ host: '127.0.0.1', port: 8080, allowPrivate: false, iceBind: '127.0.0.1' });
    expect(parseOptions(['--host', '0.0.0.0'], {}).iceBind).toBeUndefined();
    expect(parseOptions([], { GATEWAY_ALLOW_PRIVATE: '1' }).allowPrivate).toBe(true);
  });

  it('rejects unknown flags and bad values', () => {
    expect(() => parseOptions(['--frobnicate'], {})).toThrow(OptionsError);
    expect(() => parseOptions(['--port', 'x'], {})).toThrow(OptionsError);
    expect(() => parseOptions(['--token', 'fifteen-chars!!'], {})).toThrow(/at least 16 characters/);
    expect(parseOptions(['--token', 'sixteen-chars!!!'], {}).token).toBe('sixteen-chars!!!');
    expect(() => parseOptions(['--max-streams', '0'], {})).toThrow(/--max-streams/);
    expect(() => parseOptions(['--ice-ports', '5-1'], {})).toThrow(OptionsError);
    expect(() => parseOptions(['--ice-announce', 'example.com'], {})).toThrow(OptionsError);
    expect(() => parseOptions(['--allow-origin', 'ftp://x.example'], {})).toThrow(/--allow-origin/);
    expect(() => parseOptions(['--allow-origin', 'not a url'], {})).toThrow(OptionsError);
  });

  it('reads --allow-origin as a list of origins, normalised', () => {
    expect(parseOptions([], {}).allowOrigins).toEqual([]);
    expect(parseOptions(['--allow-origin', 'https://A.example/app, http://b.example:5173'], {}).allowOrigins)
      .toEqual(['https://a.example', 'http://b.example:5173']);
    expect(parseOptions([], { GATEWAY_ALLOW_ORIGIN: '*' }).allowOrigins).toEqual(['*']);
  });
});

describe('ICE announce', () => {
  it('rewrites the address of candidates in trickled signals and SDP', () => {
    const c = 'candidate:1 1 UDP 2122317823 172.17.0.2 50000 typ host';
    expect(rewriteCandidate(c, '203.0.113.7')).toBe('candidate:1 1 UDP 2122317823 203.0.113.7 50000 typ host');
    const signal = { type: 'candidate', candidate: { candidate: c, sdpMid: '0', sdpMLineIndex: 0 } };
    expect(rewriteSignal(signal, '203.0.113.7').candidate.candidate).toContain(' 203.0.113.7 50000 ');
    const sdp = { type: 'answer', sdp: `v=0\r\na=${c}\r\na=mid:0\r\n` };
    expect(rewriteSignal(sdp, '203.0.113.7').sdp).toBe('v=0\r\na=candidate:1 1 UDP 2122317823 203.0.113.7 50000 typ host\r\na=mid:0\r\n');
    expect(rewriteSignal(signal, undefined)).toBe(signal);
  });
});
