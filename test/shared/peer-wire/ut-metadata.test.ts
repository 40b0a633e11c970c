import { describe, expect, it } from 'vitest';
import { bencode } from '../../../shared/bencode/index.ts';
import { concatBytes } from '../../../shared/bytes.ts';
import {
  decodeMetadataMessage,
  encodeMetadataMessage,
  MAX_METADATA_BYTES,
  METADATA_PIECE_BYTES,
  metadataPieceCount,
  PeerWireError,
} from '../../../shared/peer-wire/index.ts';

const text = (s: string) => new TextEncoder().encode(s);

function expectPeerWireError(payload: Uint8Array, pattern: RegExp): PeerWireError {
  try {
    decodeMetadataMessage(payload);
  } catch (error) {
    expect(error).toBeInstanceOf(PeerWireError);
    expect((error as PeerWireError).message).toMatch(pattern);
    return error as PeerWireError;
  }
  throw new Error('expected a PeerWireError');
}

describe('ut_metadata (BEP 9)', () => {
  it('encodes request, reject and data to golden bytes', () => {
    expect(new TextDecoder().decode(encodeMetadataMessage({ type: 'request', piece: 0 }))).toBe('d8:msg_typei0e5:piecei0ee');
    expect(new TextDecoder().decode(encodeMetadataMessage({ type: 'reject', piece: 2 }))).toBe('d8:msg_typei2e5:piecei2ee');
    const data = encodeMetadataMessage({ type: 'data', piece: 1, totalSize: 20000, data: text('xyz') });
    expect(new TextDecoder().decode(data)).toBe('d8:msg_typei1e5:piecei1e10:total_sizei20000eexyz');
  });

  it('decodes what it encodes; piece data is the bytes after the dictionary', () => {
    expect(decodeMetadataMessage(encodeMetadataMessage({ type: 'request', piece: 3 }))).toEqual({ type: 'request', piece: 3 });
    expect(decodeMetadataMessage(encodeMetadataMessage({ type: 'reject', piece: 4 }))).toEqual({ type: 'reject', piece: 4 });
    const decoded = decodeMetadataMessage(encodeMetadataMessage({ type: 'data', piece: 1, totalSize: 20000, data: text('xyz') }));
    expect(decoded).toEqual({ type: 'data', piece: 1, totalSize: 20000, data: text('xyz') });
    expect(metadataPieceCount(16385)).toBe(2);
  });

  describe('hostile messages', () => {
    // Found by `npm run fuzz`: a field of the wrong type escaped as a BencodeFieldError, which
    // the peer connection does not expect from a peer wire decoder.
    it.each([
      ['msg_type', 'd8:msg_type0:e', 11],
      ['msg_type', 'd8:msg_typede5:piecei0ee', 11],
      ['piece', 'd8:msg_typei0e5:piecelee', 21],
      ['total_size', 'd8:msg_typei1e5:piecei0e10:total_size1:xe', 37],
    ])('a %s that is not an integer is a PeerWireError with its offset', (key, wire, offset) => {
      const error = expectPeerWireError(text(wire), new RegExp(`"${key}" is a .*, not an integer`));
      expect(error.offset).toBe(offset);
    });

    it('refuses input that is not a dictionary, with the offset of the problem', () => {
      expect(expectPeerWireError(text('li0ee'), /expected a dictionary/).offset).toBe(0);
      expect(expectPeerWireError(text('d8:msg_typei0e5:piece'), /bad ut_metadata message/).offset).toBe(21);
    });

    it('refuses a missing msg_type or piece, a negative piece and unknown types', () => {
      expectPeerWireError(bencode({ piece: 0 }), /without msg_type or piece/);
      expectPeerWireError(bencode({ msg_type: 0, piece: -1 }), /without msg_type or piece/);
      expectPeerWireError(bencode({ msg_type: 7, piece: 0 }), /unknown ut_metadata msg_type 7/);
    });

    it(`refuses a total_size above MAX_METADATA_BYTES (${MAX_METADATA_BYTES}) and of 0`, () => {
      const data = (totalSize: number) => encodeMetadataMessage({ type: 'data', piece: 0, totalSize, data: text('x') });
      expect(decodeMetadataMessage(data(MAX_METADATA_BYTES))).toMatchObject({ totalSize: MAX_METADATA_BYTES });
      expectPeerWireError(data(MAX_METADATA_BYTES + 1), /total_size 16777217 out of range/);
      expectPeerWireError(data(0), /out of range/);
    });

    it(`refuses piece data over METADATA_PIECE_BYTES (${METADATA_PIECE_BYTES})`, () => {
      const data = (bytes: number) => encodeMetadataMessage({ type: 'data', piece: 0, totalSize: 40000, data: new Uint8Array(bytes) });
      expect(decodeMetadataMessage(data(METADATA_PIECE_BYTES))).toMatchObject({ type: 'data' });
      expectPeerWireError(data(METADATA_PIECE_BYTES + 1), /larger than 16 KiB/);
    });

    it('caps nesting at 4 levels', () => {
      const nested = (depth: number) => text(`d1:x${'l'.repeat(depth - 1)}${'e'.repeat(depth - 1)}8:msg_typei0e5:piecei0ee`);
      expect(decodeMetadataMessage(nested(4))).toEqual({ type: 'request', piece: 0 });
      expectPeerWireError(nested(5), /nesting deeper than 4 levels/);
    });

    it('keeps __proto__ keys as data', () => {
      const wire = concatBytes([text('d9:__proto__d1:xi1ee'), text('8:msg_typei0e5:piecei0ee')]);
      expect(decodeMetadataMessage(wire)).toEqual({ type: 'request', piece: 0 });
      expect(({} as Record<string, unknown>).x).toBeUndefined();
    });
  });
});
