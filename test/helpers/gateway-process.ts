// The real gateway as a child process: `node --import tsx gateway/main.ts --port 0 --peer-port 0`.
// Spawning node itself (not the tsx binary, which forks another node) keeps pid the process whose
// memory we measure. The gateway prints `GATEWAY_READY {"url","port","peerPort","token"}` on stdout.
import { fileURLToPath } from 'node:url';
import { spawnManaged, type ManagedProcess } from './proc.ts';
import { peakRssMB } from './rss.ts';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const READY_TIMEOUT_MS = 30_000;

export interface GatewayProcessOptions {
  /** Let the gateway dial private and loopback addresses (tests run every peer on 127.0.0.1). */
  allowPrivate?: boolean;
  extraArgs?: readonly string[];
  env?: NodeJS.ProcessEnv;
  echoStderr?: boolean;
}

export interface GatewayProcess {
  url: string;
  port: number;
  peerPort: number;
  token: string;
  pid: number;
  /** Peak RSS in MB (10^6 bytes) so far; call before stop(). */
  peakRssMB(): number | null;
  stop(): Promise<void>;
  process: ManagedProcess;
}

interface GatewayReady {
  url: string;
  port: number;
  peerPort: number;
  token: string;
}

export async function startGatewayProcess(options: GatewayProcessOptions = {}): Promise<GatewayProcess> {
  // BENCH_GATEWAY_CPU_PROF=DIR writes a V8 CPU profile of the gateway there (profiling the bench).
  const profile = process.env.BENCH_GATEWAY_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_GATEWAY_CPU_PROF}`] : [];
  const args = [...profile, '--import', 'tsx', 'gateway/main.ts', '--port', '0', '--peer-port', '0'];
  if (options.allowPrivate ?? true) args.push('--allow-private');
  args.push(...(options.extraArgs ?? []));
  // Tests never bootstrap a DHT from the public routers: none, unless a test names local nodes.
  if (!args.includes('--dht-bootstrap')) args.push('--dht-bootstrap', 'none');
  const proc = spawnManaged(process.execPath, args, {
    cwd: REPO_ROOT,
    env: options.env ?? process.env,
    label: 'gateway',
    echoStderr: options.echoStderr,
  });
  let ready: GatewayReady;
  try {
    const match = await proc.waitForLine(/^GATEWAY_READY (\{.*\})\s*$/, READY_TIMEOUT_MS);
    ready = JSON.parse(match[1]!) as GatewayReady;
  } catch (err) {
    await proc.stop();
    throw err;
  }
  return {
    ...ready,
    pid: proc.pid,
    peakRssMB: () => peakRssMB(proc.pid),
    stop: async () => void (await proc.stop()),
    process: proc,
  };
}
