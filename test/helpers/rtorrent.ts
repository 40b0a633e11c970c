// rtorrent 0.9.8 (Debian) as an independent peer, headless: `rtorrent -n -o import=RC` with a written
// rc (system.daemon.set, no curses), driven over XML-RPC on a local SCGI socket (a tiny client below).
// Confined to loopback (127.0.0.2 by default, see `host`): no DHT, no PEX, no UDP trackers; trackers come from the .torrent. rtorrent
// has no uTP: TCP only, plaintext or MSE (encryption 'require' refuses plaintext both ways).
import { mkdir, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { join } from 'node:path';
import { spawnManaged, type ManagedProcess } from './proc.ts';
import { makeTempDir } from './temp.ts';

const READY_TIMEOUT_MS = 10_000;
const CALL_TIMEOUT_MS = 5_000;
const MAX_RESPONSE_BYTES = 1024 * 1024;

export type RtorrentEncryption = 'prefer' | 'require';

const ENCRYPTION_FLAGS: Record<RtorrentEncryption, string> = {
  prefer: 'allow_incoming,try_outgoing,enable_retry',
  require: 'allow_incoming,try_outgoing,require,require_RC4',
};

export interface RtorrentOptions {
  /** TCP listen port (rtorrent takes a range; take one from getFreePort()). */
  port: number;
  /**
   * The loopback address it binds, dials from and announces from; default 127.0.0.2. Not 127.0.0.1:
   * the tracker lists rtorrent to itself, and after that "is self" handshake rtorrent dials no other
   * peer at the same IP (our gateway on 127.0.0.1), not even one given by add_peer.
   */
  host?: string;
  encryption?: RtorrentEncryption;
}

export interface RtorrentDownloadStatus {
  complete: boolean;
  completedBytes: number;
  sizeBytes: number;
  uploadedBytes: number;
  peers: number;
  /** rtorrent's last message for the torrent (tracker errors and the like), '' if none. */
  message: string;
}

export interface Rtorrent {
  host: string;
  port: number;
  pid: number;
  /** Loads and starts a torrent whose content lives (or is to be written) in dataDir; its info-hash. */
  add(torrentPath: string, dataDir: string): Promise<string>;
  status(infoHash: string): Promise<RtorrentDownloadStatus>;
  /** Resolves once the torrent is complete (a seeder: once its hash check passed). */
  waitForComplete(infoHash: string, timeoutMs: number): Promise<RtorrentDownloadStatus>;
  /** A raw XML-RPC call (string and integer parameters). */
  call(method: string, ...params: Array<string | number>): Promise<XmlRpcValue>;
  stop(): Promise<void>;
  process: ManagedProcess;
}

export async function startRtorrent(options: RtorrentOptions): Promise<Rtorrent> {
  const host = options.host ?? '127.0.0.2';
  const home = await makeTempDir('rtorrent');
  const session = join(home, 'session');
  const socket = join(home, 'scgi.sock');
  await mkdir(session, { recursive: true });
  const rc = join(home, 'rtorrent.rc');
  await writeFile(rc, [
    `directory.default.set = ${home}`,
    `session.path.set = ${session}`,
    `network.port_range.set = ${options.port}-${options.port}`,
    'network.port_random.set = no',
    `network.bind_address.set = ${host}`,
    `network.local_address.set = ${host}`,
    `protocol.encryption.set = ${ENCRYPTION_FLAGS[options.encryption ?? 'prefer']}`,
    'dht.mode.set = disable',
    'protocol.pex.set = no',
    'trackers.use_udp.set = no',
    // Unlimited slots: a few loopback peers, none choked.
    'throttle.max_uploads.set = 100',
    'throttle.max_uploads.global.set = 100',
    `network.scgi.open_local = ${socket}`,
    'system.daemon.set = true',
    `log.open_file = main, ${join(home, 'rtorrent.log')}`,
    'log.add_output = info, main',
    '',
  ].join('\n'));
  const proc = spawnManaged('rtorrent', ['-n', '-o', `import=${rc}`], { label: 'rtorrent', env: { ...process.env, HOME: home } });
  const call = (method: string, ...params: Array<string | number>) => xmlRpcCall(socket, method, params);
  try {
    await waitForAnswer(call, proc);
  } catch (err) {
    await proc.stop();
    throw err;
  }

  const status = async (hash: string): Promise<RtorrentDownloadStatus> => {
    const h = hash.toUpperCase();
    const [complete, completedBytes, sizeBytes, uploadedBytes, peers, message] = await Promise.all([
      call('d.complete', h), call('d.completed_bytes', h), call('d.size_bytes', h), call('d.up.total', h), call('d.peers_connected', h), call('d.message', h),
    ]);
    return { complete: complete === 1, completedBytes: Number(completedBytes), sizeBytes: Number(sizeBytes), uploadedBytes: Number(uploadedBytes), peers: Number(peers), message: String(message) };
  };
  return {
    host,
    port: options.port,
    pid: proc.pid,
    async add(torrentPath, dataDir) {
      const before = new Set(await call('download_list') as string[]);
      await call('load.start_verbose', '', torrentPath, `d.directory.set="${dataDir}"`);
      for (const deadline = Date.now() + CALL_TIMEOUT_MS; Date.now() < deadline;) {
        const added = (await call('download_list') as string[]).find((hash) => !before.has(hash));
        if (added) return added.toLowerCase();
        await new Promise((r) => setTimeout(r, 50));
      }
      throw proc.failure(`rtorrent did not load ${torrentPath}`);
    },
    status,
    async waitForComplete(hash, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const now = await status(hash);
        if (now.complete) return now;
        if (Date.now() > deadline) throw proc.failure(`torrent not complete in ${timeoutMs} ms: ${JSON.stringify(now)}`);
        await new Promise((r) => setTimeout(r, 200));
      }
    },
    call,
    stop: async () => void (await proc.stop()),
    process: proc,
  };
}

