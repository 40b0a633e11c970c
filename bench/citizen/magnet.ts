// How fast a magnet link turns into a torrent (issue 9): our engine, in this process over the
// WebSocket link and a gateway process, is given a magnet link of the bench torrent naming a
// loopback libtorrent seeder (`x.pe=`, seed mode, TCP and uTP); `magnet_to_metadata_ms` runs from
// addMagnet to the engine's onMetadata, `magnet_to_first_piece_ms` to its first verified piece.
// A fresh engine and link per run (one gateway and seeder for all); the median of `runs`.
// Targets: ≤ 500 ms and ≤ 1000 ms.
import { join } from 'node:path';
import { Engine } from '../../web/worker/engine.ts';
import { MemoryPieceStore } from '../../web/worker/memory-piece-store.ts';
import { startGatewayProcess, type GatewayProcess } from '../../test/helpers/gateway-process.ts';
import { startLibtorrentSeeder } from '../../test/helpers/libtorrent.ts';
import { makeTorrent } from '../../test/helpers/make-torrent.ts';
import { makeTempDir } from '../../test/helpers/temp.ts';
import { connectBridge } from '../../test/support/node-bridge.ts';
import type { CitizenBenchOptions } from './index.ts';

export interface MagnetFigures {
  magnet_to_metadata_ms: number | null;
  magnet_to_first_piece_ms: number | null;
}

const RUN_TIMEOUT_MS = 30_000;

interface MagnetRun {
  metadataMs: number;
  firstPieceMs: number;
}

async function magnetOnce(gateway: GatewayProcess, magnet: string): Promise<MagnetRun> {
  const client = await connectBridge({ gatewayUrl: gateway.url, token: gateway.token, link: 'websocket' });
  let metadataAt: number | undefined;
  const engine = new Engine({ store: new MemoryPieceStore(), onMetadata: () => { metadataAt ??= performance.now(); } });
  try {
    await engine.setTransport(client);
    const started = performance.now();
    const hex = await engine.addMagnet(magnet);
    const deadline = Date.now() + RUN_TIMEOUT_MS;
    while (!((engine.get(hex)?.have.count ?? 0) > 0)) {
      if (Date.now() > deadline) throw new Error(`no verified piece within ${RUN_TIMEOUT_MS} ms (metadata ${metadataAt === undefined ? 'not ' : ''}received)`);
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    const firstPieceAt = performance.now();
    if (metadataAt === undefined) throw new Error('a piece before the metadata callback');
    return { metadataMs: metadataAt - started, firstPieceMs: firstPieceAt - started };
  } finally {
    await engine.shutdown();
    client.close();
  }
}

export async function magnetFigures(options: CitizenBenchOptions): Promise<MagnetFigures> {
  const workDir = await makeTempDir('bench-magnet');
  const torrent = await makeTorrent({
    sourcePath: join(options.seedDir, options.fileName), outFile: join(workDir, `${options.fileName}.torrent`), pieceLengthExp: options.pieceLengthExp,
  });
  const seeder = await startLibtorrentSeeder({ torrentPath: torrent.torrentPath, dataDir: options.seedDir, seedMode: true });
  const gateway = await startGatewayProcess({ allowPrivate: true });
  const magnet = `magnet:?xt=urn:btih:${torrent.infoHash}&dn=${encodeURIComponent(options.fileName)}&x.pe=127.0.0.1:${seeder.port}`;
  const runs: MagnetRun[] = [];
  try {
    for (let i = 0; i < options.runs; i++) {
      const run = await magnetOnce(gateway, magnet);
      options.log(`magnet: metadata after ${run.metadataMs.toFixed(0)} ms, first verified piece after ${run.firstPieceMs.toFixed(0)} ms`);
      runs.push(run);
    }
  } catch (err) {
    options.log(`magnet: failed: ${(err as Error).message}`);
    return { magnet_to_metadata_ms: null, magnet_to_first_piece_ms: null };
  } finally {
    await gateway.stop();
    await seeder.stop();
  }
  return {
    magnet_to_metadata_ms: Math.round(median(runs.map((r) => r.metadataMs))),
    magnet_to_first_piece_ms: Math.round(median(runs.map((r) => r.firstPieceMs))),
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)]!;
}
