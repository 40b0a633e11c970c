import { describe, expect, it } from 'vitest';
import { toHex } from '../../../shared/hex.ts';
import { MessageId } from '../../../shared/peer-wire/constants.ts';
import { PeerWireError } from '../../../shared/peer-wire/errors.ts';
import {
  decodeMessageBody,
  encodeMessage,
  encodePieceHeader,
  type PeerMessage,
} from '../../../shared/peer-wire/messages.ts';

// Each message with its exact wire bytes (length prefix included).
const golden: [PeerMessage, string][] = [
  [{ type: 'keep-alive' }, '00000000'],
  [{ type: 'choke' }, '0000000100'],
  [{ type: 'unchoke' }, '0000000101'],
  [{ type: 'interested' }, '0000000102'],
  [{ type: 'not-interested' }, '0000000103'],
  [{ type: 'have', piece: 0x01020304 }, '000000050401020304'],
  [{ type: 'bitfield', bytes: Uint8Array.of(0xff, 0x80) }, '0000000305ff80'],
  [{ type: 'request', piece: 1, offset: 0x4000, length: 0x4000 }, '0000000d06000000010000400000004000'],
  [{ type: 'piece', piece: 2, offset: 0x8000, block: Uint8Array.of(0xaa, 0xbb) }, '0000000b' + '07' + '00000002' + '00008000' + 'aabb'],
  [{ type: 'cancel', piece: 1, offset: 0, length: 0x4000 }, '0000000d08000000010000000000004000'],
  [{ type: 'port', port: 6881 }, '00000003091ae1'],
  [{ type: 'suggest', piece: 7 }, '000000050d00000007'],
  [{ type: 'have-all' }, '000000010e'],
  [{ type: 'have-none' }, '000000010f'],
  [{ type: 'reject', piece: 3, offset: 16, length: 32 }, '0000000d10000000030000001000000020'],
  [{ type: 'allowed-fast', piece: 0xffffffff }, '0000000511ffffffff'],
  [{ type: 'extended', extendedId: 0, payload: Uint8Array.of(0x64, 0x65) }, '00000004' + '14' + '00' + '6465'],
  [{ type: 'unknown', id: 21, payload: Uint8Array.of(1) }, '000000021501'],
];

describe('peer wire messages', () => {
  it.each(golden)('encodes and decodes %o', (message, hex) => {
    const bytes = encodeMessage(message);
    expect(toHex(bytes)).toBe(hex);
    expect(decodeMessageBody(bytes.subarray(4))).toEqual(message);
  });

  it('encodes a PIECE header separately, equal to the start of the whole message', () => {
    const block = new Uint8Array(16384).fill(7);
    const whole = encodeMessage({ type: 'piece', piece: 5, offset: 16384, block });
    expect(encodePieceHeader(5, 16384, block.length)).toEqual(whole.subarray(0, 13));
  });

  it('message ids are the BEP numbers', () => {
    expect(MessageId).toMatchObject({ PORT: 9, SUGGEST: 13, HAVE_ALL: 14, HAVE_NONE: 15, REJECT: 16, ALLOWED_FAST: 17, EXTENDED: 20 });
  });

  const wrongSizes: [string, number[]][] = [
    ['choke with a payload', [MessageId.CHOKE, 0]],
    ['have-all with a payload', [MessageId.HAVE_ALL, 1]],
    ['short have', [MessageId.HAVE, 0, 0, 1]],
    ['long have', [MessageId.HAVE, 0, 0, 0, 1, 2]],
    ['short request', [MessageId.REQUEST, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 64]],
    ['short piece', [MessageId.PIECE, 0, 0, 0, 1, 0, 0, 0]],
    ['long port', [MessageId.PORT, 1, 2, 3]],
    ['extended without its id', [MessageId.EXTENDED]],
    ['short allowed-fast', [MessageId.ALLOWED_FAST, 0]],
  ];
  it.each(wrongSizes)('rejects a %s', (_name, body) => {
    expect(() => decodeMessageBody(Uint8Array.from(body))).toThrow(PeerWireError);
    try {
      decodeMessageBody(Uint8Array.from(body));
    } catch (error) {
      expect((error as PeerWireError).reason).toBe('bad-payload-length');
    }
  });

  it('rejects requests above 128 KiB and of zero bytes', () => {
    const request = (length: number) => encodeMessage({ type: 'request', piece: 0, offset: 0, length }).subarray(4);
    expect(decodeMessageBody(request(128 * 1024))).toMatchObject({ length: 131072 });
    expect(() => decodeMessageBody(request(128 * 1024 + 1))).toThrow(/asks for 131073/);
    expect(() => decodeMessageBody(request(0))).toThrow(PeerWireError);
  });

  it('PIECE and BITFIELD payloads are views, not copies', () => {
    const bytes = encodeMessage({ type: 'piece', piece: 0, offset: 0, block: Uint8Array.of(1, 2, 3) });
    const message = decodeMessageBody(bytes.subarray(4));
    expect(message.type === 'piece' && message.block.buffer).toBe(bytes.buffer);
  });

  it('refuses to encode out-of-range fields', () => {
    expect(() => encodeMessage({ type: 'have', piece: -1 })).toThrow(PeerWireError);
    expect(() => encodeMessage({ type: 'port', port: 70000 })).toThrow(PeerWireError);
    expect(() => encodeMessage({ type: 'extended', extendedId: 256, payload: new Uint8Array(0) })).toThrow(PeerWireError);
  });
});
