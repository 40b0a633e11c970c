// UDP tracker responses (shared/tracker/udp.ts, BEP 15), read as IPv4 and as IPv6 announces.

import { writeU32BE } from '../../../shared/bytes.ts';
import { TrackerError } from '../../../shared/tracker/errors.ts';
import { decodeUdpResponse, UdpAction } from '../../../shared/tracker/udp.ts';
import type { FuzzTarget } from '../target.ts';

function datagram(action: number, body: number[]): Uint8Array {
  const out = new Uint8Array(8 + body.length);
  writeU32BE(out, 0, action);
  writeU32BE(out, 4, 0x12345678);
  out.set(body, 8);
  return out;
}

const u32s = (...values: number[]) => values.flatMap((v) => [v >>> 24, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff]);

export const trackerUdpTarget: FuzzTarget = {
  name: 'tracker-udp',
  seeds: () => [
    datagram(UdpAction.CONNECT, [0x41, 0x72, 0x71, 0x01, 0x98, 0x00, 0x00, 0x01]),
    datagram(UdpAction.ANNOUNCE, [...u32s(1800, 5, 9), 192, 0, 2, 1, 0x1a, 0xe1, 10, 0, 0, 2, 0, 80]),
    datagram(UdpAction.ANNOUNCE, [...u32s(1800, 5, 9), ...Array.from({ length: 18 }, (_, i) => i)]),
    datagram(UdpAction.SCRAPE, u32s(1, 2, 3, 4, 5, 6)),
    datagram(UdpAction.ERROR, [...new TextEncoder().encode('unknown torrent')]),
  ],
  // decodeUdpResponse as IPv4, then as IPv6.
  decodesPerRun: 2,
  typedErrors: [TrackerError],
  run(input) {
    let ipv4Error: unknown;
    try {
      decodeUdpResponse(input);
    } catch (error) {
      if (!(error instanceof TrackerError)) throw error;
      ipv4Error = error;
    }
    decodeUdpResponse(input, { ipv6: true });
    if (ipv4Error) throw ipv4Error;
  },
};
