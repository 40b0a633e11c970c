// BEP 29 packet codec. A packet is a 20-byte header, an extension chain, then the payload:
//   type (4 bits) | version (4 bits) | extension u8 | connection_id u16 | timestamp_us u32 |
//   timestamp_difference_us u32 | wnd_size u32 | seq_nr u16 | ack_nr u16
// Each extension is: next extension u8 | length u8 | bytes. All numbers big-endian.

export const UTP_VERSION = 1;
export const HEADER_BYTES = 20;

export const PacketType = {
  DATA: 0,
  FIN: 1,
  STATE: 2,
  RESET: 3,
  SYN: 4,
} as const;
export type PacketTypeValue = (typeof PacketType)[keyof typeof PacketType];

// BEP 29 — extension ids
export const ExtensionType = {
  NONE: 0,
  SELECTIVE_ACK: 1,
} as const;

/** More extensions than this in one packet is hostile, not useful. */
export const MAX_EXTENSIONS = 8;

export interface UtpPacket {
  type: PacketTypeValue;
  connectionId: number;
  /** The sender's clock when sending, µs, modulo 2^32. */
  timestampUs: number;
  /** The sender's view of our one-way delay: its receive time minus our last timestamp, µs. */
  timestampDifferenceUs: number;
  /** Bytes the sender can still receive. */
  windowBytes: number;
  seqNr: number;
  ackNr: number;
  /** BEP 29 selective ACK bitmask: bit i (LSB first in each byte) acknowledges ack_nr + 2 + i. */
  selectiveAck?: Uint8Array;
  /** A view into the decoded datagram (not a copy). */
  payload: Uint8Array;
}

export class UtpPacketError extends Error {
  constructor(message: string, readonly byteOffset: number) {
    super(`${message} (at byte ${byteOffset})`);
    this.name = 'UtpPacketError';
  }
}

export function encodePacket(packet: UtpPacket): Uint8Array<ArrayBuffer> {
  const sack = packet.selectiveAck;
  if (sack && (sack.length === 0 || sack.length > 255)) throw new RangeError(`selective ACK of ${sack.length} bytes`);
  const extensionBytes = sack ? 2 + sack.length : 0;
  const out = new Uint8Array(HEADER_BYTES + extensionBytes + packet.payload.length);
  const view = new DataView(out.buffer);
  out[0] = (packet.type << 4) | UTP_VERSION;
  out[1] = sack ? ExtensionType.SELECTIVE_ACK : ExtensionType.NONE;
  view.setUint16(2, packet.connectionId & 0xffff);
  view.setUint32(4, packet.timestampUs >>> 0);
  view.setUint32(8, packet.timestampDifferenceUs >>> 0);
  view.setUint32(12, packet.windowBytes >>> 0);
  view.setUint16(16, packet.seqNr & 0xffff);
  view.setUint16(18, packet.ackNr & 0xffff);
  let offset = HEADER_BYTES;
  if (sack) {
    out[offset] = ExtensionType.NONE;
    out[offset + 1] = sack.length;
    out.set(sack, offset + 2);
    offset += 2 + sack.length;
  }
  out.set(packet.payload, offset);
  return out;
}

/** Decodes one datagram; throws UtpPacketError for anything that is not a version-1 uTP packet. */
export function decodePacket(bytes: Uint8Array): UtpPacket {
  if (bytes.length < HEADER_BYTES) throw new UtpPacketError(`packet of ${bytes.length} bytes is shorter than the header`, bytes.length);
  const version = bytes[0]! & 0x0f;
  if (version !== UTP_VERSION) throw new UtpPacketError(`version ${version}, expected ${UTP_VERSION}`, 0);
  const type = bytes[0]! >> 4;
  if (type > PacketType.SYN) throw new UtpPacketError(`unknown packet type ${type}`, 0);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let selectiveAck: Uint8Array | undefined;
  let extension = bytes[1]!;
  let offset = HEADER_BYTES;
  for (let count = 0; extension !== ExtensionType.NONE; count++) {
    if (count === MAX_EXTENSIONS) throw new UtpPacketError(`more than ${MAX_EXTENSIONS} extensions`, offset);
    if (offset + 2 > bytes.length) throw new UtpPacketError('extension header runs past the end', offset);
    const next = bytes[offset]!;
    const length = bytes[offset + 1]!;
    const start = offset + 2;
    if (start + length > bytes.length) throw new UtpPacketError(`extension of ${length} bytes runs past the end`, offset);
    // Unknown extensions are skipped (BEP 29); an empty selective ACK carries nothing.
    if (extension === ExtensionType.SELECTIVE_ACK && length > 0) selectiveAck = bytes.subarray(start, start + length);
    extension = next;
    offset = start + length;
  }
  return {
    type: type as PacketTypeValue,
    connectionId: view.getUint16(2),
    timestampUs: view.getUint32(4),
    timestampDifferenceUs: view.getUint32(8),
    windowBytes: view.getUint32(12),
    seqNr: view.getUint16(16),
    ackNr: view.getUint16(18),
    selectiveAck,
    payload: bytes.subarray(offset),
  };
}
