// Self-tests of the real test peers: each pairing downloads a small torrent through the tracker on
// 127.0.0.1 and compares the bytes. If one of these fails, interop failures elsewhere are not ours.
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { aria2Download, startAria2Seeder } from './aria2.ts';
import { corruptFile, expectedSha256, sha256File, writeDataFiles } from './data-files.ts';
import { startLibtorrentLeecher, startLibtorrentSeeder } from './libtorrent.ts';
import { makeTorrent, type MadeTorrent } from './make-torrent.ts';
import { getFreePort } from './ports.ts';
import { makeTempDir } from './temp.ts';
import { startTracker, type TestTracker } from './tracker.ts';

const SEED = 'peers-self-test';
const FILES = [
  { path: 'a.bin', size: 3 * 1024 * 1024 + 5 },
  { path: 'empty.bin', size: 0 },
  { path: 'sub/b.bin', size: 70_000 },
];

async function fixture(trackerUrls: string[]): Promise<{ dir: string; seedDir: string; torrent: MadeTorrent }> {
  const dir = await makeTempDir('peers');
  const seedDir = join(dir, 'seed');
  await writeDataFiles(join(seedDir, 'content'), FILES, SEED);
  const torrent = await makeTorrent({ sourcePath: join(seedDir, 'content'), outFile: join(dir, 'content.torrent'), pieceLengthExp: 16, trackers: trackerUrls });
  return { dir, seedDir, torrent };
}

async function expectSameContent(downloadDir: string): Promise<void> {
  for (const file of FILES) {
    expect(await sha256File(join(downloadDir, 'content', ...file.path.split('/')))).toBe(expectedSha256(SEED, file.path, file.size));
  }
}

async function withTracker(body: (tracker: TestTracker) => Promise<void>): Promise<void> {
  const tracker = await startTracker();
  try {
    await body(tracker);
  } finally {
    await tracker.close();
  }
}

describe('test peers on 127.0.0.1', () => {
  it('libtorrent seeder → libtorrent leecher via the UDP tracker', () =>
    withTracker(async (tracker) => {
      const { dir, seedDir, torrent } = await fixture([tracker.udpAnnounceUrl]);
      const seeder = await startLibtorrentSeeder({ torrentPath: torrent.torrentPath, dataDir: seedDir });
      const leecher = await startLibtorrentLeecher({ torrentPath: torrent.torrentPath, dataDir: join(dir, 'leech') });
      await leecher.waitForEvent('finished', 30_000);
      await expectSameContent(join(dir, 'leech'));
      expect(tracker.peersOf(torrent.infoHash).map((p) => p.port).sort()).toEqual([seeder.port, leecher.port].sort());
      await leecher.stop();
      await seeder.stop();
    }));

  it('libtorrent seeder → libtorrent leecher over uTP only', () =>
    withTracker(async (tracker) => {
      const { dir, seedDir, torrent } = await fixture([tracker.httpAnnounceUrl]);
      const seeder = await startLibtorrentSeeder({ torrentPath: torrent.torrentPath, dataDir: seedDir, utpOnly: true });
      const leecher = await startLibtorrentLeecher({ torrentPath: torrent.torrentPath, dataDir: join(dir, 'leech'), utpOnly: true });
      await leecher.waitForEvent('finished', 45_000);
      await expectSameContent(join(dir, 'leech'));
      await leecher.stop();
      await seeder.stop();
    }));

  it('libtorrent seeder → aria2c download via the HTTP tracker', () =>
    withTracker(async (tracker) => {
      const { dir, seedDir, torrent } = await fixture([tracker.httpAnnounceUrl]);
      const seeder = await startLibtorrentSeeder({ torrentPath: torrent.torrentPath, dataDir: seedDir });
      const result = await aria2Download({ torrentPath: torrent.torrentPath, outDir: join(dir, 'aria2'), timeoutMs: 30_000 });
      expect(result.bytes).toBe(torrent.totalLength);
      await expectSameContent(join(dir, 'aria2'));
      expect(seeder.stats()?.is_seeding).toBe(true);
      await seeder.stop();
    }));

  it('aria2c seeder → libtorrent leecher via the HTTP tracker', () =>
    withTracker(async (tracker) => {
      const { dir, seedDir, torrent } = await fixture([tracker.httpAnnounceUrl]);
      const seeder = await startAria2Seeder({ torrentPath: torrent.torrentPath, dataDir: seedDir, port: await getFreePort() });
      // tcpOnly: libtorrent dials uTP first and falls back to TCP only after ~5 s; aria2 has no uTP.
      const leecher = await startLibtorrentLeecher({ torrentPath: torrent.torrentPath, dataDir: join(dir, 'leech'), tcpOnly: true });
      await leecher.waitForEvent('finished', 30_000);
      await expectSameContent(join(dir, 'leech'));
      await leecher.stop();
      await seeder.stop();
    }));

  it('a lying libtorrent seeder serves altered bytes that fail the hash check', () =>
    withTracker(async (tracker) => {
      const { dir, seedDir, torrent } = await fixture([tracker.httpAnnounceUrl]);
      await corruptFile(join(seedDir, 'content', 'a.bin'), [100]); // piece 0
      const liar = await startLibtorrentSeeder({ torrentPath: torrent.torrentPath, dataDir: seedDir, lie: true });
      const leecher = await startLibtorrentLeecher({ torrentPath: torrent.torrentPath, dataDir: join(dir, 'leech') });
      const failed = await leecher.waitForEvent('hash_failed', 30_000);
      expect(failed.piece).toBe(0);
      await leecher.stop();
      await liar.stop();
    }));
});