async function waitForAnswer(call: Rtorrent['call'], proc: ManagedProcess): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    if (proc.hasExited) throw proc.failure('exited before its SCGI socket answered');
    try {
      await call('system.client_version');
      return;
    } catch (err) {
      if (Date.now() > deadline) throw proc.failure(`SCGI socket did not answer in ${READY_TIMEOUT_MS} ms: ${String(err)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

// --- XML-RPC over SCGI: just what the helper needs (string and integer parameters; integers,
// strings and arrays back). SCGI: a netstring of NUL-separated headers, then the body; the answer is
// CGI-style headers, a blank line, then the XML.

export type XmlRpcValue = number | string | XmlRpcValue[];

export class XmlRpcFault extends Error {
  constructor(readonly method: string, readonly faultString: string) {
    super(`${method}: ${faultString}`);
  }
}

function encodeCall(method: string, params: ReadonlyArray<string | number>): string {
  const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const value = (p: string | number) => typeof p === 'number' ? `<i8>${p}</i8>` : `<string>${escape(p)}</string>`;
  return `<?xml version="1.0"?><methodCall><methodName>${method}</methodName><params>${params.map((p) => `<param><value>${value(p)}</value></param>`).join('')}</params></methodCall>`;
}

function xmlRpcCall(socketPath: string, method: string, params: ReadonlyArray<string | number>): Promise<XmlRpcValue> {
  const body = Buffer.from(encodeCall(method, params));
  const headers = Buffer.from(`CONTENT_LENGTH\0${body.length}\0SCGI\x001\0`);
  const request = Buffer.concat([Buffer.from(`${headers.length}:`), headers, Buffer.from(','), body]);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let received = 0;
    const socket = connect(socketPath);
    socket.setTimeout(CALL_TIMEOUT_MS, () => socket.destroy(new Error(`${method}: no answer in ${CALL_TIMEOUT_MS} ms`)));
    socket.on('data', (chunk) => {
      received += chunk.length;
      if (received > MAX_RESPONSE_BYTES) return socket.destroy(new Error(`${method}: answer over ${MAX_RESPONSE_BYTES} bytes`));
      chunks.push(chunk);
    });
    socket.on('error', reject);
    socket.on('end', () => {
      try {
        resolve(decodeResponse(method, Buffer.concat(chunks).toString('utf8')));
      } catch (err) {
        reject(err);
      }
    });
    socket.end(request);
  });
}

function decodeResponse(method: string, text: string): XmlRpcValue {
  const xml = text.slice(text.indexOf('<?xml'));
  if (xml.includes('<fault>')) throw new XmlRpcFault(method, /<name>faultString<\/name>\s*<value>(?:<string>)?([^<]*)/.exec(xml)?.[1] ?? xml);
  const tokens = (xml.match(/<\/?(?:array|data|value|i4|i8|int|string)>|<(?:string|data)\/>|[^<]+/g) ?? [])
    .filter((token, i, all) => token.trim() !== '' || all[i - 1] === '<string>'); // layout between tags
  let at = tokens.indexOf('<value>');
  if (at < 0) throw new XmlRpcFault(method, `no value in ${xml.slice(0, 200)}`);
  const parseValue = (): XmlRpcValue => {
    at++; // past <value>
    let result: XmlRpcValue = '';
    const token = tokens[at];
    if (token === '<array>') {
      at += 1;
      const items: XmlRpcValue[] = [];
      if (tokens[at] === '<data/>') at++;
      else {
        at++; // <data>
        while (tokens[at] === '<value>') items.push(parseValue());
        at++; // </data>
      }
      at++; // </array>
      result = items;
    } else if (token === '<i4>' || token === '<i8>' || token === '<int>') {
      result = Number(tokens[at + 1]);
      at += 3;
    } else if (token === '<string>') {
      if (tokens[at + 1] === '</string>') at += 2;
      else { result = unescape(tokens[at + 1]!); at += 3; }
    } else if (token === '<string/>') {
      at++;
    } else if (token !== '</value>') {
      result = unescape(token ?? ''); // a bare value is a string
      at++;
    }
    at++; // </value>
    return result;
  };
  return parseValue();
}

function unescape(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
}
