// The bridge protocol between a tab (engine) and the gateway. One binary message per frame:
//   type u8 | id u32 (big-endian) | payload
// Stream ids are chosen by the side that opens: the tab uses 1..0x7fffffff, the gateway
// (inbound peers) uses 0x80000000 and up, so the two never collide. Id 0 is the link itself.

/**
 * 2: HELLO names the client instead of carrying the token (the /signal upgrade is authorised).
 * 3: HTTP_GET carries its byte range as a field (it was a `#range=` URL fragment).
 * 4: ACCEPTED may carry an MSE/PE secret (an encrypted inbound peer the tab finishes).
 * 5: ACCEPTED says which transport brought the peer (TCP or uTP).
 */
export const BRIDGE_VERSION = 5;
export const LINK_ID = 0;
export const GATEWAY_ID_BASE = 0x80000000;

/**
 * The largest DATA payload either side sends in one frame. A data channel message of 64 KiB is
 * within what every peer accepts (SDP max-message-size: libdatachannel and Chromium 256 KiB,
 * the RFC 8841 default 64 KiB), and carries Node↔Node 1.4× what 16 KiB messages do (fewer
 * native sends per byte).
 */
export const MAX_DATA_PAYLOAD_WEBRTC = 64 * 1024 - 5;
export const MAX_DATA_PAYLOAD_WEBSOCKET = 256 * 1024;
/** Anything bigger than this is refused as a frame, whatever the link. */
export const MAX_FRAME_BYTES = 256 * 1024 + 1024;
/** Default receive window a side grants a stream when opening or accepting it. */
export const DEFAULT_STREAM_WINDOW = 4 * 1024 * 1024;
/** Bytes of the MSE/PE Diffie-Hellman secret S an ACCEPTED may carry. */
export const MSE_SECRET_BYTES = 96;

/** How an inbound peer reached the gateway (ACCEPTED's transport byte: its index here). */
export const ACCEPTED_TRANSPORTS = ['tcp', 'utp'] as const;
export type AcceptedTransport = (typeof ACCEPTED_TRANSPORTS)[number];

export const FrameType = {
  HELLO: 0, // link: version u8, client name utf8 (for logs; no secret: /signal was authorised)
  WELCOME: 1, // link: version u8, max data payload u32, inbound peer port u16 (0: none)
  TCP_OPEN: 2, // host, port u16, window u32
  UTP_OPEN: 3, // host, port u16, window u32
  OPENED: 4, // window u32 (the opened side's receive window)
  ERROR: 5, // code u16, message utf8 (on a stream id: it is closed; on id 0: the link)
  DATA: 6, // bytes
  CLOSE: 7, // reason utf8 (may be empty); half of nothing: a closed stream is gone
  CREDIT: 8, // bytes u32: the receiver will accept that many more
  UDP_BIND: 9, // (id names the socket)
  BOUND: 10, // port u16
  UDP_SEND: 11, // host, port u16, bytes
  UDP_RECV: 12, // host, port u16, bytes
  HTTP_GET: 13, // window u32, max body bytes u32, range flags u8, [start u64, [end u64]], url utf8;
  //   answered as a stream. Flags: RangeFlag.START (a range; start follows), RangeFlag.END (end
  //   follows too). The gateway sends it as `Range: bytes=START-END` (END inclusive, may be absent).
  HTTP_RESPONSE: 14, // status u16, content length f64 (-1 if unknown), window u32
  LISTEN: 15, // info-hash 20 bytes (id names the registration)
  UNLISTEN: 16, // (id of the LISTEN)
  ACCEPTED: 17, // id = new gateway stream id; listen id u32, window u32, host, port u16,
  //   transport u8 (0 TCP, 1 uTP: ACCEPTED_TRANSPORTS), [MSE secret 96 bytes]. The tab's receive window for an accepted stream starts at
  //   DEFAULT_STREAM_WINDOW. Plaintext peer: the gateway sends the peer's 68-byte handshake as
  //   the first DATA right after ACCEPTED. MSE/PE peer: the gateway answered Ya, found req1 and
  //   named the torrent by req2 xor req3; ACCEPTED carries S and the DATA that follows is
  //   the peer's bytes after that hash, still encrypted (its offer on): the tab derives the keys,
  //   finishes the receiver handshake and does all RC4. The gateway keeps neither S nor keys.
  PING: 18, // token bytes echoed in PONG
  PONG: 19,
} as const;
export type FrameTypeCode = (typeof FrameType)[keyof typeof FrameType];

