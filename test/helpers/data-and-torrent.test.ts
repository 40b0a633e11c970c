// Self-tests of the file, torrent and tracker helpers (no peers involved).
import { describe, expect, it } from 'vitest';
import { readFile, stat } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { corruptFile, expectedBytes, expectedSha256, sha256File, writeDataFiles } from './data-files.ts';
import { makeTorrent } from './make-torrent.ts';
import { getFreePort, getFreePorts } from './ports.ts';
import { makeTempDir } from './temp.ts';
import { startTracker } from './tracker.ts';

describe('data-files', () => {
  it('writes deterministic content that expectedBytes and expectedSha256 reproduce', async () => {
    const dir = await makeTempDir('data');
    const [big, empty] = await writeDataFiles(dir, [
      { path: 'sub/big.bin', size: 3 * 1024 * 1024 + 17 },
      { path: 'empty.bin', size: 0 },
    ]);
    expect((await stat(empty!.absPath)).size).toBe(0);
    const bytes = await readFile(big!.absPath);
    expect(bytes.length).toBe(3 * 1024 * 1024 + 17);
    expect(expectedBytes('tabtorrent', 'sub/big.bin', 1_000_003, 40_000)).toEqual(bytes.subarray(1_000_003, 1_040_003));
    const digest = createHash('sha256').update(bytes).digest('hex');
    expect(await sha256File(big!.absPath)).toBe(digest);
    expect(expectedSha256('tabtorrent', 'sub/big.bin', bytes.length)).toBe(digest);
    await corruptFile(big!.absPath, [5]);
    expect(await sha256File(big!.absPath)).not.toBe(digest);
  });
});

describe('make-torrent', () => {
  it('makes a multi-file torrent with an empty file, trackers and web seeds', async () => {
    const dir = await makeTempDir('mk');
    await writeDataFiles(join(dir, 'content'), [
      { path: 'a.bin', size: 100_000 },
      { path: 'empty.bin', size: 0 },
      { path: 'sub/b.bin', size: 5_000 },
    ]);
    const outFile = join(dir, 'content.torrent');
    const made = await makeTorrent({
      sourcePath: join(dir, 'content'),
      outFile,
      pieceLengthExp: 15,
      trackers: ['http://127.0.0.1:1/announce', 'udp://127.0.0.1:2'],
      webSeeds: ['http://127.0.0.1:3/'],
    });
    expect(made.infoHash).toMatch(/^[0-9a-f]{40}$/);
    expect(made.pieceLength).toBe(32768);
    expect(made.pieceCount).toBe(Math.ceil(105_000 / 32768));
    expect(made.files.map((f) => [f.path, f.length])).toEqual([
      ['content/a.bin', 100_000],
      ['content/empty.bin', 0],
      ['content/sub/b.bin', 5_000],
    ]);
    const text = made.bytes.toString('latin1');
    expect(text).toContain('13:announce-list');
    expect(text).toContain('8:url-list');
    // mktorrent refuses to overwrite; makeTorrent replaces the old file.
    const again = await makeTorrent({ sourcePath: join(dir, 'content'), outFile, pieceLengthExp: 15, private: true });
    expect(again.infoHash).not.toBe(made.infoHash);
    expect(again.bytes.toString('latin1')).toContain('7:privatei1e');
  });
});

describe('ports', () => {
  it('gives distinct free ports', async () => {
    const ports = await getFreePorts(3);
    expect(new Set(ports).size).toBe(3);
    expect(await getFreePort()).toBeGreaterThan(0);
  });
});

describe('tracker', () => {
  it('answers an HTTP announce from a loopback peer, including that peer itself', async () => {
    const tracker = await startTracker();
    try {
      const infoHash = Buffer.alloc(20, 0xab);
      const query =
        `info_hash=${percentEncode(infoHash)}&peer_id=${percentEncode(Buffer.from('-TA0001-abcdefghijkl'))}` +
        `&port=6881&uploaded=0&downloaded=0&left=100&compact=1&event=started`;
      const res = await fetch(`${tracker.httpAnnounceUrl}?${query}`);
      const body = Buffer.from(await res.arrayBuffer()).toString('latin1');
      expect(body).toContain('5:peers6:');
      expect(tracker.peersOf(infoHash.toString('hex'))).toEqual([{ ip: '127.0.0.1', port: 6881, complete: false }]);
      expect(tracker.udpAnnounceUrl).toMatch(/^udp:\/\/127\.0\.0\.1:\d+$/);
    } finally {
      await tracker.close();
    }
  });
});

function percentEncode(bytes: Buffer): string {
  return [...bytes].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('');
}
