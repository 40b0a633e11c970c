// Downloads a torrent with our engine in a child process, through a gateway process, and reports
// the time and both processes' peak memory.
import { join } from 'node:path';
import { startGatewayProcess } from '../test/helpers/gateway-process.ts';
import { spawnManaged } from '../test/helpers/proc.ts';
import { makeTempDir } from '../test/helpers/temp.ts';
import type { EncryptionMode } from '../web/worker/peer/encryption-mode.ts';

export interface EngineDownloadOptions {
  torrentPath: string;
  /** HTTP announce URL of the bench tracker on 127.0.0.1. */
  trackerUrl: string;
  /** The libtorrent seeder's port on 127.0.0.1 (to dial directly if wanted). */
  seederPort: number;
  link?: 'webrtc' | 'websocket';
  /** Peer encryption (MSE/PE) of the engine; its default ('prefer') when absent. */
  encryption?: EncryptionMode;
}

export interface EngineDownloadResult {
  seconds: number;
  bytes: number;
  /** Peak RSS of the engine process, MB (10^6 bytes). */
  engineRssMB: number;
  /** Peak RSS of the gateway process, MB (10^6 bytes). */
  gatewayRssMB: number;
}

export async function downloadWithEngine(options: EngineDownloadOptions): Promise<EngineDownloadResult> {
  const gateway = await startGatewayProcess({ allowPrivate: true });
  try {
    const outFile = join(await makeTempDir('bench-engine'), 'download.bin');
    // BENCH_CPU_PROF=DIR writes a V8 CPU profile of the engine process there (see README, bench).
    const profile = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];
    const child = spawnManaged('node', [...profile, '--import', 'tsx', 'bench/engine-child.ts', options.torrentPath, gateway.url, gateway.token, outFile, options.link ?? 'webrtc', options.encryption ?? ''],
      { label: 'engine' });
    const exit = await child.exited;
    const line = child.lines.at(-1) ?? '';
    if (exit.code !== 0) throw new Error(`engine exited with ${exit.code}: ${child.stderr().slice(-2000)}`);
    const result = JSON.parse(line) as { seconds: number; bytes: number; peakRssMB: number };
    const gatewayRssMB = gateway.peakRssMB() ?? 0;
    return { seconds: result.seconds, bytes: result.bytes, engineRssMB: result.peakRssMB, gatewayRssMB };
  } finally {
    await gateway.stop();
  }
}
