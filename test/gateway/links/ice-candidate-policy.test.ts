// The tab's ICE candidates judged by the relay policy, on strings only: no packet goes anywhere.
// (test/gateway/abuse/ice-candidates.test.ts proves it on a real gateway, on loopback.)
import { describe, expect, it } from 'vitest';
import { checkCandidate, filterSdp, filterSignal, PUBLIC_ADDRESSES_ONLY } from '../../../gateway/links/ice-candidate-policy.ts';
import { Policy } from '../../../gateway/policy.ts';

const strict = new Policy({ allowPrivate: false, ownHttpPort: () => 8080 });
const open = new Policy({ allowPrivate: true, ownHttpPort: () => 8080 });

const candidate = (address: string, port = 50000, transport = 'udp') => `candidate:1 1 ${transport} 2122260223 ${address} ${port} typ host generation 0`;

/** The private, loopback and disguised forms a hostile tab might offer. */
const HOSTILE = ['10.0.0.1', '192.168.1.1', '172.16.5.4', '100.64.0.1', '169.254.1.1', '127.0.0.1', '::1', 'fe80::1', 'fd00::1',
  '64:ff9b::a00:1', '2002:a00:1::1', '::ffff:192.168.1.1', '::FFFF:7F00:1', '0:0:0:0:0:0:0:1', 'fe80::1%eth0', '2001:0:808:808::f5ff:fffe'];

const offer = (lines: string[]) => ['v=0', 'o=- 1 2 IN IP4 127.0.0.1', 's=-', 't=0 0', 'm=application 9 UDP/DTLS/SCTP webrtc-datachannel',
  'c=IN IP4 0.0.0.0', 'a=mid:0', ...lines, 'a=sctp-port:5000', ''].join('\r\n');

