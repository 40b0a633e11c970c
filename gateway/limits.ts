// Gateway-wide caps and counters, shared by all sessions.
import { GATEWAY_ID_BASE } from '../shared/bridge/frames.ts';

export const MAX_STREAMS_PER_SESSION = 200;
export const MAX_STREAMS_TOTAL = 4000;
export const MAX_LISTENS_PER_SESSION = 1000;
/** Time a tab has to say HELLO after connecting (includes ICE for a WebRTC link). */
export const HELLO_TIMEOUT_MS = 30_000;

export class StreamCounter {
  open = 0;
  constructor(readonly max = MAX_STREAMS_TOTAL) {}
}

/** Why a stream cannot be opened under `id`, or null if it can. Tab ids are 1..0x7fffffff. */
export function openRefusal(id: number, inUse: boolean, sessionStreams: number, counter: StreamCounter): string | null {
  if (id === 0 || id >= GATEWAY_ID_BASE) return `stream id ${id} is not a tab id (1..${GATEWAY_ID_BASE - 1})`;
  if (inUse) return `stream id ${id} is already in use`;
  if (sessionStreams >= MAX_STREAMS_PER_SESSION) return `too many streams: this tab has ${sessionStreams} open (limit ${MAX_STREAMS_PER_SESSION})`;
  if (counter.open >= counter.max) return `too many streams on this gateway (limit ${counter.max})`;
  return null;
}
