// BEP 19 web seeds: a torrent whose only source is an HTTP server holding its files. The engine
// fetches byte ranges through the gateway's HTTP relay. The server is node:http serving the seed
// folder with Range support (what nginx or any static host does).
import { afterAll, describe, expect, it } from 'vitest';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, normalize } from 'node:path';
import { makeTempDir } from '../helpers/temp.ts';
import { sha256File, writeDataFiles } from '../helpers/data-files.ts';
import { makeTorrent } from '../helpers/make-torrent.ts';
import { useInteropBed } from '../support/interop-bed.ts';
import { parseTorrent, startEngine, storedFileHashes, waitForComplete } from '../support/engine-harness.ts';

const bed = useInteropBed();
const servers: Server[] = [];
afterAll(() => { for (const server of servers) server.close(); });

/** A static file server with single-range support; keeps each request's Range header (or null). */
async function startFileServer(root: string): Promise<{ url: string; rangeHeaders: (string | null)[] }> {
  const rangeHeaders: (string | null)[] = [];
  const server = createServer(async (request, response) => {
    rangeHeaders.push(request.headers.range ?? null);
    const path = normalize(join(root, decodeURIComponent(new URL(request.url!, 'http://x').pathname)));
    if (!path.startsWith(root)) return response.writeHead(403).end();
    const info = await stat(path).catch(() => null);
    if (!info?.isFile()) return response.writeHead(404).end();
    const match = /^bytes=(\d+)-(\d*)$/.exec(request.headers.range ?? '');
    if (!match) {
      response.writeHead(200, { 'content-length': info.size });
      return createReadStream(path).pipe(response);
    }
    const start = Number(match[1]);
    const end = match[2] ? Math.min(Number(match[2]), info.size - 1) : info.size - 1;
    response.writeHead(206, { 'content-length': end - start + 1, 'content-range': `bytes ${start}-${end}/${info.size}` });
    createReadStream(path, { start, end }).pipe(response);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, rangeHeaders };
}

describe('web seeds (BEP 19)', () => {
  it('downloads a multi-file torrent from a web seed alone, across file boundaries', async () => {
    const seedDir = await makeTempDir('webseed');
    const files = [
      { path: 'ws/a.bin', size: 70_000 },
      { path: 'ws/empty.txt', size: 0 },
      { path: 'ws/sub/spans.bin', size: 3 * 32768 + 123 },
      { path: 'ws/z.bin', size: 40_001 },
    ];
    await writeDataFiles(seedDir, files, 'webseed');
    const server = await startFileServer(seedDir);
    const torrent = await makeTorrent({
      sourcePath: join(seedDir, 'ws'), outFile: join(await makeTempDir('torrent'), 'ws.torrent'), pieceLengthExp: 15, webSeeds: [server.url],
    });
    const harness = await startEngine({ gatewayUrl: bed.gateway.url, token: bed.gateway.token });
    try {
      const hex = await harness.engine.addTorrentFile(torrent.bytes);
      await waitForComplete(harness.engine, hex, 30_000);
      const hashes = await storedFileHashes(parseTorrent(torrent.bytes), harness.store);
      for (const file of files) expect(hashes.get(file.path)).toBe(await sha256File(join(seedDir, file.path)));
      // Every request names its bytes (the HTTP_GET frame's range, as a Range header), start and end.
      expect(server.rangeHeaders.length).toBeGreaterThan(3);
      for (const header of server.rangeHeaders) expect(header).toMatch(/^bytes=\d+-\d+$/);
    } finally {
      await harness.close();
    }
  });
});