export const ErrorCode = {
  BAD_FRAME: 1,
  UNAUTHORIZED: 2,
  VERSION: 3,
  REFUSED_ADDRESS: 4, // policy: private/loopback/port not allowed
  CONNECT_FAILED: 5,
  TIMEOUT: 6,
  LIMIT: 7, // too many streams, sockets, bytes
  CREDIT_OVERRUN: 8, // the sender ignored flow control
  HTTP_FAILED: 9,
  TOO_LARGE: 10,
  UNKNOWN_STREAM: 11,
  RESET: 12, // the remote socket reset or the link dropped
} as const;
export type ErrorCodeValue = (typeof ErrorCode)[keyof typeof ErrorCode];

/** Which parts of an HTTP_GET byte range follow the flags byte. */
export const RangeFlag = {
  START: 0x01,
  END: 0x02,
} as const;

/** Bytes start..end of a resource, both inclusive as in an HTTP Range header; no end: to its end. */
export interface ByteRange {
  start: number;
  end?: number;
}

export type Frame =
  | { type: typeof FrameType.HELLO; id: 0; version: number; client: string }
  | { type: typeof FrameType.WELCOME; id: 0; version: number; maxDataPayload: number; peerPort: number }
  | { type: typeof FrameType.TCP_OPEN | typeof FrameType.UTP_OPEN; id: number; host: string; port: number; window: number }
  | { type: typeof FrameType.OPENED; id: number; window: number }
  | { type: typeof FrameType.ERROR; id: number; code: number; message: string }
  | { type: typeof FrameType.DATA; id: number; bytes: Uint8Array }
  | { type: typeof FrameType.CLOSE; id: number; reason: string }
  | { type: typeof FrameType.CREDIT; id: number; bytes: number }
  | { type: typeof FrameType.UDP_BIND; id: number }
  | { type: typeof FrameType.BOUND; id: number; port: number }
  | { type: typeof FrameType.UDP_SEND | typeof FrameType.UDP_RECV; id: number; host: string; port: number; bytes: Uint8Array }
  | { type: typeof FrameType.HTTP_GET; id: number; window: number; maxBytes: number; url: string; range?: ByteRange }
  | { type: typeof FrameType.HTTP_RESPONSE; id: number; status: number; contentLength: number; window: number }
  | { type: typeof FrameType.LISTEN; id: number; infoHash: Uint8Array }
  | { type: typeof FrameType.UNLISTEN; id: number }
  | { type: typeof FrameType.ACCEPTED; id: number; listenId: number; window: number; host: string; port: number; transport: AcceptedTransport; mseSecret?: Uint8Array }
  | { type: typeof FrameType.PING | typeof FrameType.PONG; id: 0; bytes: Uint8Array };

export class FrameError extends Error {
  constructor(message: string, readonly offset: number) {
    super(`bridge frame: ${message} (at byte ${offset})`);
    this.name = 'FrameError';
  }
}

const HEADER_BYTES = 5;
const MAX_HOST_BYTES = 255;
const MAX_TEXT_BYTES = 8 * 1024;
const encoder = new TextEncoder();
// ignoreBOM keeps a leading U+FEFF as text: stripping it turned a host of only a BOM into ''.
const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

class FrameWriter {
  private readonly bytes: Uint8Array<ArrayBuffer>;
  private readonly view: DataView;
  private offset = 0;
  constructor(size: number) {
    this.bytes = new Uint8Array(size);
    this.view = new DataView(this.bytes.buffer);
  }
  u8(v: number): this { this.view.setUint8(this.offset, v); this.offset += 1; return this; }
  u16(v: number): this { this.view.setUint16(this.offset, v); this.offset += 2; return this; }
  u32(v: number): this { this.view.setUint32(this.offset, v); this.offset += 4; return this; }
  f64(v: number): this { this.view.setFloat64(this.offset, v); this.offset += 8; return this; }
  u64(v: number): this { return this.u32(Math.floor(v / 2 ** 32)).u32(v >>> 0); }
  raw(b: Uint8Array): this { this.bytes.set(b, this.offset); this.offset += b.length; return this; }
  done(): Uint8Array<ArrayBuffer> {
    return this.offset === this.bytes.length ? this.bytes : this.bytes.subarray(0, this.offset);
  }
}

function hostBytes(host: string): Uint8Array {
  const b = encoder.encode(host);
  if (b.length === 0 || b.length > MAX_HOST_BYTES) throw new FrameError(`host must be 1..${MAX_HOST_BYTES} bytes`, 0);
  return b;
}

function checkOffset(what: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) throw new FrameError(`bad range ${what} ${value}`, 0);
}

/** The range part of HTTP_GET: flags, then the offsets the flags name. */
function rangeBytes(range: ByteRange | undefined): { flags: number; size: number } {
  if (!range) return { flags: 0, size: 1 };
  checkOffset('start', range.start);
  if (range.end === undefined) return { flags: RangeFlag.START, size: 9 };
  checkOffset('end', range.end);
  return { flags: RangeFlag.START | RangeFlag.END, size: 17 };
}

