// Options common to the helpers that drive full BitTorrent clients (qbittorrent.ts, transmission.ts),
// so one interop test body can run against either.

/** Which transports the client accepts and dials. */
export type ClientTransport = 'tcp' | 'utp' | 'both';

/** The client's MSE/PE policy, for both directions. */
export type ClientEncryption = 'prefer' | 'require' | 'disable';

export interface ClientOptions {
  /** Default 'both'. */
  transport?: ClientTransport;
  /** Default 'prefer'. */
  encryption?: ClientEncryption;
}

/** One torrent as the client reports it, in the helpers' common terms. */
export interface ClientTorrentStatus {
  /** 0..1 of the wanted bytes. */
  progress: number;
  /** The client's own state name (qBittorrent: 'stalledUP', …; Transmission: 'seeding', …). */
  state: string;
  /** Bytes uploaded and downloaded in this session. */
  uploadedBytes: number;
  downloadedBytes: number;
}

/** A connected peer as the client sees it. */
export interface ClientPeer {
  ip: string;
  port: number;
  transport: 'tcp' | 'utp';
  encrypted: boolean;
  client: string;
}

/** Polls `check` every intervalMs until it returns a value; rejects with describe()'s text on timeout. */
export async function pollUntil<T>(
  check: () => Promise<T | undefined>, timeoutMs: number, describe: () => Promise<string>, intervalMs = 200,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms: ${await describe()}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
