// aria2c (Debian) as an independent TCP peer and as the speed baseline. No DHT, LPD or PEX; trackers
// come from the .torrent. aria2 speaks only TCP (no uTP), and needs the DHT on to use UDP trackers
// (DESIGN.md), so torrents meant for it list an HTTP tracker first. `encryption: 'require'` makes it
// refuse plaintext peers both ways and insist on RC4: --bt-force-encryption (alone, --bt-require-crypto
// governs only its own dials: it still accepts a plaintext handshake from a peer that dials it).
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { join } from 'node:path';
import { spawnManaged, type ManagedProcess } from './proc.ts';
import { readTorrentFile } from './torrent-file.ts';

const ARIA2 = 'aria2c';

export type Aria2Encryption = 'prefer' | 'require';

/** Options common to seeding and downloading: loopback only, nothing but the torrent's trackers. */
function baseArgs(port: number | undefined, encryption: Aria2Encryption = 'prefer'): string[] {
  return [
    ...(port === undefined ? [] : [`--listen-port=${port}`]),
    ...(encryption === 'require' ? ['--bt-force-encryption=true', '--bt-require-crypto=true', '--bt-min-crypto-level=arc4'] : []),
    '--enable-dht=false',
    '--enable-dht6=false',
    '--bt-enable-lpd=false',
    '--enable-peer-exchange=false',
    '--bt-save-metadata=false',
    '--bt-tracker-connect-timeout=5',
    '--bt-tracker-timeout=10',
    '--disable-ipv6=true',
    '--enable-color=false',
    '--summary-interval=0',
    '--show-console-readout=false',
    '--console-log-level=warn',
    '--auto-save-interval=0',
    '--file-allocation=none',
    `--stop-with-process=${process.pid}`, // never outlive the test
  ];
}

export interface Aria2Seeder {
  port: number;
  pid: number;
  stop(): Promise<void>;
  process: ManagedProcess;
}

export interface Aria2SeederOptions {
  torrentPath: string;
  /** The directory that holds the torrent's content (the torrent's name inside it). */
  dataDir: string;
  /** TCP listen port (aria2 cannot report an OS-chosen one: take one from getFreePort()). */
  port: number;
  encryption?: Aria2Encryption;
}

/**
 * Seeds without checking the data (--bt-seed-unverified) and forever (--seed-ratio=0.0). Do not add
 * --bt-hash-check-seed=false: with it aria2 declares the download complete and exits at once.
 * aria2 has no "ready" line: it is considered ready once its listen port accepts connections.
 */
export async function startAria2Seeder(options: Aria2SeederOptions): Promise<Aria2Seeder> {
  const args = [
    ...baseArgs(options.port, options.encryption),
    `--dir=${options.dataDir}`,
    '--seed-ratio=0.0',
    '--bt-seed-unverified=true',
    '--check-integrity=false',
    options.torrentPath,
  ];
  const proc = spawnManaged(ARIA2, args, { label: 'aria2c seed' });
  try {
    await waitForTcpPort(options.port, 10_000, proc);
  } catch (err) {
    await proc.stop();
    throw err;
  }
  return { port: options.port, pid: proc.pid, stop: async () => void (await proc.stop()), process: proc };
}

export interface Aria2DownloadOptions {
  torrentPath: string;
  outDir: string;
  timeoutMs: number;
  /** TCP listen port; by default aria2 picks one in its own range (6881-6999). */
  port?: number;
  encryption?: Aria2Encryption;
}

export interface Aria2DownloadResult {
  /** Process start → aria2 reports the download complete (its --on-bt-download-complete hook). */
  seconds: number;
  /** Process start → exit; adds aria2's 1-second timer ticks for the final "stopped" announce. */
  wallSeconds: number;
  bytes: number;
}

/**
 * Downloads the whole torrent and exits (--seed-time=0); rejects on a non-zero exit code or timeout.
 * aria2 works on a 1-second tick: it dials peers ~1 s after start and exits ~1 s after completing, so
 * `seconds` stops the clock at completion (a tiny hook script records the time), not at exit.
 */
export async function aria2Download(options: Aria2DownloadOptions): Promise<Aria2DownloadResult> {
  const torrent = await readTorrentFile(options.torrentPath);
  await mkdir(options.outDir, { recursive: true });
  const hook = join(options.outDir, '.aria2-complete-hook.sh');
  const stamp = join(options.outDir, '.aria2-complete-time');
  await writeFile(hook, `#!/bin/sh
date +%s%N > '${stamp}'
`, { mode: 0o755 });
  const args = [
    ...baseArgs(options.port, options.encryption),
    `--dir=${options.outDir}`,
    '--seed-time=0',
    '--bt-max-peers=55',
    '--max-overall-download-limit=0',
    '--disk-cache=32M',
    `--on-bt-download-complete=${hook}`,
    options.torrentPath,
  ];
  const startedAtMs = Date.now();
  const proc = spawnManaged(ARIA2, args, { label: 'aria2c download' });
  const timer = setTimeout(() => proc.signalGroup('SIGKILL'), options.timeoutMs);
  const info = await proc.exited;
  clearTimeout(timer);
  const wallSeconds = (Date.now() - startedAtMs) / 1000;
  if (info.code !== 0) {
    throw proc.failure(`exit code ${info.code}, signal ${info.signal} (timeout ${options.timeoutMs} ms)`);
  }
  const completedAtMs = Number(BigInt((await readFile(stamp, 'utf8')).trim()) / 1_000_000n);
  await rm(hook, { force: true });
  await rm(stamp, { force: true });
  return { seconds: (completedAtMs - startedAtMs) / 1000, wallSeconds, bytes: torrent.totalLength };
}

async function waitForTcpPort(port: number, timeoutMs: number, proc: ManagedProcess): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (proc.hasExited) throw proc.failure('exited before listening');
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw proc.failure(`port ${port} not listening within ${timeoutMs} ms`);
}
