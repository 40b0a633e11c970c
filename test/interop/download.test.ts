// Interop: the engine in Node downloads through a real gateway process from real, independent
// BitTorrent clients (libtorrent, aria2) found through a real HTTP tracker, all on 127.0.0.1.
import { describe, expect, it } from 'vitest';
import { cp, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { useInteropBed } from '../support/interop-bed.ts';
import { makeTempDir } from '../helpers/temp.ts';
import { corruptFile, sha256File, writeDataFiles, type DataFileSpec } from '../helpers/data-files.ts';
import { makeTorrent, type MadeTorrent } from '../helpers/make-torrent.ts';
import { startLibtorrentSeeder } from '../helpers/libtorrent.ts';
import { startAria2Seeder } from '../helpers/aria2.ts';
import { getFreePort } from '../helpers/ports.ts';
import { parseTorrent, startEngine, storedFileHashes, waitForComplete } from '../support/engine-harness.ts';

const PIECE_EXP = 15; // 32 KiB pieces: many pieces in a few MiB, so picking and pipelining matter

const bed = useInteropBed();

interface Fixture {
  torrent: MadeTorrent;
  dataDir: string;
  originals: Map<string, string>; // torrent path → SHA-256
}

async function makeFixture(name: string, files: DataFileSpec[], single: boolean, trackers = [bed.tracker.httpAnnounceUrl]): Promise<Fixture> {
  const dataDir = await makeTempDir(`seed-${name}`);
  await writeDataFiles(dataDir, files, name);
  const source = single ? join(dataDir, files[0]!.path) : join(dataDir, name);
  const torrent = await makeTorrent({
    sourcePath: source, outFile: join(await makeTempDir('torrent'), `${name}.torrent`),
    pieceLengthExp: PIECE_EXP, trackers,
  });
  const originals = new Map<string, string>();
  for (const file of files) originals.set(file.path, await sha256File(join(dataDir, file.path)));
  return { torrent, dataDir, originals };
}

async function downloadAndCheck(fixture: Fixture, link: 'webrtc' | 'websocket' = 'webrtc'): Promise<string[]> {
  const harness = await startEngine({ gatewayUrl: bed.gateway.url, token: bed.gateway.token, link });
  try {
    const meta = parseTorrent(fixture.torrent.bytes);
    const hex = await harness.engine.addTorrentFile(fixture.torrent.bytes);
    await waitForComplete(harness.engine, hex, 50_000);
    const downloaded = await storedFileHashes(meta, harness.store);
    expect(downloaded).toEqual(fixture.originals);
    return harness.warnings;
  } finally {
    await harness.close();
  }
}

const multiFiles = (name: string): DataFileSpec[] => [
  { path: `${name}/a.bin`, size: 100_000 },
  { path: `${name}/empty.txt`, size: 0 },
  { path: `${name}/sub/spans-pieces.bin`, size: 3 * 32768 + 5000 },
  { path: `${name}/z.bin`, size: 50_001 },
];

describe('engine in Node ← gateway ← real peers', () => {
  it('downloads a single-file torrent from a libtorrent seeder found through an HTTP tracker', async () => {
    const fixture = await makeFixture('single', [{ path: 'single.bin', size: 3 * 1024 * 1024 + 1234 }], true);
    const seeder = await startLibtorrentSeeder({ torrentPath: fixture.torrent.torrentPath, dataDir: fixture.dataDir });
    try {
      await downloadAndCheck(fixture);
    } finally {
      await seeder.stop();
    }
  });

  it('downloads a multi-file torrent (empty file, file spanning pieces) from libtorrent', async () => {
    const fixture = await makeFixture('multi', multiFiles('multi'), false);
    const seeder = await startLibtorrentSeeder({ torrentPath: fixture.torrent.torrentPath, dataDir: fixture.dataDir });
    try {
      await downloadAndCheck(fixture);
    } finally {
      await seeder.stop();
    }
  });

  it('finds a libtorrent seeder through a UDP tracker (BEP 15) only', async () => {
    const fixture = await makeFixture('udponly', [{ path: 'udponly.bin', size: 1024 * 1024 + 3 }], true, [bed.tracker.udpAnnounceUrl]);
    const seeder = await startLibtorrentSeeder({ torrentPath: fixture.torrent.torrentPath, dataDir: fixture.dataDir, tcpOnly: true });
    try {
      for (let i = 0; i < 100 && bed.tracker.peersOf(fixture.torrent.infoHash).length === 0; i++) await new Promise((r) => setTimeout(r, 100));
      await downloadAndCheck(fixture);
      expect(bed.tracker.announceCount().udp).toBeGreaterThan(1);
    } finally {
      await seeder.stop();
    }
  });

  it('downloads single- and multi-file torrents from an aria2c seeder', async () => {
    for (const [name, files, single] of [['ariasingle', [{ path: 'ariasingle.bin', size: 2 * 1024 * 1024 + 77 }], true], ['ariamulti', multiFiles('ariamulti'), false]] as const) {
      const fixture = await makeFixture(name, [...files], single);
      const seeder = await startAria2Seeder({ torrentPath: fixture.torrent.torrentPath, dataDir: fixture.dataDir, port: await getFreePort() });
      try {
        await downloadAndCheck(fixture);
      } finally {
        await seeder.stop();
      }
    }
  });

  it('completes correctly when one seeder lies, and drops the liar', async () => {
    const size = 2 * 1024 * 1024;
    const fixture = await makeFixture('liar', [{ path: 'liar.bin', size }], true);
    // A copy with one altered byte in every other piece: libtorrent in seed mode serves it as is.
    const liarDir = await makeTempDir('liar-copy');
    await mkdir(liarDir, { recursive: true });
    await cp(join(fixture.dataDir, 'liar.bin'), join(liarDir, 'liar.bin'));
    const offsets: number[] = [];
    for (let piece = 0; piece * 32768 < size; piece += 2) offsets.push(piece * 32768 + 1000);
    await corruptFile(join(liarDir, 'liar.bin'), offsets);
    const liar = await startLibtorrentSeeder({ torrentPath: fixture.torrent.torrentPath, dataDir: liarDir, lie: true });
    // The honest seeder is slow so the liar serves plenty of blocks before the download ends.
    const honest = await startLibtorrentSeeder({ torrentPath: fixture.torrent.torrentPath, dataDir: fixture.dataDir, uploadLimitBytesPerSec: 400_000 });
    try {
      const warnings = await downloadAndCheck(fixture);
      expect(warnings.some((w) => w.includes('failed verification'))).toBe(true);
      expect(warnings.some((w) => w.includes(`dropped peer`) && w.includes(`:${liar.port}`))).toBe(true);
      expect(warnings.some((w) => w.includes(`dropped peer`) && w.includes(`:${honest.port}`))).toBe(false);
    } finally {
      await liar.stop();
      await honest.stop();
    }
  });
});
