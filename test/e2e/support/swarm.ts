// What an e2e test downloads from: deterministic data files, a torrent made by mktorrent that names a
// bittorrent-tracker on 127.0.0.1, a libtorrent seeder (seed mode, TCP), and the real gateway
// process serving the built app. Everything listens on 127.0.0.1 inside the test's network namespace.
import { join } from 'node:path';
import { expectedSha256, sha256File, writeDataFiles, type DataFileSpec } from '../../helpers/data-files.ts';
import { startGatewayProcess, type GatewayProcess } from '../../helpers/gateway-process.ts';
import { startLibtorrentSeeder, type LibtorrentPeer } from '../../helpers/libtorrent.ts';
import { makeTorrent, type MadeTorrent } from '../../helpers/make-torrent.ts';
import { makeTempDir } from '../../helpers/temp.ts';
import { startTracker, type TestTracker } from '../../helpers/tracker.ts';

const DATA_SEED = 'tabtorrent-e2e';

export interface SwarmOptions {
  /** The torrent's name: the single file's name, or the top directory of a multi-file torrent. */
  name: string;
  /**
   * Files relative to the torrent's root. A single entry whose path equals `name` (and `multiFile`
   * not set) makes a single-file torrent.
   */
  files: readonly DataFileSpec[];
  multiFile?: boolean;
  /** log2 of the piece length (default 16: 64 KiB). */
  pieceLengthExp?: number;
  /** The seeder's upload limit in bytes/s (0 or undefined: none). */
  uploadLimitBytesPerSec?: number;
  /** Changes the written files before the torrent is made (e.g. gives one a media header). */
  rewrite?: (rootDir: string) => Promise<void>;
}

export interface ExpectedFile {
  /** Path as the torrent names it: `name` for a single file, `name/dir/file` for a multi-file torrent. */
  torrentPath: string;
  /** Path inside the torrent's root (without the torrent's name) — '' for a single-file torrent. */
  innerPath: string;
  size: number;
  sha256: string;
}

export interface E2eSwarm {
  torrent: MadeTorrent;
  files: ExpectedFile[];
  tracker: TestTracker;
  seeder: LibtorrentPeer;
  stop(): Promise<void>;
}

export async function startSwarm(options: SwarmOptions): Promise<E2eSwarm> {
  const workDir = await makeTempDir('e2e-swarm');
  const seedDir = join(workDir, 'seed');
  const multiFile = options.multiFile ?? !(options.files.length === 1 && options.files[0]!.path === options.name);
  const rootDir = multiFile ? join(seedDir, options.name) : seedDir;
  const written = await writeDataFiles(rootDir, options.files, DATA_SEED);
  await options.rewrite?.(rootDir);

  const tracker = await startTracker();
  const torrent = await makeTorrent({
    sourcePath: multiFile ? rootDir : join(seedDir, options.name),
    outFile: join(workDir, `${options.name}.torrent`),
    pieceLengthExp: options.pieceLengthExp ?? 16,
    trackers: [tracker.httpAnnounceUrl],
  });
  const seeder = await startLibtorrentSeeder({
    torrentPath: torrent.torrentPath,
    dataDir: seedDir,
    seedMode: true,
    tcpOnly: true,
    uploadLimitBytesPerSec: options.uploadLimitBytesPerSec,
    statusIntervalMs: 200,
  });
  const files = await Promise.all(written.map(async (f) => ({
    torrentPath: multiFile ? `${options.name}/${f.path}` : options.name,
    innerPath: multiFile ? f.path : '',
    size: f.size,
    sha256: options.rewrite ? await sha256File(f.absPath) : expectedSha256(DATA_SEED, f.path, f.size),
  })));
  return {
    torrent,
    files,
    tracker,
    seeder,
    stop: async () => {
      await seeder.stop();
      await tracker.close();
    },
  };
}

/** The real gateway, allowed to relay to 127.0.0.1 (where the tracker and seeder listen). */
export function startGateway(extraArgs: readonly string[] = []): Promise<GatewayProcess> {
  return startGatewayProcess({ allowPrivate: true, extraArgs });
}

/** A new gateway process on the same HTTP port, token and peer port as `old` (after old.stop()). */
export function restartGatewayLike(old: Pick<GatewayProcess, 'port' | 'token' | 'peerPort'>): Promise<GatewayProcess> {
  return startGateway(['--port', String(old.port), '--token', old.token, '--peer-port', String(old.peerPort)]);
}

/** Bytes the seeder has sent so far (payload and protocol; sampled every 200 ms). */
export function seederUploaded(swarm: E2eSwarm): number {
  return swarm.seeder.stats()?.total_upload ?? 0;
}
