import { Buffer } from 'node:buffer';
import { describe, expect, it } from 'vitest';
import { concatBytes } from '../../../shared/bytes.ts';
import { PeerWireError } from '../../../shared/peer-wire/errors.ts';
import { type FramedItem, MessageFramer } from '../../../shared/peer-wire/framer.ts';
import { encodeHandshake, makeReserved } from '../../../shared/peer-wire/handshake.ts';
import { encodeMessage, type PeerMessage } from '../../../shared/peer-wire/messages.ts';

// Keys in decodeHandshake's order, since summarize() compares JSON.
const handshake = {
  reserved: makeReserved({ extensionProtocol: true, fast: true }),
  infoHash: new Uint8Array(20).fill(0xab),
  peerId: new Uint8Array(20).fill(0x2d),
};

const messages: PeerMessage[] = [
  { type: 'bitfield', bytes: Uint8Array.of(0xff, 0x00, 0x80) },
  { type: 'keep-alive' },
  { type: 'unchoke' },
  { type: 'have', piece: 9 },
  { type: 'piece', piece: 1, offset: 16384, block: Uint8Array.from({ length: 40000 }, (_, i) => i & 0xff) },
  { type: 'request', piece: 2, offset: 0, length: 16384 },
  { type: 'extended', extendedId: 3, payload: Uint8Array.of(1, 2, 3) },
  { type: 'keep-alive' },
  { type: 'have-none' },
  { type: 'piece', piece: 4, offset: 0, block: new Uint8Array(0) },
];

const stream = concatBytes([encodeHandshake(handshake), ...messages.map(encodeMessage)]);
const expected: FramedItem[] = [{ type: 'handshake', handshake }, ...messages];

/** Pushes `bytes` cut at the given sizes (cycled) and collects every item, a split block joined. */
function feed(framer: MessageFramer, bytes: Uint8Array, nextChunkBytes: () => number): FramedItem[] {
  const items: FramedItem[] = [];
  for (let offset = 0; offset < bytes.length; ) {
    const end = Math.min(bytes.length, offset + nextChunkBytes());
    items.push(...framer.push(bytes.subarray(offset, end)).map(joined));
    offset = end;
  }
  return items;
}

function joined(item: FramedItem): FramedItem {
  return item.type === 'piece-parts' ? { type: 'piece', piece: item.piece, offset: item.offset, block: concatBytes([...item.parts]) } : item;
}

/** Items with byte fields as hex, because deep equality of large typed arrays is slow. */
function summarize(items: FramedItem[]): string {
  return JSON.stringify(items, (_key, value: unknown) =>
    value instanceof Uint8Array ? Buffer.from(value.buffer, value.byteOffset, value.length).toString('hex') : value,
  );
}

/** A small deterministic PRNG so a failing chunking can be reproduced. */
function lcg(seed: number): () => number {
  let state = seed;
  return () => (state = (Math.imul(state, 1103515245) + 12345) >>> 0);
}

describe('MessageFramer', () => {
  it('parses the handshake then messages from one chunk', () => {
    expect(new MessageFramer({ expectHandshake: true }).push(stream)).toEqual(expected);
  });

  it('gives the same items fed one byte at a time', () => {
    const framer = new MessageFramer({ expectHandshake: true });
    expect(feed(framer, stream, () => 1)).toEqual(expected);
    expect(framer.bufferedBytes).toBe(0);
  });

  it('gives the same items in random chunkings', () => {
    for (let seed = 1; seed <= 50; seed++) {
      const random = lcg(seed);
      const maxChunk = [3, 17, 100, 5000, 70000][seed % 5]!;
      const framer = new MessageFramer({ expectHandshake: true });
      expect(summarize(feed(framer, stream, () => 1 + (random() % maxChunk)))).toBe(summarize(expected));
    }
  });

  it('without expectHandshake the stream starts with a message', () => {
    const framer = new MessageFramer();
    expect(framer.awaitingHandshake).toBe(false);
    expect(framer.push(concatBytes(messages.map(encodeMessage)))).toEqual(messages);
  });

  it('a PIECE block inside one chunk is a view of that chunk', () => {
    const bytes = encodeMessage({ type: 'piece', piece: 0, offset: 0, block: new Uint8Array(16384).fill(5) });
    const [item] = new MessageFramer().push(bytes);
    expect(item?.type === 'piece' && item.block.buffer).toBe(bytes.buffer);
  });

  it('a PIECE block spanning chunks comes as views of those chunks: never copied', () => {
    const block = Uint8Array.from({ length: 16384 }, (_, i) => i & 0xff);
    const bytes = encodeMessage({ type: 'piece', piece: 3, offset: 32768, block });
    const chunks = [bytes.slice(0, 5000), bytes.slice(5000, 12000), bytes.slice(12000)];
    const framer = new MessageFramer();
    const items = chunks.flatMap((chunk) => framer.push(chunk));
    expect(items).toHaveLength(1);
    const item = items[0]!;
    if (item.type !== 'piece-parts') throw new Error(`expected piece-parts, got ${item.type}`);
    expect([item.piece, item.offset]).toEqual([3, 32768]);
    expect(item.parts.map((part) => part.buffer)).toEqual(chunks.map((chunk) => chunk.buffer));
    expect(concatBytes([...item.parts])).toEqual(block);
  });

  it('refuses a length above the cap as soon as the prefix arrives', () => {
    const framer = new MessageFramer({ maxMessageBytes: 1000 });
    const prefix = Uint8Array.of(0, 0, 0x03, 0xe9); // 1001
    expect(() => framer.push(prefix)).toThrow(PeerWireError);
    expect(() => framer.push(Uint8Array.of(0))).toThrow(/exceeds the limit/); // dead afterwards
  });

  it('default cap allows 1 MiB + 13 and refuses more', () => {
    const framer = new MessageFramer();
    expect(() => framer.push(Uint8Array.of(0, 0x10, 0, 0x0d))).not.toThrow();
    const tooLong = new MessageFramer();
    expect(() => tooLong.push(Uint8Array.of(0, 0x10, 0, 0x0e))).toThrow(PeerWireError);
  });

  it('refuses a wrong payload size for an id', () => {
    const framer = new MessageFramer();
    expect(() => framer.push(Uint8Array.of(0, 0, 0, 3, 4, 0, 0))).toThrow(/expected 5/);
  });

  it('refuses a REQUEST above 128 KiB', () => {
    const bytes = encodeMessage({ type: 'request', piece: 0, offset: 0, length: 1 << 20 });
    expect(() => new MessageFramer().push(bytes)).toThrow(PeerWireError);
  });

  it('refuses a wrong protocol on its first byte, before 68 bytes arrive', () => {
    const framer = new MessageFramer({ expectHandshake: true });
    expect(() => framer.push(Uint8Array.of(0x13, 0x42))).not.toThrow();
    const wrong = new MessageFramer({ expectHandshake: true });
    expect(() => wrong.push(Uint8Array.of(0x47, 0x45, 0x54))).toThrow(/pstrlen/); // "GET"
  });

  it('keeps items that follow in the same chunk after a handshake', () => {
    const framer = new MessageFramer({ expectHandshake: true });
    const first = framer.push(stream.subarray(0, 70));
    expect(first).toEqual([{ type: 'handshake', handshake }]);
    expect(framer.awaitingHandshake).toBe(false);
    expect(framer.bufferedBytes).toBe(2);
  });
});
