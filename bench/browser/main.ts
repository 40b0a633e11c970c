// The browser figures alone: `bash scripts/in-netns.sh node --import tsx bench/browser/main.ts`
// (BENCH_MB, BENCH_RUNS as for npm run bench). Reuses the bench data file under /tmp/tabtorrent-bench.
// The last line printed is one JSON object.
import { existsSync } from 'node:fs';
import { mkdir, rename, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { writeDataFile } from '../../test/helpers/data-files.ts';
import { stopAllProcesses } from '../../test/helpers/proc.ts';
import { removeTempDirs } from '../../test/helpers/temp.ts';
import { streamTargetLines } from '../targets.ts';
import { browserFigures } from './index.ts';

const TORRENT_MIB = Number(process.env.BENCH_MB ?? 256);
const RUNS = Math.max(1, Number(process.env.BENCH_RUNS ?? 1));
const SEED_DIR = '/tmp/tabtorrent-bench/seed';

async function main(): Promise<void> {
  const fileName = `bench-${TORRENT_MIB}MiB.bin`;
  const path = join(SEED_DIR, fileName);
  const bytes = TORRENT_MIB * 2 ** 20;
  if (!existsSync(path) || (await stat(path)).size !== bytes) {
    await mkdir(SEED_DIR, { recursive: true });
    await writeDataFile(`${path}.partial`, bytes, 'tabtorrent-bench', fileName);
    await rename(`${path}.partial`, path);
  }
  const log = (line: string) => process.stdout.write(`${line}\n`);
  const figures = await browserFigures({ seedDir: SEED_DIR, fileName, torrentMiB: TORRENT_MIB, pieceLengthExp: 18, runs: RUNS, log });
  for (const line of streamTargetLines(figures)) log(line);
  log(JSON.stringify(figures));
}

try {
  await main();
} finally {
  await stopAllProcesses();
  await removeTempDirs();
}
