// HTTP tracker responses (BEP 3): a bencoded dictionary. Peers come compact (BEP 23), compact
// IPv6 in `peers6` (BEP 7), or as a list of dictionaries (the original BEP 3 form).

import { bdecode, latin1Encode, type BValue } from '../bencode/index.ts';
import { utf8Decode } from '../bytes.ts';
import { toHex } from '../hex.ts';
import { TrackerError } from './errors.ts';
import { decodeCompactIPv4Peers, decodeCompactIPv6Peers, type PeerAddress } from './peers.ts';

export interface AnnounceResponse {
  readonly intervalSeconds: number;
  readonly minIntervalSeconds?: number;
  /** Opaque bytes to send back as `trackerid` on later announces. */
  readonly trackerId?: Uint8Array;
  readonly complete?: number; // seeders
  readonly incomplete?: number; // leechers
  readonly peers: PeerAddress[];
  readonly warning?: string;
}

export interface ScrapeEntry {
  readonly complete: number; // seeders
  readonly incomplete: number; // leechers
  readonly downloaded: number; // completed downloads ever
  readonly name?: string;
}

type Dict = Map<string, BValue>;

/** Parses an announce response. Throws TrackerError: 'failure' with the tracker's reason, or 'malformed'. */
export function parseAnnounceResponse(body: Uint8Array): AnnounceResponse {
  const dict = decodeTrackerDict(body);
  const intervalSeconds = optionalCount(dict, 'interval');
  if (intervalSeconds === undefined) throw new TrackerError('malformed', 'announce response has no "interval"');
  const peers = [...decodePeers(dict.get('peers')), ...decodePeers6(dict.get('peers6'))];
  const trackerId = dict.get('tracker id');
  return {
    intervalSeconds,
    minIntervalSeconds: optionalCount(dict, 'min interval'),
    trackerId: trackerId instanceof Uint8Array ? trackerId.slice() : undefined,
    complete: optionalCount(dict, 'complete'),
    incomplete: optionalCount(dict, 'incomplete'),
    peers,
    warning: optionalText(dict, 'warning message'),
  };
}

/**
 * Parses a scrape response; the result maps hex info-hashes to their counts. Entries with
 * missing counts read as 0 (several trackers omit "downloaded").
 */
export function parseScrapeResponse(body: Uint8Array): Map<string, ScrapeEntry> {
  const files = decodeTrackerDict(body).get('files');
  if (!(files instanceof Map)) throw new TrackerError('malformed', 'scrape response has no "files" dictionary');
  const entries = new Map<string, ScrapeEntry>();
  for (const [key, value] of files) {
    if (key.length !== 20 || !(value instanceof Map)) continue;
    entries.set(toHex(latin1Encode(key)), {
      complete: optionalCount(value, 'complete') ?? 0,
      incomplete: optionalCount(value, 'incomplete') ?? 0,
      downloaded: optionalCount(value, 'downloaded') ?? 0,
      name: optionalText(value, 'name'),
    });
  }
  return entries;
}

function decodeTrackerDict(body: Uint8Array): Dict {
  let value: BValue;
  try {
    value = bdecode(body);
  } catch (error) {
    throw new TrackerError('malformed', `tracker response is not valid bencode: ${(error as Error).message}`);
  }
  if (!(value instanceof Map)) throw new TrackerError('malformed', 'tracker response is not a dictionary');
  const failure = value.get('failure reason');
  if (failure !== undefined) {
    throw new TrackerError('failure', failure instanceof Uint8Array ? utf8Decode(failure) : 'tracker refused');
  }
  return value;
}

function decodePeers(peers: BValue | undefined): PeerAddress[] {
  if (peers === undefined) return [];
  if (peers instanceof Uint8Array) return decodeCompactIPv4Peers(peers);
  if (!Array.isArray(peers)) throw new TrackerError('malformed', '"peers" is neither a string nor a list');
  const addresses: PeerAddress[] = [];
  for (const entry of peers) {
    const peer = entry instanceof Map ? decodeDictPeer(entry) : undefined;
    if (peer) addresses.push(peer);
  }
  return addresses;
}

function decodePeers6(peers6: BValue | undefined): PeerAddress[] {
  if (peers6 === undefined) return [];
  if (!(peers6 instanceof Uint8Array)) throw new TrackerError('malformed', '"peers6" is not a string');
  return decodeCompactIPv6Peers(peers6);
}

/** One `{ip, port, peer id}` entry; undefined (skipped) if unusable or port 0. */
function decodeDictPeer(entry: Dict): PeerAddress | undefined {
  const ip = entry.get('ip');
  const port = entry.get('port');
  const peerId = entry.get('peer id');
  if (!(ip instanceof Uint8Array) || ip.length === 0) return undefined;
  if (typeof port !== 'number' || !Number.isInteger(port) || port <= 0 || port > 0xffff) return undefined;
  const host = utf8Decode(ip);
  return peerId instanceof Uint8Array && peerId.length === 20
    ? { host: stripBrackets(host), port, peerId: peerId.slice() }
    : { host: stripBrackets(host), port };
}

function stripBrackets(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

function optionalCount(dict: Dict, key: string): number | undefined {
  const value = dict.get(key);
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new TrackerError('malformed', `"${key}" is not a non-negative integer`);
  }
  return value;
}

function optionalText(dict: Dict, key: string): string | undefined {
  const value = dict.get(key);
  return value instanceof Uint8Array ? utf8Decode(value) : undefined;
}
