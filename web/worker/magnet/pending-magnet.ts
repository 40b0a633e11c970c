import { parseMagnet, type MagnetLink } from '../../../shared/magnet/index.ts';
import { bencode } from '../../../shared/bencode/index.ts';
import { concatBytes, utf8Encode } from '../../../shared/bytes.ts';

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
