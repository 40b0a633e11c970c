// The clocks of one HTTP_GET, so a server cannot hold a relay open forever (issue 6: a body that
// trickles one byte every few seconds). Three deadlines, each ending the stream with TIMEOUT:
//  - response: the final response's headers (after redirects) within HTTP_RESPONSE_TIMEOUT_MS;
//  - idle: while we are reading the body, no byte for idleMs ends it. A pause we cause (the tab's
//    credit spent, the link congested: OutboundPump pauses the response) is not the server's
//    silence, so the idle clock stops while the body is paused and starts afresh on resume;
//  - total: the whole request, pauses included, within totalMs. This bounds what idle cannot: a
//    server sending a byte just inside the idle limit, and a tab that never grants credit.
import type { PausableSource } from './outbound-pump.ts';

/** Until the final response's headers (redirects included). */
export const HTTP_RESPONSE_TIMEOUT_MS = 15_000;
/** Body silence while we read. Trackers answer at once; a webseed that stalls this long is dead. */
export const HTTP_IDLE_TIMEOUT_MS = 30_000;
/** A whole request. 4× the longest the tab itself waits for one (30 s, webseed pieces). */
export const HTTP_TOTAL_TIMEOUT_MS = 120_000;

export interface HttpTimeouts {
  responseMs: number;
  idleMs: number;
  totalMs: number;
}

export const DEFAULT_HTTP_TIMEOUTS: HttpTimeouts = {
  responseMs: HTTP_RESPONSE_TIMEOUT_MS,
  idleMs: HTTP_IDLE_TIMEOUT_MS,
  totalMs: HTTP_TOTAL_TIMEOUT_MS,
};

interface BodySource extends PausableSource {
  on(event: 'data' | 'end', listener: () => void): unknown;
}

const seconds = (ms: number) => `${Math.round(ms / 100) / 10} s`;

export class HttpDeadlines {
  private readonly total: NodeJS.Timeout;
  private response: NodeJS.Timeout | null;
  private idle: NodeJS.Timeout | null = null;
  private stopped = false;

  /** Starts the response and total clocks; `onTimeout` runs at most once. */
  constructor(private readonly timeouts: HttpTimeouts, private readonly onTimeout: (message: string) => void) {
    this.total = setTimeout(() => this.expire(`HTTP request took longer than ${seconds(timeouts.totalMs)} in all`), timeouts.totalMs);
    this.response = setTimeout(() => this.expire(`HTTP request timed out after ${seconds(timeouts.responseMs)}`), timeouts.responseMs);
  }

  /**
   * The body starts: stops the response clock, runs the idle clock while `body` flows. Returns
   * the source to hand OutboundPump, whose pause and resume stop and restart the idle clock.
   */
  watch(body: BodySource): PausableSource {
    this.clearResponse();
    body.on('data', () => this.idle?.refresh());
    body.on('end', () => this.clearIdle()); // the server is done; what is left waits on the tab
    this.startIdle();
    return {
      pause: () => {
        this.clearIdle();
        return body.pause();
      },
      resume: () => {
        this.startIdle();
        return body.resume();
      },
      isPaused: () => body.isPaused(),
    };
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.total);
    this.clearResponse();
    this.clearIdle();
  }

  private startIdle(): void {
    if (this.stopped) return;
    this.clearIdle();
    this.idle = setTimeout(() => this.expire(`HTTP server sent nothing for ${seconds(this.timeouts.idleMs)}`), this.timeouts.idleMs);
  }

  private clearIdle(): void {
    if (this.idle) clearTimeout(this.idle);
    this.idle = null;
  }

  private clearResponse(): void {
    if (this.response) clearTimeout(this.response);
    this.response = null;
  }

  private expire(message: string): void {
    if (this.stopped) return;
    this.stop();
    this.onTimeout(message);
  }
}
