// libtorrent 2.0 peers (test/helpers/libtorrent-peer.py under Debian's /usr/bin/python3), confined to
// 127.0.0.1 — see DESIGN.md "Test peers". The child exits when stop() is called or when this process
// goes away (its stdin closes).
//
// Note: libtorrent dials a peer over uTP first and falls back to TCP only after the connect timeout
// (~5 s here). Against a TCP-only peer (aria2, or our client through a TCP relay) pass tcpOnly: true.
import { fileURLToPath } from 'node:url';
import { spawnManaged, type ManagedProcess } from './proc.ts';

const PYTHON = '/usr/bin/python3';
const SCRIPT = fileURLToPath(new URL('./libtorrent-peer.py', import.meta.url));
const READY_TIMEOUT_MS = 15_000;
const COMMAND_TIMEOUT_MS = 5_000;

export interface LibtorrentStatus {
  state: string;
  progress: number;
  peers: number;
  seeds: number;
  upload_rate: number;
  download_rate: number;
  total_upload: number;
  total_download: number;
  total_done: number;
  is_seeding: boolean;
}

export interface LibtorrentPeerOptions {
  /** Listen port on 127.0.0.1 for TCP and uTP; 0 (default) lets libtorrent pick. */
  port?: number;
  /** Listen on [::1] as well as 127.0.0.1 (same port), or on [::1] only; its DHT then runs on IPv6 too (BEP 32). */
  ipv6?: 'also' | 'only';
  /** Peers its DHT node gives per get_peers answer (libtorrent's 100): 0 makes a router that only names nodes. */
  dhtMaxPeersReply?: number;
  utpOnly?: boolean;
  tcpOnly?: boolean;
  /** Dial nobody (its outgoing TCP and uTP off): it gets only peers that reach it. */
  noOutgoing?: boolean;
  /** Peers to dial at start, "127.0.0.1:PORT". */
  connectTo?: readonly string[];
  /** Enable the DHT, bootstrapping from these "127.0.0.1:PORT" (or "[::1]:PORT") nodes. */
  dhtBootstrap?: readonly string[];
  /** Outgoing MSE encryption. Default 'disabled' (plaintext). */
  outgoingEncryption?: 'disabled' | 'enabled' | 'forced';
  /** Incoming MSE encryption: 'forced' refuses plaintext peers. Default 'enabled' (both). */
  incomingEncryption?: 'disabled' | 'enabled' | 'forced';
  /** Payload encryption allowed (allowed_enc_level): 'rc4' with 'forced' requires RC4. Default 'both'. */
  encryptionLevel?: 'plaintext' | 'rc4' | 'both';
  /** Upload rate limit in bytes/s (0 = none). */
  uploadLimitBytesPerSec?: number;
  /** Download rate limit in bytes/s (0 = none). */
  downloadLimitBytesPerSec?: number;
  statusIntervalMs?: number;
  /** Echo the peer's stderr (debugging). */
  echoStderr?: boolean;
}

export interface LibtorrentPeer {
  port: number;
  pid: number;
  infoHash: string | null;
  /** The most recent status line (null before the first one). */
  stats(): LibtorrentStatus | null;
  /** Every JSON event line so far (ready, status, checked, finished, hash_failed, error, ...). */
  events(): Array<Record<string, unknown>>;
  /** Resolves at the first event of that name (past or future). */
  waitForEvent(name: string, timeoutMs: number): Promise<Record<string, unknown>>;
  /** Changes the rate limits now (bytes/s, 0 = none; a limit left out stays); resolves once applied. */
  setRateLimits(limits: RateLimits): Promise<RateLimits>;
  stop(): Promise<void>;
  process: ManagedProcess;
}

export interface RateLimits {
  uploadBytesPerSec?: number;
  downloadBytesPerSec?: number;
}

export interface LibtorrentSeederOptions extends LibtorrentPeerOptions {
  torrentPath: string;
  /** The directory that holds the torrent's content (the torrent's name inside it). */
  dataDir: string;
  /** Seed without hashing the data first (default true). */
  seedMode?: boolean;
  /** Serve the bytes in dataDir even if they do not match (a lying peer): disables hash checks. */
  lie?: boolean;
}

export interface LibtorrentLeecherOptions extends LibtorrentPeerOptions {
  /** A .torrent file, or a magnet link to fetch the metadata from peers (BEP 9). */
  torrentPath?: string;
  magnet?: string;
  /** Download directory. */
  dataDir: string;
}

export async function startLibtorrentSeeder(options: LibtorrentSeederOptions): Promise<LibtorrentPeer> {
  const args = ['seed', '--torrent', options.torrentPath, '--dir', options.dataDir];
  if (options.seedMode ?? true) args.push('--seed-mode');
  if (options.lie) args.push('--lie', '--seed-mode');
  const peer = await startPeer(args, options);
  // Without seed mode libtorrent hashes the data first; it is a seeder only once that is done.
  if (!(options.seedMode ?? true) && !options.lie) await peer.waitForEvent('finished', 120_000);
  return peer;
}