function checkPort(port: number): void {
  if (!Number.isInteger(port) || port < 0 || port > 0xffff) throw new FrameError(`bad port ${port}`, 0);
}

/** Encodes one frame. The result owns its own ArrayBuffer (safe to transfer). */
export function encodeFrame(frame: Frame): Uint8Array<ArrayBuffer> {
  const head = (extra: number) => new FrameWriter(HEADER_BYTES + extra).u8(frame.type).u32(frame.id >>> 0);
  switch (frame.type) {
    case FrameType.HELLO: {
      const t = encoder.encode(frame.client);
      return head(1 + t.length).u8(frame.version).raw(t).done();
    }
    case FrameType.WELCOME:
      return head(7).u8(frame.version).u32(frame.maxDataPayload).u16(frame.peerPort).done();
    case FrameType.TCP_OPEN:
    case FrameType.UTP_OPEN: {
      checkPort(frame.port);
      const h = hostBytes(frame.host);
      return head(1 + h.length + 6).u8(h.length).raw(h).u16(frame.port).u32(frame.window).done();
    }
    case FrameType.OPENED:
      return head(4).u32(frame.window).done();
    case FrameType.ERROR: {
      const m = encoder.encode(frame.message.slice(0, MAX_TEXT_BYTES / 4));
      return head(2 + m.length).u16(frame.code).raw(m).done();
    }
    case FrameType.DATA:
      return head(frame.bytes.length).raw(frame.bytes).done();
    case FrameType.CLOSE: {
      const r = encoder.encode(frame.reason.slice(0, MAX_TEXT_BYTES / 4));
      return head(r.length).raw(r).done();
    }
    case FrameType.CREDIT:
      return head(4).u32(frame.bytes).done();
    case FrameType.UDP_BIND:
    case FrameType.UNLISTEN:
      return head(0).done();
    case FrameType.BOUND:
      checkPort(frame.port);
      return head(2).u16(frame.port).done();
    case FrameType.UDP_SEND:
    case FrameType.UDP_RECV: {
      checkPort(frame.port);
      const h = hostBytes(frame.host);
      return head(1 + h.length + 2 + frame.bytes.length).u8(h.length).raw(h).u16(frame.port).raw(frame.bytes).done();
    }
    case FrameType.HTTP_GET: {
      const u = encoder.encode(frame.url);
      if (u.length > MAX_TEXT_BYTES) throw new FrameError('url too long', 0);
      const { flags, size } = rangeBytes(frame.range);
      const w = head(8 + size + u.length).u32(frame.window).u32(frame.maxBytes).u8(flags);
      if (frame.range) w.u64(frame.range.start);
      if (frame.range?.end !== undefined) w.u64(frame.range.end);
      return w.raw(u).done();
    }
    case FrameType.HTTP_RESPONSE:
      return head(14).u16(frame.status).f64(frame.contentLength).u32(frame.window).done();
    case FrameType.LISTEN:
      if (frame.infoHash.length !== 20) throw new FrameError('info-hash must be 20 bytes', 0);
      return head(20).raw(frame.infoHash).done();
    case FrameType.ACCEPTED: {
      checkPort(frame.port);
      const h = hostBytes(frame.host);
      const secret = frame.mseSecret ?? new Uint8Array(0);
      if (frame.mseSecret && secret.length !== MSE_SECRET_BYTES) throw new FrameError(`MSE secret must be ${MSE_SECRET_BYTES} bytes`, 0);
      const transport = ACCEPTED_TRANSPORTS.indexOf(frame.transport);
      if (transport < 0) throw new FrameError(`unknown transport ${String(frame.transport)}`, 0);
      return head(8 + 1 + h.length + 2 + 1 + secret.length)
        .u32(frame.listenId).u32(frame.window).u8(h.length).raw(h).u16(frame.port).u8(transport).raw(secret).done();
    }
    case FrameType.PING:
    case FrameType.PONG:
      return head(frame.bytes.length).raw(frame.bytes).done();
  }
}