describe('ICE candidate policy', () => {
  it.each(HOSTILE)('drops a candidate for %s', (address) => {
    expect(checkCandidate(candidate(address), strict)).toMatchObject({ refused: expect.stringMatching(/refused: .* address/) });
    expect(checkCandidate(`a=${candidate(address)}`, PUBLIC_ADDRESSES_ONLY)).toMatchObject({ refused: expect.any(String) });
  });

  it('keeps a public UDP candidate, normalised', () => {
    expect(checkCandidate(candidate('8.8.8.8'), strict)).toEqual({ candidate: candidate('8.8.8.8') });
    expect(checkCandidate('  a=candidate:1  1\tUDP 2122260223 2606:4700::1111 50000 typ srflx raddr 10.0.0.1 rport 1 ', strict))
      .toEqual({ candidate: 'candidate:1 1 UDP 2122260223 2606:4700::1111 50000 typ srflx raddr 10.0.0.1 rport 1' });
  });

  it('drops what cannot be checked or is not UDP', () => {
    expect(checkCandidate(candidate('0a1b2c3d-1111-2222-3333-444455556666.local'), open)).toMatchObject({ refused: /not an IP address/ });
    expect(checkCandidate(candidate('localhost'), open)).toMatchObject({ refused: /not an IP address/ });
    expect(checkCandidate(candidate('127.1'), open)).toMatchObject({ refused: /not an IP address/ });
    expect(checkCandidate(candidate('[::1]'), open)).toMatchObject({ refused: /not an IP address/ });
    expect(checkCandidate(candidate('8.8.8.8', 50000, 'tcp') + ' tcptype passive', strict)).toMatchObject({ refused: /only UDP/ });
    expect(checkCandidate(candidate('8.8.8.8', 22), strict)).toMatchObject({ refused: /below 1024/ });
    expect(checkCandidate(candidate('8.8.8.8', 0), strict)).toMatchObject({ refused: /port 0/ });
    expect(checkCandidate(candidate('8.8.8.8', 70000), strict)).toMatchObject({ refused: /bad port/ });
    expect(checkCandidate('candidate:1 1 udp 1 8.8.8.8 50000', strict)).toMatchObject({ refused: /malformed/ });
    expect(checkCandidate(`${candidate('8.8.8.8')}\r\na=${candidate('10.0.0.1')}`, strict)).toMatchObject({ refused: /line break/ });
    expect(checkCandidate('', strict)).toMatchObject({ refused: /not a candidate/ });
  });

  it('with --allow-private keeps loopback, private and the test namespace address', () => {
    for (const address of ['127.0.0.1', '::1', '198.51.100.1', '10.0.0.1', '192.168.1.1']) {
      expect(checkCandidate(candidate(address), open)).toEqual({ candidate: candidate(address) });
    }
    // Chromium's own spelling, in the test namespace (extensions after the type are kept as they are).
    const chromium = 'candidate:1840965416 1 udp 2122260223 198.51.100.1 54321 typ host generation 0 ufrag W+5u network-id 1 network-cost 50';
    expect(checkCandidate(chromium, open)).toEqual({ candidate: chromium });
    expect(checkCandidate(chromium, strict)).toMatchObject({ refused: /reserved address/ });
    expect(checkCandidate(candidate('224.0.0.251'), open)).toMatchObject({ refused: /multicast/ });
    expect(checkCandidate(candidate('127.0.0.1', 8080), open)).toMatchObject({ refused: /own HTTP port/ });
  });

  it('removes every refused candidate line of an SDP, whatever its case, spacing or line break', () => {
    const hostile = HOSTILE.map((a) => `a=${candidate(a)}`);
    const sneaky = [`A=CANDIDATE:2 1 udp 1 10.0.0.2 5000 typ host`, ` a=candidate:3 1 udp 1 10.0.0.3 5000 typ host`, `a = candidate:4 1 udp 1 10.0.0.4 5000 typ host`];
    const sdp = offer([...hostile, `a=${candidate('8.8.8.8')}`, ...sneaky]).replace('a=mid:0\r\n', 'a=mid:0\ra=candidate:5 1 udp 1 10.0.0.5 5000 typ host\n');
    const { sdp: filtered, refused } = filterSdp(sdp, strict);
    expect(refused).toHaveLength(HOSTILE.length + sneaky.length + 1);
    expect(filtered.split('\r\n').filter((l) => /candidate/i.test(l))).toEqual([`a=${candidate('8.8.8.8')}`]);
    expect(filtered).toContain('a=mid:0\r\n');
    expect(filtered).toContain('a=sctp-port:5000\r\n');
    expect(filtered).not.toMatch(/10\.0\.0|192\.168|::1 |fe80|64:ff9b|2002:/);
  });

  it('filters simple-peer signals: offers, trickled candidates, junk', () => {
    const signalFor = (c: string) => ({ type: 'candidate', candidate: { candidate: c, sdpMid: '0', sdpMLineIndex: 0 } });
    expect(filterSignal(signalFor(candidate('10.0.0.1')), strict)).toEqual({ signal: null, refused: [expect.stringMatching(/private/)] });
    expect(filterSignal(signalFor(candidate('8.8.8.8')), strict).signal).toEqual(signalFor(candidate('8.8.8.8')));
    const { signal } = filterSignal({ type: 'offer', sdp: offer([`a=${candidate('192.168.1.1')}`]) }, strict);
    expect(signal).toEqual({ type: 'offer', sdp: offer([]) });
    expect(filterSignal({ type: 'candidate', candidate: { candidate: '', sdpMid: '0' } }, strict).signal).toBeNull();
    expect(filterSignal({ type: 'candidate', candidate: 'candidate:1 1 udp 1 10.0.0.1 5000 typ host' }, strict).signal).toBeNull();
    expect(filterSignal({ type: 'offer', sdp: 42 }, strict).signal).toBeNull();
    expect(filterSignal({ renegotiate: true }, strict).signal).toBeNull();
  });
});
