// The swarm-citizen figures of `npm run bench` (issue "A full swarm citizen"): uploading through the
// gateway's inbound port, uTP against libtorrent's own, encryption's cost, and how fast a magnet link
// turns into metadata and a first piece. Each part is a module of its own; a failed figure is null.
// BENCH_ONLY=citizen runs only these (bench/run.ts). Units: MB = 10^6 bytes.
import { encryptedFigures, type EncryptedFigures } from './encrypted.ts';
import { magnetFigures, type MagnetFigures } from './magnet.ts';
import { uploadFigures, type UploadFigures } from './upload.ts';
import { utpFigures, type UtpFigures } from './utp.ts';

export interface CitizenBenchOptions {
  /** The bench's data file (made once, see bench/run.ts) and its directory. */
  seedDir: string;
  fileName: string;
  pieceLengthExp: number;
  runs: number;
  log(line: string): void;
}

export type CitizenFigures = UploadFigures & UtpFigures & EncryptedFigures & MagnetFigures;

/** BENCH_CITIZEN=upload,utp runs only those parts (faster iteration); unset runs them all. */
const CITIZEN_PARTS = process.env.BENCH_CITIZEN?.split(',');
const wanted = (part: 'upload' | 'utp' | 'encrypted' | 'magnet'): boolean => !CITIZEN_PARTS || CITIZEN_PARTS.includes(part);

export async function citizenFigures(options: CitizenBenchOptions): Promise<Partial<CitizenFigures>> {
  return {
    ...(wanted('upload') ? await uploadFigures(options) : {}),
    ...(wanted('utp') ? await utpFigures(options) : {}),
    ...(wanted('encrypted') ? await encryptedFigures(options) : {}),
    ...(wanted('magnet') ? await magnetFigures(options) : {}),
  };
}
