import { parseMagnet, type MagnetLink } from '../../../shared/magnet/index.ts';
import { bencode } from '../../../shared/bencode/index.ts';
import { concatBytes, utf8Encode } from '../../../shared/bytes.ts';
import type { TorrentSnapshot } from '../torrent/snapshot.ts';
import type { MetadataFetcher } from './metadata-fetcher.ts';

/** Parses a magnet for the engine, with the errors a person should read. */
export function readMagnet(uri: string): MagnetLink & { infoHash: Uint8Array; infoHashHex: string } {
  const link = parseMagnet(uri);
  if (!link.infoHash || !link.infoHashHex) throw new Error('BitTorrent v2 is not supported yet: this magnet link has no v1 info-hash.');
  return link as MagnetLink & { infoHash: Uint8Array; infoHashHex: string };
}

/**
 * A .torrent file made from fetched metadata: the info dict's raw bytes exactly as received (so
 * the info-hash stays right) and the magnet's trackers. Keys in BEP 3 sorted order.
 */
export function torrentFromMetadata(info: Uint8Array, trackers: string[]): Uint8Array {
  const parts: Uint8Array[] = [utf8Encode('d')];
  if (trackers.length > 0) {
    parts.push(bencode('announce'), bencode(trackers[0]!));
    parts.push(bencode('announce-list'), bencode(trackers.map((t) => [t])));
  }
  parts.push(bencode('info'), info, utf8Encode('e'));
  return concatBytes(parts);
}

/** How a magnet still waiting for its metadata looks in the list. */
export function pendingSnapshot(link: MagnetLink & { infoHashHex: string }, fetcher: MetadataFetcher | undefined): TorrentSnapshot {
  return {
    infoHashHex: link.infoHashHex, name: link.displayName ?? link.infoHashHex,
    state: fetcher ? 'metadata' : 'stopped', totalBytes: 0, wantedBytes: 0, verifiedBytes: 0, progress: 0,
    downloadBps: 0, uploadBps: 0, downloadedBytes: 0, uploadedBytes: 0, wastedBytes: 0, etaSeconds: null,
    peerCount: fetcher?.peers.size ?? 0, knownPeers: fetcher?.swarm.size ?? 0, pieceCount: 0, pieceLength: 0,
    files: [], peers: [], trackers: (fetcher?.trackerStatuses ?? []).map((t) => ({ url: t.url, peers: t.peers, error: t.error })),
    warnings: [],
  };
}
