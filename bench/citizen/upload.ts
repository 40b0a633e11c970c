// Not measured yet: returns nulls (see bench/citizen/index.ts for what it is to measure).
import type { CitizenBenchOptions } from './index.ts';

export interface UploadFigures {
  upload_MBps: number | null;
}

export async function uploadFigures(_options: CitizenBenchOptions): Promise<UploadFigures> {
  return { upload_MBps: null };
}
