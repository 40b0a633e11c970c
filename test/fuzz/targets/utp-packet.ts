// uTP packets (shared/utp/packet.ts, BEP 29). An accepted packet re-encodes to one that decodes to
// the same header, selective ACK and payload.

import { equalBytes } from '../../../shared/bytes.ts';
import { decodePacket, encodePacket, PacketType, UtpPacketError, type UtpPacket } from '../../../shared/utp/packet.ts';
import { check, roundTrip, type FuzzTarget } from '../target.ts';

const base: UtpPacket = { type: PacketType.DATA, connectionId: 0x1234, timestampUs: 1000, timestampDifferenceUs: 20, windowBytes: 1 << 20, seqNr: 7, ackNr: 6, payload: Uint8Array.of(1, 2, 3) };

export const utpPacketTarget: FuzzTarget = {
  name: 'utp-packet',
  seeds: () => [
    encodePacket(base),
    encodePacket({ ...base, type: PacketType.SYN, payload: new Uint8Array(0) }),
    encodePacket({ ...base, type: PacketType.STATE, selectiveAck: Uint8Array.of(0xff, 0, 0, 1), payload: new Uint8Array(0) }),
    encodePacket({ ...base, type: PacketType.FIN }),
    encodePacket({ ...base, type: PacketType.RESET, payload: new Uint8Array(0) }),
  ],
  // decodePacket, and again after re-encoding.
  decodesPerRun: 2,
  typedErrors: [UtpPacketError],
  run(input) {
    const packet = decodePacket(input);
    const again = roundTrip('re-encoding a decoded packet', () => decodePacket(encodePacket(packet)));
    check(
      again.type === packet.type && again.connectionId === packet.connectionId && again.seqNr === packet.seqNr && again.ackNr === packet.ackNr &&
        again.timestampUs === packet.timestampUs && again.windowBytes === packet.windowBytes && equalBytes(again.payload, packet.payload) &&
        equalBytes(again.selectiveAck ?? new Uint8Array(0), packet.selectiveAck ?? new Uint8Array(0)),
      'a packet does not survive re-encoding',
    );
  },
};
