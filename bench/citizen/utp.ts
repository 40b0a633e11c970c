// Not measured yet: returns nulls (see bench/citizen/index.ts for what it is to measure).
import type { CitizenBenchOptions } from './index.ts';

export interface UtpFigures {
  utp_MBps: number | null;
  libtorrent_utp_MBps: number | null;
}

export async function utpFigures(_options: CitizenBenchOptions): Promise<UtpFigures> {
  return { utp_MBps: null, libtorrent_utp_MBps: null };
}
