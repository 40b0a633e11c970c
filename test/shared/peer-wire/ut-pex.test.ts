import { describe, expect, it } from 'vitest';
import { bdecode, bencode } from '../../../shared/bencode/index.ts';
import { MAX_PEX_PEERS, PexFlag, PeerWireError, decodePexMessage, encodePexMessage } from '../../../shared/peer-wire/index.ts';
import { utf8Decode } from '../../../shared/bytes.ts';

describe('ut_pex (BEP 11)', () => {
  it('encodes compact IPv4 and IPv6 lists with a flags byte each, in key order (golden bytes), leaving names out', () => {
    const six = Uint8Array.of(0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 1);
    const bytes = encodePexMessage({
      added: [
        { host: '10.0.0.1', port: 6881, flags: PexFlag.SEED | PexFlag.REACHABLE },
        { host: '2001:db8::1', port: 1, flags: PexFlag.UTP },
        { host: 'example.org', port: 2 },
      ],
      dropped: [{ host: '192.168.1.2', port: 0x0102 }, { host: '[2001:db8::1]', port: 1 }],
    });
    expect(utf8Decode(bytes.subarray(0, 8))).toBe('d5:added');
    expect([...bytes]).toEqual([...bencode(new Map<string, Uint8Array>([
      ['added', Uint8Array.of(10, 0, 0, 1, 0x1a, 0xe1)],
      ['added.f', Uint8Array.of(0x12)],
      ['added6', six],
      ['added6.f', Uint8Array.of(0x04)],
      ['dropped', Uint8Array.of(192, 168, 1, 2, 1, 2)],
      ['dropped6', six],
    ]))]);
  });

  it('reads each added peer with its own flags byte, also past entries with port 0', () => {
    const message = decodePexMessage(bencode(new Map<string, Uint8Array>([
      ['added', Uint8Array.of(1, 1, 1, 1, 0, 0, 2, 2, 2, 2, 0, 2)], ['added.f', Uint8Array.of(0x10, 0x02)],
    ])));
    expect(message.added).toEqual([{ host: '2.2.2.2', port: 2, flags: PexFlag.SEED }]);
  });

  it('decodes IPv4 and IPv6 lists and round-trips', () => {
    const six = new Uint8Array(18);
    six[0] = 0x20; six[1] = 0x01; six[15] = 1; six[16] = 0x1a; six[17] = 0xe1;
    const message = decodePexMessage(bencode(new Map<string, Uint8Array>([
      ['added', Uint8Array.of(127, 0, 0, 1, 0, 80)], ['added.f', Uint8Array.of(0x10)], ['added6', six], ['dropped', new Uint8Array(0)],
    ])));
    expect(message).toEqual({ added: [{ host: '127.0.0.1', port: 80, flags: 0x10 }, { host: '2001::1', port: 6881, flags: 0 }], dropped: [] });
    const peers = [{ host: '1.2.3.4', port: 5, flags: PexFlag.SEED }, { host: '2001:db8::7', port: 9, flags: 0 }];
    const addresses = peers.map(({ host, port }) => ({ host, port }));
    expect(decodePexMessage(encodePexMessage({ added: peers, dropped: addresses }))).toEqual({ added: peers, dropped: addresses });
  });

  it('refuses junk with a PeerWireError and cuts floods to MAX_PEX_PEERS', () => {
    expect(() => decodePexMessage(Uint8Array.of(0x69))).toThrow(PeerWireError);
    expect(() => decodePexMessage(bencode(5))).toThrow(/not a dictionary/);
    expect(() => decodePexMessage(bencode(new Map([['added', 7]])))).toThrow(/not a byte string/);
    expect(() => decodePexMessage(bencode(new Map([['dropped6', new Uint8Array(17)]])))).toThrow(/17 bytes/);
    const flood = new Uint8Array(6 * 10_000).fill(1);
    expect(decodePexMessage(bencode(new Map([['added', flood]]))).added).toHaveLength(MAX_PEX_PEERS);
    const encoded = encodePexMessage({ added: Array.from({ length: 80 }, (_, i) => ({ host: `10.0.0.${i}`, port: 1 })), dropped: [] });
    expect(decodePexMessage(encoded).added).toHaveLength(MAX_PEX_PEERS);
  });

  it('sends at most MAX_PEX_PEERS peers a message', () => {
    const encoded = encodePexMessage({ added: Array.from({ length: 80 }, (_, i) => ({ host: `10.0.0.${i}`, port: 1 })), dropped: [] });
    const dict = bdecode(encoded) as Map<string, Uint8Array>;
    expect(dict.get('added')).toHaveLength(6 * MAX_PEX_PEERS);
    expect(dict.get('added.f')).toHaveLength(MAX_PEX_PEERS);
  });

  it('reads only the first MAX_PEX_PEERS entries of a list, whatever follows', () => {
    // 50 entries with port 0 (dropped when read), then 50 good ones that are never read.
    const flood = new Uint8Array(6 * 2 * MAX_PEX_PEERS).fill(1);
    for (let entry = 0; entry < MAX_PEX_PEERS; entry++) flood.fill(0, entry * 6 + 4, entry * 6 + 6);
    expect(decodePexMessage(bencode(new Map([['added', flood]]))).added).toEqual([]);
  });

  it('caps nesting at 4 levels', () => {
    const nested = (depth: number) => new TextEncoder().encode(`d1:x${'l'.repeat(depth - 1)}${'e'.repeat(depth - 1)}e`);
    expect(decodePexMessage(nested(4))).toEqual({ added: [], dropped: [] });
    expect(() => decodePexMessage(nested(5))).toThrow(/nesting deeper than 4 levels/);
  });

  it('cuts dropped lists to MAX_PEX_PEERS too, IPv4 and IPv6 together', () => {
    const dropped = new Uint8Array(6 * 40).fill(1);
    const dropped6 = new Uint8Array(18 * 40).fill(1);
    expect(decodePexMessage(bencode(new Map([['dropped', dropped], ['dropped6', dropped6]]))).dropped).toHaveLength(MAX_PEX_PEERS);
  });
});
