// The peer wire framer (shared/peer-wire/framer.ts) with the message decoder behind it: the
// whole input pushed at once must give the same messages (or the same error) as the input cut
// into small chunks.

import { encodeExtendedHandshake } from '../../../shared/peer-wire/extended-handshake.ts';
import { MessageFramer, blockByteLength, type FramedItem } from '../../../shared/peer-wire/framer.ts';
import { encodeHandshake, makeReserved } from '../../../shared/peer-wire/handshake.ts';
import { encodeMessage, type PeerMessage } from '../../../shared/peer-wire/messages.ts';
import { PeerWireError } from '../../../shared/peer-wire/errors.ts';
import { concatBytes } from '../../../shared/bytes.ts';
import { check, type FuzzTarget } from '../target.ts';

const MESSAGES: PeerMessage[] = [
  { type: 'keep-alive' },
  { type: 'choke' },
  { type: 'unchoke' },
  { type: 'interested' },
  { type: 'not-interested' },
  { type: 'have', piece: 7 },
  { type: 'bitfield', bytes: Uint8Array.of(0xff, 0x80) },
  { type: 'request', piece: 1, offset: 16384, length: 16384 },
  { type: 'piece', piece: 1, offset: 0, block: Uint8Array.from({ length: 32 }, (_, i) => i) },
  { type: 'cancel', piece: 1, offset: 16384, length: 16384 },
  { type: 'port', port: 6881 },
  { type: 'suggest', piece: 3 },
  { type: 'have-all' },
  { type: 'have-none' },
  { type: 'reject', piece: 2, offset: 0, length: 16384 },
  { type: 'allowed-fast', piece: 4 },
  { type: 'extended', extendedId: 0, payload: encodeExtendedHandshake({ m: new Map([['ut_metadata', 1], ['ut_pex', 2]]), metadataSize: 1234, v: 'TabTorrent' }) },
  { type: 'unknown', id: 99, payload: Uint8Array.of(1, 2) },
];

const handshake = encodeHandshake({
  reserved: makeReserved({ extensionProtocol: true, fast: true, dht: true }),
  infoHash: Uint8Array.from({ length: 20 }, (_, i) => i + 1),
  peerId: Uint8Array.from('-TA0001-abcdefghijkl', (c) => c.charCodeAt(0)),
});

type Result = { items: string[]; error?: string };

function feed(input: Uint8Array, chunkBytes: number): Result {
  const framer = new MessageFramer({ expectHandshake: input[0] === 19 });
  const items: string[] = [];
  try {
    for (let offset = 0; offset < input.length; offset += chunkBytes) {
      for (const item of framer.push(input.subarray(offset, offset + chunkBytes))) items.push(describe(item));
    }
  } catch (error) {
    if (!(error instanceof PeerWireError)) throw error;
    return { items, error: error.reason };
  }
  check(framer.bufferedBytes <= input.length, 'framer buffers more bytes than it was given');
  return { items };
}

function describe(item: FramedItem): string {
  if (item.type === 'handshake') return 'handshake';
  // A block spanning chunks comes as its parts: the same PIECE as whole input gives.
  if (item.type === 'piece') return `piece:${item.block.length}`;
  if (item.type === 'piece-parts') return `piece:${blockByteLength(item.parts)}`;
  if (item.type === 'extended') return `extended:${item.extendedId}:${item.payload.length}`;
  return item.type;
}

export const peerWireFramerTarget: FuzzTarget = {
  name: 'peer-wire-framer',
  seeds: () => [
    concatBytes([handshake, ...MESSAGES.map(encodeMessage)]),
    ...MESSAGES.map(encodeMessage),
    handshake,
  ],
  typedErrors: [PeerWireError],
  // The whole input at once, then again in chunks of 1–13 bytes (one push per chunk).
  decodesPerRun: 3,
  run(input) {
    const whole = feed(input, Math.max(1, input.length));
    const chunked = feed(input, 1 + ((input[input.length - 1] ?? 0) % 13));
    if (whole.error !== undefined) {
      check(chunked.error === whole.error, `chunked framing gave ${chunked.error ?? 'no error'}, whole gave ${whole.error}`);
      throw new PeerWireError(whole.error as PeerWireError['reason'], 'refused');
    }
    check(chunked.error === undefined && chunked.items.join() === whole.items.join(), `chunked framing gave [${chunked.items.join()}] ${chunked.error ?? ''}, whole gave [${whole.items.join()}]`);
  },
};
