import { describe, expect, it } from 'vitest';
import { bencode } from '../../../shared/bencode/index.ts';
import { PeerWireError } from '../../../shared/peer-wire/errors.ts';
import { decodeExtendedHandshake, encodeExtendedHandshake } from '../../../shared/peer-wire/extended-handshake.ts';

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

describe('BEP 10 extension handshake', () => {
  it('encodes the golden dictionary with sorted keys', () => {
    const payload = encodeExtendedHandshake({
      m: new Map([
        ['ut_pex', 2],
        ['ut_metadata', 1],
      ]),
      v: 'TabTorrent 0.1',
      reqq: 250,
      metadataSize: 31235,
      p: 6881,
    });
    expect(text(payload)).toBe('d1:md11:ut_metadatai1e6:ut_pexi2ee13:metadata_sizei31235e1:pi6881e4:reqqi250e1:v14:TabTorrent 0.1e');
  });

  it('round-trips', () => {
    const handshake = { m: new Map([['ut_metadata', 3]]), v: 'x', reqq: 10, p: 1, metadataSize: 5, yourip: Uint8Array.of(127, 0, 0, 1) };
    expect(decodeExtendedHandshake(encodeExtendedHandshake(handshake))).toEqual(handshake);
  });

  it('keeps 0 ids (extension disabled) and ignores fields of the wrong type or range', () => {
    const payload = bencode({ m: { ut_pex: 0, ut_metadata: 'x', lt_donthave: 300, ok: 7 }, p: 70000, reqq: 'many', yourip: 'abc', metadata_size: -1 });
    expect(decodeExtendedHandshake(payload)).toEqual({
      m: new Map([
        ['ok', 7],
        ['ut_pex', 0],
      ]),
      v: undefined,
      reqq: undefined,
      p: undefined,
      metadataSize: undefined,
      yourip: undefined,
    });
  });

  it('treats a missing m as no extensions', () => {
    expect(decodeExtendedHandshake(bencode({ v: 'y' })).m.size).toBe(0);
  });

  it('refuses a payload that is not a bencoded dictionary', () => {
    expect(() => decodeExtendedHandshake(new TextEncoder().encode('li1ee'))).toThrow(PeerWireError);
    expect(() => decodeExtendedHandshake(new TextEncoder().encode('d1:m'))).toThrow(/extension handshake/);
  });
});
