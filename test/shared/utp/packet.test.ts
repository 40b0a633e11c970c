import { describe, expect, it } from 'vitest';
import { decodePacket, encodePacket, HEADER_BYTES, MAX_EXTENSIONS, PacketType, UtpPacketError, type UtpPacket } from '../../../shared/utp/packet.ts';
import { encodeSelectiveAck, forEachSelectiveAck } from '../../../shared/utp/selective-ack.ts';
import { seqAdd, seqDiff, seqLess } from '../../../shared/utp/seq.ts';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const fromHex = (text: string) => new Uint8Array(Buffer.from(text.replace(/\s+/g, ''), 'hex'));

function packet(fields: Partial<UtpPacket> = {}): UtpPacket {
  return {
    type: PacketType.DATA, connectionId: 0x1234, timestampUs: 0x01020304, timestampDifferenceUs: 0x0a0b0c0d,
    windowBytes: 0x00100000, seqNr: 0xfffe, ackNr: 0x0001, payload: new Uint8Array(0), ...fields,
  };
}

describe('uTP packet codec (BEP 29)', () => {
  it('encodes the header to golden bytes', () => {
    const bytes = encodePacket(packet({ payload: Uint8Array.of(0xaa, 0xbb) }));
    // type DATA (0) << 4 | version 1, no extension, conn 0x1234, ts, ts diff, wnd, seq, ack, payload
    expect(hex(bytes)).toBe('0100' + '1234' + '01020304' + '0a0b0c0d' + '00100000' + 'fffe' + '0001' + 'aabb');
  });

  it('encodes a SYN and a STATE with a selective ACK to golden bytes', () => {
    expect(hex(encodePacket(packet({ type: PacketType.SYN, seqNr: 1, ackNr: 0 })))).toBe('4100123401020304' + '0a0b0c0d00100000' + '00010000');
    const state = encodePacket(packet({ type: PacketType.STATE, selectiveAck: Uint8Array.of(0x05, 0, 0, 0x80) }));
    expect(hex(state)).toBe('2101123401020304' + '0a0b0c0d00100000' + 'fffe0001' + '0004' + '05000080');
  });

  it('encodes a selective ACK of up to 255 bytes (its length is one byte) and refuses more', () => {
    const sack = new Uint8Array(255).fill(0xff);
    expect(decodePacket(encodePacket(packet({ type: PacketType.STATE, selectiveAck: sack }))).selectiveAck).toEqual(sack);
    expect(() => encodePacket(packet({ type: PacketType.STATE, selectiveAck: new Uint8Array(256) }))).toThrow(/selective ACK of 256 bytes/);
  });

  it('round-trips every field and the payload', () => {
    const original = packet({ type: PacketType.FIN, selectiveAck: Uint8Array.of(1, 2, 3, 4), payload: Uint8Array.of(9, 8, 7) });
    const decoded = decodePacket(encodePacket(original));
    expect({ ...decoded, payload: [...decoded.payload], selectiveAck: [...decoded.selectiveAck!] })
      .toEqual({ ...original, payload: [9, 8, 7], selectiveAck: [1, 2, 3, 4] });
  });

  it('decodes golden bytes from the wire', () => {
    const p = decodePacket(fromHex('21 00 ab cd 00 00 00 10 00 00 00 20 00 04 00 00 00 05 00 06'));
    expect(p).toMatchObject({ type: PacketType.STATE, connectionId: 0xabcd, timestampUs: 16, timestampDifferenceUs: 32, windowBytes: 0x40000, seqNr: 5, ackNr: 6 });
    expect(p.payload.length).toBe(0);
  });

  it('skips unknown extensions and keeps the selective ACK', () => {
    // extension 2 (the SYN "ext_bits", 8 bytes), then a selective ACK of 4 bytes, then a payload
    const bytes = fromHex('01 02 0000 00000000 00000000 00000000 0000 0000' + '01 08 0000000000000000' + '00 04 01000000' + 'ff');
    const p = decodePacket(bytes);
    expect([...p.selectiveAck!]).toEqual([1, 0, 0, 0]);
    expect([...p.payload]).toEqual([0xff]);
  });

  describe('hostile packets', () => {
    const header = '0100 1234 00000000 00000000 00010000 0001 0000';
    it.each([
      ['empty', ''],
      ['truncated header', '0100 1234 0000'],
      ['19 bytes', header.replace(/ /g, '').slice(0, 38)],
    ])('refuses a %s packet', (_name, text) => {
      expect(() => decodePacket(fromHex(text))).toThrow(/shorter than the header/);
    });

    it('refuses version 0 and unknown types', () => {
      expect(() => decodePacket(fromHex('00' + header.replace(/ /g, '').slice(2)))).toThrow(/version 0/);
      expect(() => decodePacket(fromHex('51' + header.replace(/ /g, '').slice(2)))).toThrow(/unknown packet type 5/);
      expect(() => decodePacket(fromHex('f1' + header.replace(/ /g, '').slice(2)))).toThrow(UtpPacketError);
    });

    it('refuses an extension that runs past the end', () => {
      const withExt = (ext: string) => fromHex('0101' + header.replace(/ /g, '').slice(4) + ext);
      expect(() => decodePacket(withExt(''))).toThrow(/extension header runs past the end/);
      expect(() => decodePacket(withExt('00'))).toThrow(/extension header runs past the end/);
      expect(() => decodePacket(withExt('0008 01020304'))).toThrow(/extension of 8 bytes runs past the end/);
      expect(() => decodePacket(withExt('00ff'))).toThrow(UtpPacketError);
    });

    it('refuses absurd extension chains', () => {
      // 200 empty extensions chained one after another
      const chain = '0300'.repeat(200) + '0000';
      const bytes = fromHex('0103' + header.replace(/ /g, '').slice(4) + chain);
      expect(() => decodePacket(bytes)).toThrow(new RegExp(`more than ${MAX_EXTENSIONS} extensions`));
      // a chain that loops forever on its own is bounded the same way
      expect(() => decodePacket(fromHex('0101' + header.replace(/ /g, '').slice(4) + '0100'.repeat(1000)))).toThrow(/more than/);
    });

    it('reports the byte offset of the problem', () => {
      try {
        decodePacket(fromHex('0101' + header.replace(/ /g, '').slice(4) + '0005 00'));
        expect.unreachable();
      } catch (err) {
        expect(err).toBeInstanceOf(UtpPacketError);
        expect((err as UtpPacketError).byteOffset).toBe(HEADER_BYTES);
      }
    });

    it('survives random garbage without throwing anything but UtpPacketError', () => {
      let seed = 7;
      const random = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
      for (let i = 0; i < 5000; i++) {
        const bytes = new Uint8Array(Math.floor(random() * 80));
        for (let j = 0; j < bytes.length; j++) bytes[j] = Math.floor(random() * 256);
        if (bytes.length > 0 && random() < 0.5) bytes[0] = (Math.floor(random() * 5) << 4) | 1;
        try {
          decodePacket(bytes);
        } catch (err) {
          expect(err).toBeInstanceOf(UtpPacketError);
        }
      }
    });
  });
});