export function startLibtorrentLeecher(options: LibtorrentLeecherOptions): Promise<LibtorrentPeer> {
  const source = options.torrentPath ? ['--torrent', options.torrentPath] : ['--magnet', options.magnet ?? ''];
  if (!options.torrentPath && !options.magnet) throw new Error('startLibtorrentLeecher: torrentPath or magnet');
  return startPeer(['leech', ...source, '--dir', options.dataDir], options);
}

/** A bare libtorrent DHT node on 127.0.0.1 (its port is the DHT's UDP port). */
export function startLibtorrentDhtNode(options: LibtorrentPeerOptions = {}): Promise<LibtorrentPeer> {
  return startPeer(['dht'], { ...options, dhtBootstrap: options.dhtBootstrap ?? [] });
}

async function startPeer(modeArgs: string[], options: LibtorrentPeerOptions): Promise<LibtorrentPeer> {
  const args = [SCRIPT, ...modeArgs, '--port', String(options.port ?? 0)];
  if (options.ipv6) args.push('--ipv6', options.ipv6);
  if (options.dhtMaxPeersReply !== undefined) args.push('--dht-max-peers-reply', String(options.dhtMaxPeersReply));
  if (options.utpOnly) args.push('--utp-only');
  if (options.tcpOnly) args.push('--tcp-only');
  if (options.noOutgoing) args.push('--no-outgoing');
  for (const peer of options.connectTo ?? []) args.push('--peer', peer);
  if (options.dhtBootstrap) {
    args.push('--dht');
    for (const node of options.dhtBootstrap) args.push('--dht-bootstrap', node);
  }
  if (options.outgoingEncryption) args.push('--out-enc', options.outgoingEncryption);
  if (options.incomingEncryption) args.push('--in-enc', options.incomingEncryption);
  if (options.encryptionLevel) args.push('--enc-level', options.encryptionLevel);
  if (options.uploadLimitBytesPerSec) args.push('--upload-limit', String(options.uploadLimitBytesPerSec));
  if (options.downloadLimitBytesPerSec) args.push('--download-limit', String(options.downloadLimitBytesPerSec));
  args.push('--status-interval-ms', String(options.statusIntervalMs ?? 500));

  const proc = spawnManaged(PYTHON, args, { label: `libtorrent ${modeArgs[0]}`, stdinPipe: true, echoStderr: options.echoStderr });
  const events: Array<Record<string, unknown>> = [];
  let latest: LibtorrentStatus | null = null;
  const record = (line: string) => {
    if (!line.startsWith('{')) return;
    const event = JSON.parse(line) as Record<string, unknown>;
    events.push(event);
    if (event.event === 'status' || event.event === 'finished') latest = event as unknown as LibtorrentStatus;
  };
  proc.lines.forEach(record);
  proc.onLine(record);

  let ready: Record<string, unknown>;
  try {
    const match = await proc.waitForLine(/^\{.*"event": "ready"/, READY_TIMEOUT_MS);
    ready = JSON.parse(match.input!) as Record<string, unknown>;
  } catch (err) {
    await proc.stop();
    throw err;
  }

  const waitForEvent = (name: string, timeoutMs: number) => {
    const pattern = new RegExp(`"event": "${name}"`);
    return proc.waitForLine(pattern, timeoutMs).then((m) => JSON.parse(m.input!) as Record<string, unknown>);
  };
  let commandId = 0;
  const setRateLimits = async (limits: RateLimits): Promise<RateLimits> => {
    const id = ++commandId;
    const command: Record<string, number> = { id };
    if (limits.uploadBytesPerSec !== undefined) command.upload_limit = limits.uploadBytesPerSec;
    if (limits.downloadBytesPerSec !== undefined) command.download_limit = limits.downloadBytesPerSec;
    const answer = proc.waitForLine(new RegExp(`^(?=.*"event": "limits")(?=.*"id": ${id}[,}])`), COMMAND_TIMEOUT_MS);
    proc.child.stdin!.write(`${JSON.stringify(command)}\n`);
    const applied = JSON.parse((await answer).input!) as { upload_limit: number; download_limit: number };
    return { uploadBytesPerSec: applied.upload_limit, downloadBytesPerSec: applied.download_limit };
  };
  return {
    port: ready.port as number,
    pid: proc.pid,
    infoHash: (ready.info_hash as string | null) ?? null,
    stats: () => latest,
    events: () => [...events],
    waitForEvent,
    setRateLimits,
    stop: async () => {
      await proc.stop();
    },
    process: proc,
  };
}
