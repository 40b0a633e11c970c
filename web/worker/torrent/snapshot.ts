import { fileProgressBytes } from './file-selection.ts';
import type { Torrent } from './torrent.ts';

// Plain data describing a torrent for the UI (crosses postMessage, so no classes).
export interface FileSnapshot {
  index: number;
  path: string;
  length: number;
  doneBytes: number;
  selected: boolean;
  padding: boolean;
}

export interface PeerSnapshot {
  address: string;
  client: string;
  downloadBps: number;
  uploadBps: number;
  progress: number; // 0..1
  inbound: boolean;
  choked: boolean; // they choke us
  requests: number;
}

export interface TorrentSnapshot {
  infoHashHex: string;
  name: string;
  /** 'metadata': a magnet link whose info dict is being fetched from peers (BEP 9). */
  state: 'stopped' | 'downloading' | 'seeding' | 'error' | 'metadata';
  error?: string;
  totalBytes: number;
  wantedBytes: number;
  verifiedBytes: number;
  progress: number; // 0..1 of the wanted bytes
  downloadBps: number;
  uploadBps: number;
  downloadedBytes: number;
  uploadedBytes: number;
  wastedBytes: number;
  etaSeconds: number | null;
  peerCount: number;
  knownPeers: number;
  pieceCount: number;
  pieceLength: number;
  files: FileSnapshot[];
  peers: PeerSnapshot[];
  trackers: { url: string; peers: number; error?: string }[];
  warnings: string[];
}

export function snapshotTorrent(torrent: Torrent): TorrentSnapshot {
  const meta = torrent.meta;
  const left = torrent.leftBytes;
  const wantedBytes = torrent.wantedBytes;
  const doneWanted = Math.max(0, wantedBytes - left);
  const downloadBps = torrent.downloadRate.bytesPerSecond;
  const fileDone = fileProgressBytes(meta, torrent.have);
  return {
    infoHashHex: meta.infoHashHex,
    name: meta.name,
    state: torrent.state,
    error: torrent.error,
    totalBytes: meta.totalLength,
    wantedBytes,
    verifiedBytes: torrent.verifiedBytes,
    progress: wantedBytes === 0 ? 1 : doneWanted / wantedBytes,
    downloadBps,
    uploadBps: torrent.uploadRate.bytesPerSecond,
    downloadedBytes: torrent.downloadedBytes,
    uploadedBytes: torrent.uploadedBytes,
    wastedBytes: torrent.wastedBytes,
    etaSeconds: left === 0 ? 0 : downloadBps > 1 ? Math.round(left / downloadBps) : null,
    peerCount: torrent.peers.size,
    knownPeers: torrent.swarm.size,
    pieceCount: meta.pieceCount,
    pieceLength: meta.pieceLength,
    files: meta.files.map((file) => ({
      index: file.index, path: file.path, length: file.length, doneBytes: Math.min(file.length, fileDone[file.index] ?? 0),
      selected: torrent.selectedFiles[file.index] !== false, padding: file.padding,
    })),
    peers: [...torrent.peers.values()].map((peer) => ({
      address: peer.key, client: peer.clientName, downloadBps: peer.downloadRate.bytesPerSecond,
      uploadBps: peer.uploadRate.bytesPerSecond, progress: peer.bitfield.count / Math.max(1, meta.pieceCount),
      inbound: peer.inbound, choked: peer.peerChoking, requests: peer.requests.size,
    })),
    trackers: torrent.trackerStatuses.map((t) => ({ url: t.url, peers: t.peers, error: t.error })),
    warnings: torrent.warnings.slice(-10),
  };
}
