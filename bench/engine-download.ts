// Downloads a torrent with our engine (in a child process, through a gateway process) and reports the
// time and peak memory. Written by the lead; this stub lets bench/run.ts run and report null.

export interface EngineDownloadOptions {
  torrentPath: string;
  /** HTTP announce URL of the bench tracker on 127.0.0.1. */
  trackerUrl: string;
  /** The libtorrent seeder's port on 127.0.0.1 (to dial directly if wanted). */
  seederPort: number;
}

export interface EngineDownloadResult {
  seconds: number;
  bytes: number;
  /** Peak RSS of the engine process, MB (10^6 bytes). */
  engineRssMB: number;
  /** Peak RSS of the gateway process, MB (10^6 bytes). */
  gatewayRssMB: number;
}

export async function downloadWithEngine(_options: EngineDownloadOptions): Promise<EngineDownloadResult> {
  throw new Error('downloadWithEngine: not implemented');
}
