// The bridge frame decoder (shared/bridge/frames.ts): every frame type, re-encoded and decoded
// again when accepted (a decoded frame must be one the encoder takes).

import { decodeFrame, encodeFrame, FrameError, FrameType, type Frame } from '../../../shared/bridge/frames.ts';
import { check, roundTrip, type FuzzTarget } from '../target.ts';

const infoHash = Uint8Array.from({ length: 20 }, (_, i) => i);

// HELLO as literal bytes: type 0, id 0, version, UTF-8 text.
const HELLO = Uint8Array.of(0, 0, 0, 0, 0, 2, ...new TextEncoder().encode('tabtorrent 0.1'));

const SEED_FRAMES: Frame[] = [
  { type: FrameType.HELLO, id: 0, version: 2, client: 'tabtorrent-engine' },
  { type: FrameType.WELCOME, id: 0, version: 1, maxDataPayload: 65531, peerPort: 6881 },
  { type: FrameType.TCP_OPEN, id: 1, host: 'peer.example', port: 6881, window: 4 * 1024 * 1024 },
  { type: FrameType.UTP_OPEN, id: 2, host: '192.0.2.1', port: 51413, window: 65536 },
  { type: FrameType.OPENED, id: 1, window: 1 << 22 },
  { type: FrameType.ERROR, id: 1, code: 5, message: 'connect failed: ECONNREFUSED' },
  { type: FrameType.DATA, id: 1, bytes: Uint8Array.from({ length: 64 }, (_, i) => i * 3) },
  { type: FrameType.CLOSE, id: 1, reason: 'done' },
  { type: FrameType.CREDIT, id: 1, bytes: 16384 },
  { type: FrameType.UDP_BIND, id: 3 },
  { type: FrameType.BOUND, id: 3, port: 40000 },
  { type: FrameType.UDP_SEND, id: 3, host: 'router.bittorrent.com', port: 6881, bytes: Uint8Array.of(0x64, 0x65) },
  { type: FrameType.UDP_RECV, id: 3, host: '2001:db8::1', port: 6881, bytes: Uint8Array.of(1, 2, 3) },
  { type: FrameType.HTTP_GET, id: 4, window: 1 << 20, maxBytes: 1 << 20, url: 'http://tracker.example/announce?info_hash=%01' },
  { type: FrameType.HTTP_GET, id: 4, window: 1 << 20, maxBytes: 1 << 18, url: 'http://seed.example/a.bin', range: { start: 2 ** 32 + 16384, end: 2 ** 32 + 278527 } },
  { type: FrameType.HTTP_GET, id: 4, window: 1 << 20, maxBytes: 1 << 18, url: 'http://seed.example/b.bin', range: { start: 0 } },
  { type: FrameType.HTTP_RESPONSE, id: 4, status: 200, contentLength: 1234, window: 65536 },
  { type: FrameType.LISTEN, id: 5, infoHash },
  { type: FrameType.UNLISTEN, id: 5 },
  { type: FrameType.ACCEPTED, id: 0x80000001, listenId: 5, window: 1 << 22, host: '198.51.100.7', port: 50000, transport: 'utp' },
  { type: FrameType.PING, id: 0, bytes: Uint8Array.of(9, 8, 7, 6) },
  { type: FrameType.PONG, id: 0, bytes: Uint8Array.of(9, 8, 7, 6) },
];

export const bridgeFrameTarget: FuzzTarget = {
  name: 'bridge-frame',
  seeds: () => [HELLO, ...SEED_FRAMES.map(encodeFrame)],
  // UTF-8 edge cases for the host and text fields: a BOM, overlong NUL, a lone surrogate.
  dictionary: ['\xef\xbb\xbf', '\xc0\x80', '\xed\xa0\x80', '\xf4\x90\x80\x80', 'localhost', '::1'],
  // decodeFrame, and again after re-encoding.
  decodesPerRun: 2,
  typedErrors: [FrameError],
  run(input) {
    const frame = decodeFrame(input);
    const again = roundTrip('re-encoding a decoded frame', () => decodeFrame(encodeFrame(frame)));
    check(again.type === frame.type && again.id === frame.id, `frame type ${frame.type} id ${frame.id} does not survive re-encoding`);
  },
};
