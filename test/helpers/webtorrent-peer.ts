// npm `webtorrent` (3.x) in Node as an independent peer, in a child process (webtorrent-peer.mjs):
// seeds the data in dataDir or downloads into it, over TCP on 127.0.0.1 (uTP with `utp: true`, via
// utp-native), finding peers through the .torrent's trackers and `connectTo`. WebTorrent has no MSE:
// plaintext only. DHT, LSD, NAT traversal and web seeds off.
import { fileURLToPath } from 'node:url';
import { spawnManaged, type ManagedProcess } from './proc.ts';

const SCRIPT = fileURLToPath(new URL('./webtorrent-peer.mjs', import.meta.url));
const READY_TIMEOUT_MS = 20_000;

export interface WebTorrentPeerOptions {
  mode: 'seed' | 'leech';
  torrentPath: string;
  /** The directory holding the torrent's content (the torrent's name inside it). */
  dataDir: string;
  /** Peers to dial at start, "127.0.0.1:PORT". */
  connectTo?: readonly string[];
  /** uTP as well as TCP (default: TCP only). */
  utp?: boolean;
}

export interface WebTorrentStatus {
  progress: number;
  peers: number;
  uploaded: number;
  downloaded: number;
  done: boolean;
  /** Each connected wire's type: tcpIncoming, tcpOutgoing, utpIncoming, utpOutgoing. */
  wires: string[];
}

export interface WebTorrentPeer {
  port: number;
  infoHash: string;
  /** The latest status line (null before the first). */
  stats(): WebTorrentStatus | null;
  /** Resolves once every piece is verified (a seeder: once it checked its data). */
  waitForDone(timeoutMs: number): Promise<void>;
  stop(): Promise<void>;
  process: ManagedProcess;
}

export async function startWebTorrentPeer(options: WebTorrentPeerOptions): Promise<WebTorrentPeer> {
  const config = { mode: options.mode, torrentPath: options.torrentPath, dir: options.dataDir, peers: options.connectTo ?? [], utp: options.utp ?? false };
  const proc = spawnManaged(process.execPath, [SCRIPT, JSON.stringify(config)], { label: `webtorrent ${options.mode}`, stdinPipe: true });
  let latest: WebTorrentStatus | null = null;
  const record = (line: string) => {
    if (line.startsWith('{"event":"status"') || line.startsWith('{"event":"done"')) latest = JSON.parse(line) as WebTorrentStatus;
  };
  proc.lines.forEach(record);
  proc.onLine(record);
  let ready: { port: number; infoHash: string };
  try {
    ready = JSON.parse((await proc.waitForLine(/^\{"event":"ready"/, READY_TIMEOUT_MS)).input!) as { port: number; infoHash: string };
  } catch (err) {
    await proc.stop();
    throw err;
  }
  const peer: WebTorrentPeer = {
    port: ready.port,
    infoHash: ready.infoHash,
    stats: () => latest,
    waitForDone: async (timeoutMs) => void (await proc.waitForLine(/^\{"event":"done"/, timeoutMs)),
    stop: async () => void (await proc.stop()),
    process: proc,
  };
  if (options.mode === 'seed') {
    try {
      await peer.waitForDone(READY_TIMEOUT_MS);
    } catch (err) {
      await proc.stop();
      throw err;
    }
  }
  return peer;
}
