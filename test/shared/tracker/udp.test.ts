import { describe, expect, it } from 'vitest';
import { toHex } from '../../../shared/hex.ts';
import { TrackerError } from '../../../shared/tracker/errors.ts';
import {
  decodeUdpResponse,
  encodeAnnounceRequest,
  encodeConnectRequest,
  encodeScrapeRequest,
  MAX_SCRAPE_INFO_HASHES,
} from '../../../shared/tracker/udp.ts';

const hex = (text: string) => Uint8Array.from(text.match(/../g)!.map((pair) => parseInt(pair, 16)));
const connectionId = hex('0102030405060708');
const infoHash = new Uint8Array(20).fill(0xaa);
const peerId = new Uint8Array(20).fill(0xbb);

describe('UDP tracker requests (BEP 15)', () => {
  it('encodes the golden connect request', () => {
    expect(toHex(encodeConnectRequest(0xdeadbeef))).toBe('0000041727101980' + '00000000' + 'deadbeef');
  });

  it('encodes the golden announce request', () => {
    const bytes = encodeAnnounceRequest({
      connectionId,
      transactionId: 7,
      infoHash,
      peerId,
      downloaded: 2 ** 32 + 5,
      left: 1000,
      uploaded: 0,
      event: 'started',
      key: 0x12345678,
      port: 6881,
    });
    expect(bytes).toHaveLength(98);
    expect(toHex(bytes)).toBe(
      '0102030405060708' + '00000001' + '00000007' + 'aa'.repeat(20) + 'bb'.repeat(20) +
        '0000000100000005' + '00000000000003e8' + '0000000000000000' +
        '00000002' + '00000000' + '12345678' + 'ffffffff' + '1ae1',
    );
  });

  it('encodes a scrape request and bounds its size', () => {
    expect(toHex(encodeScrapeRequest(connectionId, 9, [infoHash]))).toBe(
      '0102030405060708' + '00000002' + '00000009' + 'aa'.repeat(20),
    );
    expect(() => encodeScrapeRequest(connectionId, 9, [])).toThrow(RangeError);
    expect(encodeScrapeRequest(connectionId, 9, Array.from({ length: MAX_SCRAPE_INFO_HASHES }, () => infoHash))).toHaveLength(16 + 20 * 74);
    expect(() => encodeScrapeRequest(connectionId, 9, Array.from({ length: MAX_SCRAPE_INFO_HASHES + 1 }, () => infoHash))).toThrow(/1\.\.74 info-hashes, not 75/);
  });
});

describe('UDP tracker responses (BEP 15)', () => {
  it('decodes connect', () => {
    expect(decodeUdpResponse(hex('00000000' + '00000007' + '0102030405060708'))).toEqual({
      action: 'connect',
      transactionId: 7,
      connectionId,
    });
  });

  it('decodes announce with IPv4 peers, dropping port 0', () => {
    const bytes = hex('00000001' + '00000007' + '00000708' + '00000002' + '00000003' + '7f0000011ae1' + '0a0000010000');
    expect(decodeUdpResponse(bytes)).toEqual({
      action: 'announce',
      transactionId: 7,
      intervalSeconds: 1800,
      leechers: 2,
      seeders: 3,
      peers: [{ host: '127.0.0.1', port: 6881 }],
    });
  });

  it('decodes announce with IPv6 peers when asked', () => {
    const bytes = hex('00000001' + '00000007' + '0000003c' + '00000000' + '00000001' + 'fe80' + '00'.repeat(12) + '0001' + '0050');
    const response = decodeUdpResponse(bytes, { ipv6: true });
    expect(response.action === 'announce' && response.peers).toEqual([{ host: 'fe80::1', port: 80 }]);
  });

  it('decodes scrape and error', () => {
    expect(decodeUdpResponse(hex('00000002' + '00000001' + '000000050000000600000007'))).toEqual({
      action: 'scrape',
      transactionId: 1,
      files: [{ seeders: 5, completed: 6, leechers: 7 }],
    });
    expect(decodeUdpResponse(hex('00000003' + '00000001' + toHex(new TextEncoder().encode('bad torrent'))))).toEqual({
      action: 'error',
      transactionId: 1,
      message: 'bad torrent',
    });
  });

  it('refuses short or unknown datagrams', () => {
    expect(() => decodeUdpResponse(hex('000000'))).toThrow(TrackerError);
    expect(() => decodeUdpResponse(hex('00000000' + '00000007' + '0102'))).toThrow(/16 bytes/);
    expect(() => decodeUdpResponse(hex('00000009' + '00000007'))).toThrow(/unknown/);
    expect(() => decodeUdpResponse(hex('00000001' + '00000007' + '00'.repeat(12) + '0102'))).toThrow(/multiple of 6/);
  });
});