class FrameReader {
  private readonly view: DataView;
  offset = HEADER_BYTES;
  constructor(private readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  get length(): number { return this.bytes.length; }
  need(n: number): void {
    if (this.offset + n > this.bytes.length) throw new FrameError(`truncated, needed ${n} more bytes`, this.offset);
  }
  u8(): number { this.need(1); return this.view.getUint8(this.offset++); }
  u16(): number { this.need(2); const v = this.view.getUint16(this.offset); this.offset += 2; return v; }
  u32(): number { this.need(4); const v = this.view.getUint32(this.offset); this.offset += 4; return v; }
  f64(): number { this.need(8); const v = this.view.getFloat64(this.offset); this.offset += 8; return v; }
  /** A u64 that must fit a JavaScript number exactly (below 2^53). */
  u64(): number {
    const at = this.offset;
    const high = this.u32();
    const low = this.u32();
    if (high > 0x1fffff) throw new FrameError('u64 above 2^53', at);
    return high * 2 ** 32 + low;
  }
  take(n: number): Uint8Array { this.need(n); const b = this.bytes.subarray(this.offset, this.offset + n); this.offset += n; return b; }
  rest(): Uint8Array { const b = this.bytes.subarray(this.offset); this.offset = this.bytes.length; return b; }
  text(max: number): string {
    const b = this.rest();
    if (b.length > max) throw new FrameError(`text longer than ${max} bytes`, this.offset);
    try { return decoder.decode(b); } catch { throw new FrameError('text is not UTF-8', this.offset); }
  }
  host(): string {
    const n = this.u8();
    if (n === 0) throw new FrameError('empty host', this.offset);
    try { return decoder.decode(this.take(n)); } catch { throw new FrameError('host is not UTF-8', this.offset); }
  }
  end(): void {
    if (this.offset !== this.bytes.length) throw new FrameError('trailing bytes', this.offset);
  }
}

/**
 * Decodes one frame. DATA, UDP and PING payloads are views into `bytes` (no copy): copy them
 * if the buffer is reused. Throws FrameError on anything malformed.
 */
export function decodeFrame(bytes: Uint8Array): Frame {
  if (bytes.length < HEADER_BYTES) throw new FrameError('shorter than the 5-byte header', 0);
  if (bytes.length > MAX_FRAME_BYTES) throw new FrameError(`frame of ${bytes.length} bytes exceeds ${MAX_FRAME_BYTES}`, 0);
  const r = new FrameReader(bytes);
  const type = bytes[0]!;
  const id = new DataView(bytes.buffer, bytes.byteOffset + 1, 4).getUint32(0);
  const frame = decodeBody(type, id, r);
  r.end();
  return frame;
}

function decodeBody(type: number, id: number, r: FrameReader): Frame {
  switch (type) {
    case FrameType.HELLO: {
      const version = r.u8();
      return { type, id: 0, version, client: r.text(1024) };
    }
    case FrameType.WELCOME:
      return { type, id: 0, version: r.u8(), maxDataPayload: r.u32(), peerPort: r.u16() };
    case FrameType.TCP_OPEN:
    case FrameType.UTP_OPEN: {
      const host = r.host();
      return { type, id, host, port: r.u16(), window: r.u32() };
    }
    case FrameType.OPENED:
      return { type, id, window: r.u32() };
    case FrameType.ERROR: {
      const code = r.u16();
      return { type, id, code, message: r.text(MAX_TEXT_BYTES) };
    }
    case FrameType.DATA:
      return { type, id, bytes: r.rest() };
    case FrameType.CLOSE:
      return { type, id, reason: r.text(MAX_TEXT_BYTES) };
    case FrameType.CREDIT:
      return { type, id, bytes: r.u32() };
    case FrameType.UDP_BIND:
    case FrameType.UNLISTEN:
      return { type, id };
    case FrameType.BOUND:
      return { type, id, port: r.u16() };
    case FrameType.UDP_SEND:
    case FrameType.UDP_RECV: {
      const host = r.host();
      const port = r.u16();
      return { type, id, host, port, bytes: r.rest() };
    }
    case FrameType.HTTP_GET: {
      const window = r.u32();
      const maxBytes = r.u32();
      const range = readRange(r);
      const url = r.text(MAX_TEXT_BYTES);
      return range ? { type, id, window, maxBytes, url, range } : { type, id, window, maxBytes, url };
    }
    case FrameType.HTTP_RESPONSE:
      return { type, id, status: r.u16(), contentLength: r.f64(), window: r.u32() };
    case FrameType.LISTEN:
      return { type, id, infoHash: r.take(20) };
    case FrameType.ACCEPTED: {
      const listenId = r.u32();
      const window = r.u32();
      const host = r.host();
      const port = r.u16();
      const at = r.offset;
      const transport = ACCEPTED_TRANSPORTS[r.u8()];
      if (!transport) throw new FrameError('unknown transport', at);
      if (r.offset === r.length) return { type, id, listenId, window, host, port, transport };
      return { type, id, listenId, window, host, port, transport, mseSecret: r.take(MSE_SECRET_BYTES) };
    }
    case FrameType.PING:
    case FrameType.PONG:
      return { type, id: 0, bytes: r.rest() };
    default:
      throw new FrameError(`unknown frame type ${type}`, 0);
  }
}

function readRange(r: FrameReader): ByteRange | undefined {
  const at = r.offset;
  const flags = r.u8();
  if (flags === 0) return undefined;
  if (flags !== RangeFlag.START && flags !== (RangeFlag.START | RangeFlag.END)) throw new FrameError(`bad range flags ${flags}`, at);
  const start = r.u64();
  return flags & RangeFlag.END ? { start, end: r.u64() } : { start };
}
