// The UI's view of the engine's torrents (protocol.ts), built from the public getters of Engine and
// Torrent: each torrent's metadata, list stats and details, and those of magnets still fetching
// their metadata. Only this side imports Torrent; the torrent knows nothing of the UI.
import type { Engine, PendingMagnet } from '../engine.ts';
import type { Torrent } from '../torrent/torrent.ts';
import type { TrackerStatus } from '../torrent/announcer.ts';
import { fileProgressBytes } from '../torrent/file-selection.ts';
import { describeConnection } from '../peer/connection-description.ts';
import type { TorrentDetails, TorrentMetadata, TorrentStats, TrackerInfo } from '../protocol.ts';

const MAX_WARNINGS_SHOWN = 10;

/** One entry of the list, as the state poster compares and sends it. */
export interface ListedTorrent {
  infoHashHex: string;
  /** The object behind the entry: another one (a magnet became a torrent) means new metadata. */
  source: object;
  metadata(): TorrentMetadata;
  stats(): TorrentStats;
  details(): TorrentDetails;
}

/** The engine's list: magnets waiting for their metadata first, then torrents in the order added. */
export function listTorrents(engine: Engine): ListedTorrent[] {
  const magnets = engine.pendingMagnets().map((magnet): ListedTorrent => ({
    infoHashHex: magnet.link.infoHashHex, source: magnet,
    metadata: () => magnetMetadata(magnet), stats: () => magnetStats(magnet), details: () => magnetDetails(magnet),
  }));
  const torrents = engine.list().map((torrent): ListedTorrent => ({
    infoHashHex: torrent.meta.infoHashHex, source: torrent,
    metadata: () => torrentMetadata(torrent), stats: () => torrentStats(torrent), details: () => torrentDetails(torrent),
  }));
  return [...magnets, ...torrents];
}

export function torrentMetadata(torrent: Torrent): TorrentMetadata {
  const meta = torrent.meta;
  return {
    infoHashHex: meta.infoHashHex, name: meta.name, totalBytes: meta.totalLength, pieceCount: meta.pieceCount,
    pieceLength: meta.pieceLength,
    files: meta.files.map((file) => ({ index: file.index, path: file.path, length: file.length, padding: file.padding })),
  };
}

export function torrentStats(torrent: Torrent): TorrentStats {
  const left = torrent.leftBytes;
  const wantedBytes = torrent.wantedBytes;
  const downloadBps = torrent.downloadRate.bytesPerSecond;
  return {
    infoHashHex: torrent.meta.infoHashHex,
    state: torrent.awaitingChoice ? 'choosing' : torrent.state,
    ...(torrent.error === undefined ? {} : { error: torrent.error }),
    ...(torrent.stopReason === undefined ? {} : { stopReason: torrent.stopReason }),
    wantedBytes,
    verifiedBytes: torrent.verifiedBytes,
    progress: wantedBytes === 0 ? 1 : Math.max(0, wantedBytes - left) / wantedBytes,
    downloadBps,
    uploadBps: torrent.uploadRate.bytesPerSecond,
    downloadedBytes: torrent.downloadedBytes,
    uploadedBytes: torrent.uploadedBytes,
    wastedBytes: torrent.wastedBytes,
    etaSeconds: left === 0 ? 0 : downloadBps > 1 ? Math.round(left / downloadBps) : null,
    peerCount: torrent.peers.size,
    knownPeers: torrent.swarm.size,
    sequential: torrent.sequential,
  };
}

export function torrentDetails(torrent: Torrent): TorrentDetails {
  const meta = torrent.meta;
  const fileDone = fileProgressBytes(meta, torrent.have);
  return {
    infoHashHex: meta.infoHashHex,
    files: meta.files.map((file) => ({
      index: file.index, doneBytes: Math.min(file.length, fileDone[file.index] ?? 0),
      selected: torrent.selectedFiles[file.index] !== false, priority: torrent.filePriorities[file.index] ?? 'normal',
    })),
    peers: [...torrent.peers.values()].map((peer) => ({
      address: peer.key, client: peer.clientName, downloadBps: peer.downloadRate.bytesPerSecond,
      uploadBps: peer.uploadRate.bytesPerSecond, progress: peer.bitfield.count / Math.max(1, meta.pieceCount),
      inbound: peer.inbound, choked: peer.peerChoking, requests: peer.requests.size, ...describeConnection(peer.stream),
    })),
    trackers: trackerInfo(torrent.trackerStatuses),
    warnings: torrent.warnings.slice(-MAX_WARNINGS_SHOWN),
    limits: { ...torrent.throttle.overrides },
    seedingSeconds: Math.floor(torrent.seedingClock.seedingMs / 1000),
  };
}

/** A magnet link before its metadata: only its info-hash and display name (BEP 9) are known. */
export function magnetMetadata(magnet: Readonly<PendingMagnet>): TorrentMetadata {
  const link = magnet.link;
  return { infoHashHex: link.infoHashHex, name: link.displayName ?? link.infoHashHex, totalBytes: 0, pieceCount: 0, pieceLength: 0, files: [] };
}

export function magnetStats(magnet: Readonly<PendingMagnet>): TorrentStats {
  const fetcher = magnet.fetcher;
  return {
    infoHashHex: magnet.link.infoHashHex, state: fetcher ? 'metadata' : 'stopped', wantedBytes: 0, verifiedBytes: 0,
    progress: 0, downloadBps: 0, uploadBps: 0, downloadedBytes: 0, uploadedBytes: 0, wastedBytes: 0, etaSeconds: null,
    peerCount: fetcher?.peers.size ?? 0, knownPeers: fetcher?.swarm.size ?? 0, sequential: false,
  };
}

export function magnetDetails(magnet: Readonly<PendingMagnet>): TorrentDetails {
  return { infoHashHex: magnet.link.infoHashHex, files: [], peers: [], trackers: trackerInfo(magnet.fetcher?.trackerStatuses ?? []), warnings: [], limits: {}, seedingSeconds: 0 };
}

function trackerInfo(statuses: readonly TrackerStatus[]): TrackerInfo[] {
  return statuses.map(({ url, tier, peers, seeders, leechers, downloaded, warning, error }) => ({
    url, tier, peers,
    ...(seeders === undefined ? {} : { seeders }), ...(leechers === undefined ? {} : { leechers }),
    ...(downloaded === undefined ? {} : { downloaded }),
    ...(warning === undefined ? {} : { warning }), ...(error === undefined ? {} : { error }),
  }));
}
