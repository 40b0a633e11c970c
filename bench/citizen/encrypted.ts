// Not measured yet: returns nulls (see bench/citizen/index.ts for what it is to measure).
import type { CitizenBenchOptions } from './index.ts';

export interface EncryptedFigures {
  encrypted_MBps: number | null;
}

export async function encryptedFigures(_options: CitizenBenchOptions): Promise<EncryptedFigures> {
  return { encrypted_MBps: null };
}
