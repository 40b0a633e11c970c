// qBittorrent (Debian's qbittorrent-nox 4.5.2, libtorrent 2.0 inside) as a real peer, driven by its
// WebUI API. Each instance gets a temp profile with a written qBittorrent.conf: legal notice
// accepted, WebUI on 127.0.0.1 without auth for localhost, peers only on `lo`, no DHT/PEX/LSD/UPnP/
// NAT-PMP, several connections per IP allowed (every test peer is 127.0.0.1), every tracker announced
// to, no anonymous mode, no queueing. One daemon serves many torrents: start it once per test file.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pollUntil, type ClientEncryption, type ClientOptions, type ClientPeer, type ClientTorrentStatus, type ClientTransport } from './client-options.ts';
import { getFreePorts } from './ports.ts';
import { spawnManaged, type ManagedProcess } from './proc.ts';
import { makeTempDir } from './temp.ts';
import { readTorrentFile } from './torrent-file.ts';

const READY_TIMEOUT_MS = 20_000;

/** WebUI preference `bittorrent_protocol` and the conf's Session\BTProtocol. */
const PROTOCOL: Record<ClientTransport, { pref: number; conf: string }> = {
  both: { pref: 0, conf: 'Both' }, tcp: { pref: 1, conf: 'TCP' }, utp: { pref: 2, conf: 'UTP' },
};
/** WebUI preference `encryption` (= Session\Encryption): 0 prefer, 1 require, 2 disable. */
const ENCRYPTION: Record<ClientEncryption, number> = { prefer: 0, require: 1, disable: 2 };

export interface QbittorrentOptions extends ClientOptions {
  /** Peer listen port (TCP and uTP); a free one by default. */
  port?: number;
  echoStderr?: boolean;
}

export interface AddTorrentOptions {
  torrentPath: string;
  /** Where the content is (seeder) or goes (leecher): the torrent's name inside it. */
  savePath: string;
  /** The data is already there: skip the hash check and seed at once. */
  seed?: boolean;
}

export interface Qbittorrent {
  peerPort: number;
  webUiUrl: string;
  pid: number;
  /** Adds a .torrent; resolves with its info-hash (hex) once qBittorrent lists it. */
  addTorrent(options: AddTorrentOptions): Promise<string>;
  status(infoHash: string): Promise<ClientTorrentStatus | undefined>;
  /** Resolves when the torrent is whole (progress 1); rejects with its status on timeout. */
  waitForComplete(infoHash: string, timeoutMs: number): Promise<void>;
  peers(infoHash: string): Promise<ClientPeer[]>;
  /** app/setPreferences: any WebUI preference, e.g. { encryption: 1 }. */
  setPreferences(preferences: Record<string, unknown>): Promise<void>;
  setTransport(transport: ClientTransport): Promise<void>;
  setEncryption(encryption: ClientEncryption): Promise<void>;
  /** The daemon's own log (data/logs/qbittorrent.log), for failure messages. */
  log(): Promise<string>;
  stop(): Promise<void>;
  process: ManagedProcess;
}

function configText(o: { peerPort: number; webUiPort: number; transport: ClientTransport; encryption: ClientEncryption; savePath: string }): string {
  return `[LegalNotice]
Accepted=true

[BitTorrent]
Session\\Port=${o.peerPort}
Session\\InterfaceName=lo
Session\\Interface=lo
Session\\InterfaceAddress=127.0.0.1
Session\\DHTEnabled=false
Session\\PeXEnabled=false
Session\\LSDEnabled=false
Session\\Encryption=${ENCRYPTION[o.encryption]}
Session\\BTProtocol=${PROTOCOL[o.transport].conf}
Session\\AnonymousModeEnabled=false
Session\\AddTrackersEnabled=false
Session\\AnnounceToAllTrackers=true
Session\\AnnounceToAllTiers=true
Session\\MultiConnectionsPerIp=true
Session\\QueueingSystemEnabled=false
Session\\IgnoreLimitsOnLAN=true
Session\\DefaultSavePath=${o.savePath}
Session\\TempPathEnabled=false

[Network]
PortForwardingEnabled=false

[Preferences]
WebUI\\Address=127.0.0.1
WebUI\\Port=${o.webUiPort}
WebUI\\LocalHostAuth=false
WebUI\\CSRFProtection=false
WebUI\\HostHeaderValidation=false
WebUI\\UseUPnP=false
Connection\\UPnP=false
General\\Locale=en
`;
}

