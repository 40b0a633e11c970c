// Self-test of setRateLimits: a libtorrent seeder started slow holds a leecher back on loopback, and
// lifting its limit on the fly (a JSON command on its stdin) lets the download finish at once.
import { expect, it } from 'vitest';
import { join } from 'node:path';
import { expectedSha256, sha256File, writeDataFiles } from './data-files.ts';
import { startLibtorrentLeecher, startLibtorrentSeeder } from './libtorrent.ts';
import { makeTorrent } from './make-torrent.ts';
import { makeTempDir } from './temp.ts';

const SEED = 'limits-self-test';
const SIZE = 4 * 2 ** 20;
const SLOW_BYTES_PER_SEC = 100_000; // 4 MiB would take ~42 s

it('a seeder\'s upload limit changes while it runs', async () => {
  const dir = await makeTempDir('limits');
  await writeDataFiles(join(dir, 'seed'), [{ path: 'file.bin', size: SIZE }], SEED);
  const torrent = await makeTorrent({ sourcePath: join(dir, 'seed', 'file.bin'), outFile: join(dir, 'file.torrent'), pieceLengthExp: 16 });
  const seeder = await startLibtorrentSeeder({ torrentPath: torrent.torrentPath, dataDir: join(dir, 'seed'), tcpOnly: true, uploadLimitBytesPerSec: SLOW_BYTES_PER_SEC, statusIntervalMs: 200 });
  const leecher = await startLibtorrentLeecher({
    torrentPath: torrent.torrentPath, dataDir: join(dir, 'leech'), tcpOnly: true, connectTo: [`127.0.0.1:${seeder.port}`], statusIntervalMs: 200,
  });
  await new Promise((resolve) => setTimeout(resolve, 3_000));
  const slowDone = leecher.stats()?.total_done ?? 0;
  expect(slowDone).toBeLessThan(SIZE / 4);

  const startedAt = Date.now();
  expect(await seeder.setRateLimits({ uploadBytesPerSec: 0 })).toEqual({ uploadBytesPerSec: 0, downloadBytesPerSec: 0 });
  await leecher.waitForEvent('finished', 20_000);
  expect(Date.now() - startedAt).toBeLessThan(10_000);
  expect(await sha256File(join(dir, 'leech', 'file.bin'))).toBe(expectedSha256(SEED, 'file.bin', SIZE));
  // And back down: a later command is answered by its own id.
  expect(await seeder.setRateLimits({ uploadBytesPerSec: 50_000 })).toEqual({ uploadBytesPerSec: 50_000, downloadBytesPerSec: 0 });
  await leecher.stop();
  await seeder.stop();
});
