// Transmission (Debian's transmission-daemon 3.00) as a real peer, driven over its JSON RPC. Each
// instance gets a temp config dir with a written settings.json: DHT/PEX/LPD/port forwarding off, RPC
// on a free 127.0.0.1 port without auth (whitelist 127.0.0.1), no speed, ratio or queue limits. One
// daemon serves many torrents: start it once per test file.
//
// Transmission 3.00 quirks (test/helpers/README.md):
// - It never dials 127.0.0.0/8 (and ::1) peers: they are "martian" to it (libtransmission/net.c). On
//   loopback it only accepts; as a leecher it must run where the other peer has another address
//   (inside the test's network namespace, scripts/in-netns.sh: 198.51.100.1).
// - `encryption` in settings.json: 0 prefer plaintext (still accepts encrypted), 1 prefer encrypted,
//   2 require encrypted. There is no "plaintext only".
// - There is no "TCP off" (that came in 4.0). transport 'utp' holds the daemon's TCP peer port itself
//   (a listener that drops every connection before a byte, as a uTP-only libtorrent does), so TCP
//   never reaches Transmission and it serves over uTP only; its own outgoing dials still prefer uTP
//   and may fall back to TCP (peers() tells which was used).
import { readFile, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { pollUntil, type ClientEncryption, type ClientOptions, type ClientPeer, type ClientTorrentStatus, type ClientTransport } from './client-options.ts';
import { getFreePorts } from './ports.ts';
import { spawnManaged, type ManagedProcess } from './proc.ts';
import { makeTempDir } from './temp.ts';
import { makeTorrent } from './make-torrent.ts';
import { readTorrentFile } from './torrent-file.ts';

const READY_TIMEOUT_MS = 20_000;
const ENCRYPTION_SETTING: Record<ClientEncryption, number> = { disable: 0, prefer: 1, require: 2 };
const ENCRYPTION_RPC: Record<ClientEncryption, string> = { disable: 'tolerated', prefer: 'preferred', require: 'required' };
/** The torrent-get `peers` fields the choke helpers read. */
interface RpcPeer {
  peerIsChoked: boolean;
  clientIsInterested: boolean;
}
/** torrent-get `status` (tr_torrent_activity). */
const STATUS_NAMES = ['stopped', 'check-wait', 'checking', 'download-wait', 'downloading', 'seed-wait', 'seeding'];

export interface TransmissionOptions extends ClientOptions {
  /** Peer listen port (TCP and uTP); a free one by default. */
  port?: number;
  /** Address the peer sockets bind to; default 127.0.0.1 (0.0.0.0 inside a test's namespace). */
  bindAddress?: string;
  /** Appends Transmission's debug log (every handshake step) to this file: for finding why a peer fails. */
  debugLogPath?: string;
  echoStderr?: boolean;
}

export interface TransmissionAddOptions {
  torrentPath: string;
  /** Where the content is (seeder) or goes (leecher): the torrent's name inside it. */
  downloadDir: string;
}

export interface Transmission {
  peerPort: number;
  rpcUrl: string;
  pid: number;
  /** Adds a .torrent (it checks data already present by itself); resolves with its info-hash (hex). */
  addTorrent(options: TransmissionAddOptions): Promise<string>;
  status(infoHash: string): Promise<ClientTorrentStatus | undefined>;
  /** Resolves when the torrent is whole (percentDone 1, checked); rejects with its status on timeout. */
  waitForComplete(infoHash: string, timeoutMs: number): Promise<void>;
  peers(infoHash: string): Promise<ClientPeer[]>;
  /** Any RPC method; resolves with its `arguments`. */
  rpc(method: string, args?: Record<string, unknown>): Promise<Record<string, unknown>>;
  setEncryption(encryption: ClientEncryption): Promise<void>;
  /**
   * Resolves once Transmission has unchoked a peer of the torrent, running its choker meanwhile.
   * 3.00 unchokes only in its rechoke pulse, every 10 s and whenever a torrent starts (and skips a
   * torrent whose peer count, refreshed every 500 ms, is still 0), so a new peer may wait up to 10 s
   * for its first unchoke; this starts and stops a 1-byte torrent of the helper's own every 300 ms.
   */
  unchokeSoon(infoHash: string, timeoutMs: number): Promise<void>;
  /**
   * The leecher's side of the same: resolves once Transmission is interested in a peer of the
   * torrent (3.00 decides its interest in that pulse too, so it stays silent up to 10 s).
   */
  interestSoon(infoHash: string, timeoutMs: number): Promise<void>;
  stop(): Promise<void>;
  process: ManagedProcess;
}

function settings(o: { peerPort: number; rpcPort: number; transport: ClientTransport; encryption: ClientEncryption; downloadDir: string; bindAddress: string }): object {
  return {
    'peer-port': o.peerPort, 'peer-port-random-on-start': false, 'bind-address-ipv4': o.bindAddress, 'bind-address-ipv6': '::1',
    'utp-enabled': o.transport !== 'tcp', encryption: ENCRYPTION_SETTING[o.encryption],
    'dht-enabled': false, 'pex-enabled': false, 'lpd-enabled': false, 'port-forwarding-enabled': false,
    'rpc-enabled': true, 'rpc-bind-address': '127.0.0.1', 'rpc-port': o.rpcPort, 'rpc-authentication-required': false,
    'rpc-whitelist-enabled': true, 'rpc-whitelist': '127.0.0.1', 'rpc-host-whitelist-enabled': false,
    'download-dir': o.downloadDir, 'incomplete-dir-enabled': false, 'start-added-torrents': true, 'rename-partial-files': false,
    'peer-limit-per-torrent': 50, 'peer-limit-global': 200, 'blocklist-enabled': false,
    'speed-limit-down-enabled': false, 'speed-limit-up-enabled': false, 'alt-speed-enabled': false,
    'ratio-limit-enabled': false, 'idle-seeding-limit-enabled': false,
    'download-queue-enabled': false, 'seed-queue-enabled': false, 'queue-stalled-enabled': false,
    'message-level': 2, 'cache-size-mb': 4, 'prefetch-enabled': false,
  };
}

/**
 * The daemon; with debugLogPath its "deep" log (each handshake step, libtransmission's dbgmsg) goes
 * there: 3.00 writes it only to stdout or stderr (TR_DEBUG_FD=1|2), so a shell points stderr at the file.
 */
function spawnDaemon(args: string[], options: TransmissionOptions): ManagedProcess {
  const spawnOptions = { label: 'transmission-daemon', echoStderr: options.echoStderr };
  if (!options.debugLogPath) return spawnManaged('transmission-daemon', args, spawnOptions);
  return spawnManaged('sh', ['-c', 'exec transmission-daemon --log-debug "$@" 2>>"$TR_DEBUG_LOG"', 'sh', ...args], {
    ...spawnOptions, env: { ...process.env, TR_DEBUG_FD: '2', TR_DEBUG_LOG: options.debugLogPath },
  });
}

/** A TCP listener on the peer port that drops every connection: TCP to Transmission is refused. */
async function holdTcpPort(host: string, port: number): Promise<Server> {
  const server = createServer((socket) => socket.destroy());
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return server;
}

export async function startTransmission(options: TransmissionOptions = {}): Promise<Transmission> {
  const configDir = await makeTempDir('transmission');
  const [freePeerPort, rpcPort] = await getFreePorts(2);
  const peerPort = options.port ?? freePeerPort!;
  const transport = options.transport ?? 'both';
  const bindAddress = options.bindAddress ?? '127.0.0.1';
  const tcpHold = transport === 'utp' ? await holdTcpPort(bindAddress, peerPort) : undefined;
  await writeFile(join(configDir, 'settings.json'), JSON.stringify(settings({
    peerPort, rpcPort: rpcPort!, transport, encryption: options.encryption ?? 'prefer', downloadDir: join(configDir, 'downloads'), bindAddress,
  }), null, 1));
  const proc = spawnDaemon(['-f', '-g', configDir], options);
  void proc.exited.then(() => tcpHold?.close());
  const rpcUrl = `http://127.0.0.1:${rpcPort}/transmission/rpc`;
  let sessionId = '';

  const rpc = async (method: string, args: Record<string, unknown> = {}): Promise<Record<string, unknown>> => {
    for (let attempt = 0; attempt < 3; attempt++) {
      const response = await fetch(rpcUrl, {
        method: 'POST', headers: { 'X-Transmission-Session-Id': sessionId }, body: JSON.stringify({ method, arguments: args }),
      });
      if (response.status === 409) { // the CSRF dance: take the session id it hands out, ask again
        sessionId = response.headers.get('X-Transmission-Session-Id') ?? '';
        continue;
      }
      if (!response.ok) throw new Error(`Transmission ${method}: HTTP ${response.status}`);
      const body = (await response.json()) as { result: string; arguments?: Record<string, unknown> };
      if (body.result !== 'success') throw new Error(`Transmission ${method}: ${body.result}`);
      return body.arguments ?? {};
    }
    throw new Error(`Transmission ${method}: no session id accepted`);
  };

  try {
    await pollUntil(async () => {
      if (proc.hasExited) throw proc.failure('exited before its RPC answered');
      return rpc('session-get').then(() => true, () => undefined);
    }, READY_TIMEOUT_MS, async () => `RPC ${rpcUrl} did not answer`, 100);
  } catch (error) {
    await proc.stop();
    throw error;
  }

  const torrent = async (infoHash: string, fields: string[]): Promise<Record<string, unknown> | undefined> => {
    const got = await rpc('torrent-get', { ids: [infoHash], fields });
    return (got.torrents as Array<Record<string, unknown>>)[0];
  };
  const status = async (infoHash: string): Promise<ClientTorrentStatus | undefined> => {
    const t = await torrent(infoHash, ['percentDone', 'status', 'uploadedEver', 'downloadedEver', 'errorString']);
    if (!t) return undefined;
    const state = STATUS_NAMES[Number(t.status)] ?? `status ${t.status}`;
    return { progress: Number(t.percentDone), state: t.errorString ? `${state}: ${t.errorString}` : state, uploadedBytes: Number(t.uploadedEver), downloadedBytes: Number(t.downloadedEver) };
  };

  let rechokeTorrent: Promise<string> | undefined;
  const addRechokeTorrent = async (): Promise<string> => {
    const sourcePath = join(configDir, 'rechoke.bin');
    await writeFile(sourcePath, 'r');
    const made = await makeTorrent({ sourcePath, outFile: join(configDir, 'rechoke.torrent'), pieceLengthExp: 15 });
    await rpc('torrent-add', { metainfo: (await readFile(made.torrentPath)).toString('base64'), 'download-dir': configDir, paused: true });
    return made.infoHash;
  };

  /** Runs Transmission's rechoke pulse every 300 ms until a peer of the torrent is as `wanted`. */
  const rechokeUntil = async (infoHash: string, wanted: (peer: RpcPeer) => boolean, failure: string, timeoutMs: number): Promise<void> => {
    const rechokeHash = await (rechokeTorrent ??= addRechokeTorrent());
    await pollUntil(async () => {
      if (((await torrent(infoHash, ['peers']))?.peers as RpcPeer[] | undefined)?.some(wanted)) return true;
      await rpc('torrent-start-now', { ids: [rechokeHash] });
      await rpc('torrent-stop', { ids: [rechokeHash] });
      return undefined;
    }, timeoutMs, async () => `Transmission ${failure} of ${infoHash}: ${JSON.stringify(await client.peers(infoHash))}`, 300);
  };

  const client: Transmission = {
    peerPort, rpcUrl, pid: proc.pid, process: proc, rpc, status,
    async addTorrent(add) {
      const metainfo = (await readFile(add.torrentPath)).toString('base64');
      await rpc('torrent-add', { metainfo, 'download-dir': add.downloadDir, paused: false });
      return (await readTorrentFile(add.torrentPath)).infoHash;
    },
    async waitForComplete(infoHash, timeoutMs) {
      await pollUntil(
        () => status(infoHash).then((s) => (s && s.progress >= 1 && !s.state.startsWith('check') ? true : undefined)),
        timeoutMs,
        async () => `Transmission torrent ${infoHash}: ${JSON.stringify(await status(infoHash))}, peers ${JSON.stringify(await client.peers(infoHash))}`,
      );
    },
    async peers(infoHash) {
      const t = await torrent(infoHash, ['peers']);
      return ((t?.peers ?? []) as Array<Record<string, unknown>>).map((p) => ({
        ip: String(p.address), port: Number(p.port), client: String(p.clientName ?? ''),
        transport: p.isUTP ? 'utp' as const : 'tcp' as const, encrypted: Boolean(p.isEncrypted),
      }));
    },
    setEncryption: async (encryption) => void (await rpc('session-set', { encryption: ENCRYPTION_RPC[encryption] })),
    unchokeSoon: (infoHash, timeoutMs) => rechokeUntil(infoHash, (p) => !p.peerIsChoked, 'unchoked no peer', timeoutMs),
    interestSoon: (infoHash, timeoutMs) => rechokeUntil(infoHash, (p) => p.clientIsInterested, 'is interested in no peer', timeoutMs),
    async stop() {
      await proc.stop();
      tcpHold?.close();
    },
  };
  return client;
}
