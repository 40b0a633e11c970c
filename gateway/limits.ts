// Gateway-wide caps and the share of them each tab may use, so that no tab can take them all:
// a tab's share of the stream cap and of the datagram rate is the total divided by the tabs
// connected plus one (room is always left for the next tab), never more than the per-tab maximum.
import { ErrorCode, GATEWAY_ID_BASE, type ErrorCodeValue } from '../shared/bridge/frames.ts';
import { TokenBucket } from './utp/token-bucket.ts';

export const MAX_STREAMS_PER_SESSION = 200;
export const MAX_STREAMS_TOTAL = 4000;
export const MAX_LISTENS_PER_SESSION = 1000;
/** Datagrams a tab may send per second at most, and the whole gateway. */
export const MAX_DATAGRAMS_PER_SESSION_PER_SECOND = 500;
export const MAX_DATAGRAMS_TOTAL_PER_SECOND = 8000;
/**
 * New streams (TCP, uTP, HTTP) a tab may open per second, and in a burst: a busy swarm dials a
 * dozen peers at a time per torrent; a port scan needs thousands per second.
 */
export const STREAM_OPENS_PER_SECOND = 20;
export const STREAM_OPENS_BURST = 60;
/** Time a tab has to say HELLO after connecting (includes ICE for a WebRTC link). */
export const HELLO_TIMEOUT_MS = 30_000;

/** Counts shared by every session of one gateway. */
export class GatewayShares {
  openStreams = 0;
  sessions = 0;

  constructor(
    readonly maxStreams = MAX_STREAMS_TOTAL,
    readonly maxDatagramsPerSecond = MAX_DATAGRAMS_TOTAL_PER_SECOND,
  ) {}

  /** The most streams one tab may hold now. */
  streamShare(): number {
    return Math.min(MAX_STREAMS_PER_SESSION, Math.floor(this.maxStreams / (this.sessions + 1)));
  }

  /** The datagrams one tab may send per second now. */
  datagramShare(): number {
    return Math.min(MAX_DATAGRAMS_PER_SESSION_PER_SECOND, Math.floor(this.maxDatagramsPerSecond / (this.sessions + 1)));
  }
}

export interface Refusal {
  code: ErrorCodeValue;
  message: string;
}

/** Why a stream cannot be opened under `id`, or null if it can. Tab ids are 1..0x7fffffff. */
export function openRefusal(id: number, inUse: boolean, sessionStreams: number, shares: GatewayShares): Refusal | null {
  if (id === 0 || id >= GATEWAY_ID_BASE) return { code: ErrorCode.BAD_FRAME, message: `stream id ${id} is not a tab id (1..${GATEWAY_ID_BASE - 1})` };
  if (inUse) return { code: ErrorCode.BAD_FRAME, message: `stream id ${id} is already in use` };
  return streamLimitRefusal(sessionStreams, shares);
}

/** A refusal when this tab holds its share of streams or the gateway is full. */
export function streamLimitRefusal(sessionStreams: number, shares: GatewayShares): Refusal | null {
  const share = shares.streamShare();
  if (sessionStreams >= share) return { code: ErrorCode.LIMIT, message: `too many streams: this tab has ${sessionStreams} open (its share now: ${share})` };
  if (shares.openStreams >= shares.maxStreams) return { code: ErrorCode.LIMIT, message: `too many streams on this gateway (limit ${shares.maxStreams})` };
  return null;
}

/** A tab's budget of stream opens (see STREAM_OPENS_PER_SECOND). */
export function openRateLimiter(): TokenBucket {
  return new TokenBucket(STREAM_OPENS_PER_SECOND, STREAM_OPENS_BURST);
}