describe('selective ACK bitmask', () => {
  it('puts ack_nr + 2 in the least significant bit of the first byte', () => {
    const held = new Set([12, 14, 19, 43]);
    const mask = encodeSelectiveAck(10, 33, (s) => held.has(s))!;
    expect(mask.length).toBe(4);
    expect([...mask]).toEqual([0b1000_0101, 0, 0, 0b1000_0000]);
    const seen: number[] = [];
    forEachSelectiveAck(10, mask, (s) => seen.push(s));
    expect(seen).toEqual([12, 14, 19, 43]);
  });

  it('wraps around 65535 and stops at 32 bytes', () => {
    const mask = encodeSelectiveAck(0xfffe, 1000, (s) => s === 0 || s === 1)!;
    expect(mask.length).toBe(32);
    const seen: number[] = [];
    forEachSelectiveAck(0xfffe, mask, (s) => seen.push(s));
    expect(seen).toEqual([0, 1]);
    expect(encodeSelectiveAck(5, 1, () => true)).toBeUndefined();
  });
});

describe('16-bit sequence arithmetic', () => {
  it('compares across the wrap', () => {
    expect(seqAdd(0xffff, 1)).toBe(0);
    expect(seqDiff(2, 0xfffe)).toBe(4);
    expect(seqDiff(0xfffe, 2)).toBe(-4);
    expect(seqLess(0xfff0, 0x0010)).toBe(true);
    expect(seqLess(0x0010, 0xfff0)).toBe(false);
  });
});