export async function startQbittorrent(options: QbittorrentOptions = {}): Promise<Qbittorrent> {
  const profile = await makeTempDir('qbittorrent');
  const [freePeerPort, webUiPort] = await getFreePorts(2);
  const peerPort = options.port ?? freePeerPort!;
  const configDir = join(profile, 'qBittorrent', 'config');
  await mkdir(configDir, { recursive: true });
  await writeFile(join(configDir, 'qBittorrent.conf'), configText({
    peerPort, webUiPort: webUiPort!, transport: options.transport ?? 'both', encryption: options.encryption ?? 'prefer',
    savePath: join(profile, 'downloads'),
  }));
  const proc = spawnManaged('qbittorrent-nox', [`--profile=${profile}`], { label: 'qbittorrent-nox', echoStderr: options.echoStderr });
  const webUiUrl = `http://127.0.0.1:${webUiPort}`;
  const logPath = join(profile, 'qBittorrent', 'data', 'logs', 'qbittorrent.log');

  const api = async (path: string, init?: RequestInit): Promise<Response> => {
    const response = await fetch(`${webUiUrl}/api/v2/${path}`, init);
    if (!response.ok) throw new Error(`qBittorrent ${path}: HTTP ${response.status} ${await response.text()}`);
    return response;
  };
  const form = (fields: Record<string, string>) => ({ method: 'POST', body: new URLSearchParams(fields) });

  try {
    await pollUntil(async () => {
      if (proc.hasExited) throw proc.failure('exited before its WebUI answered');
      return fetch(`${webUiUrl}/api/v2/app/version`).then((r) => (r.ok ? true : undefined), () => undefined);
    }, READY_TIMEOUT_MS, async () => `WebUI ${webUiUrl} did not answer`, 100);
  } catch (error) {
    await proc.stop();
    throw error;
  }

  const status = async (infoHash: string): Promise<ClientTorrentStatus | undefined> => {
    const list = (await (await api(`torrents/info?hashes=${infoHash}`)).json()) as Array<Record<string, unknown>>;
    const t = list[0];
    if (!t) return undefined;
    return { progress: Number(t.progress), state: String(t.state), uploadedBytes: Number(t.uploaded), downloadedBytes: Number(t.downloaded) };
  };

  const client: Qbittorrent = {
    peerPort, webUiUrl, pid: proc.pid, process: proc,
    async addTorrent(add) {
      const body = new FormData();
      body.append('torrents', new Blob([await readFile(add.torrentPath)]), 'added.torrent');
      body.append('savepath', add.savePath);
      body.append('paused', 'false');
      body.append('root_folder', 'true'); // 4.5: keep the torrent's own folder for multi-file torrents
      body.append('contentLayout', 'Original');
      if (add.seed) body.append('skip_checking', 'true');
      const text = await (await api('torrents/add', { method: 'POST', body })).text();
      if (text.trim() !== 'Ok.') throw new Error(`qBittorrent torrents/add said: ${text}`);
      const { infoHash } = await readTorrentFile(add.torrentPath);
      await pollUntil(() => status(infoHash).then((s) => (s ? true : undefined)), 10_000, async () => `torrent ${infoHash} not listed`);
      return infoHash;
    },
    status,
    async waitForComplete(infoHash, timeoutMs) {
      await pollUntil(
        () => status(infoHash).then((s) => (s && s.progress >= 1 ? true : undefined)),
        timeoutMs,
        async () => `qBittorrent torrent ${infoHash}: ${JSON.stringify(await status(infoHash))}, peers ${JSON.stringify(await client.peers(infoHash))}`,
      );
    },
    async peers(infoHash) {
      const sync = (await (await api(`sync/torrentPeers?hash=${infoHash}&rid=0`)).json()) as { peers?: Record<string, Record<string, unknown>> };
      return Object.values(sync.peers ?? {}).map((p) => ({
        ip: String(p.ip), port: Number(p.port), client: String(p.client ?? ''),
        transport: String(p.connection).includes('TP') ? 'utp' as const : 'tcp' as const, // "BT" or "μTP"
        encrypted: /E/.test(String(p.flags ?? '')), // E: encrypted traffic (e: only the handshake)
      }));
    },
    async setPreferences(preferences) {
      await api('app/setPreferences', form({ json: JSON.stringify(preferences) }));
    },
    setTransport: (transport) => client.setPreferences({ bittorrent_protocol: PROTOCOL[transport].pref }),
    setEncryption: (encryption) => client.setPreferences({ encryption: ENCRYPTION[encryption] }),
    log: () => readFile(logPath, 'utf8').catch(() => ''),
    stop: async () => void (await proc.stop()),
  };
  return client;
}
