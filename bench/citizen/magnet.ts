// Not measured yet: returns nulls (see bench/citizen/index.ts for what it is to measure).
import type { CitizenBenchOptions } from './index.ts';

export interface MagnetFigures {
  magnet_to_metadata_ms: number | null;
  magnet_to_first_piece_ms: number | null;
}

export async function magnetFigures(_options: CitizenBenchOptions): Promise<MagnetFigures> {
  return { magnet_to_metadata_ms: null, magnet_to_first_piece_ms: null };
}
