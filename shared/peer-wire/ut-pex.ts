// BEP 11 — peer exchange (ut_pex), carried in BEP 10 extended messages: a bencoded dict of the
// peers the sender connected to (`added`, compact IPv4; `added6`, compact IPv6) and lost
// (`dropped`, `dropped6`) since its previous message, with a flags byte per added peer
// (`added.f`, `added6.f`; libtorrent ignores `added` without it).
import { bdecode, bencode, type BValue } from '../bencode/index.ts';
import { encodeCompactPeer, encodeCompactPeer6 } from '../dht/compact.ts';
import { concatBytes } from '../bytes.ts';
import { decodeCompactIPv4Peers, decodeCompactIPv6Peers, type PeerAddress } from '../tracker/peers.ts';
import { PeerWireError } from './errors.ts';

export const UT_PEX = 'ut_pex';
/** BEP 11: at most 50 added and 50 dropped peers per message; more is a flood. */
export const MAX_PEX_PEERS = 50;

/** BEP 11's flags of an added peer. */
export const PexFlag = {
  /** It prefers encrypted connections. */
  ENCRYPTION: 0x01,
  /** A seed (or upload only): a seed need not dial it. */
  SEED: 0x02,
  UTP: 0x04,
  HOLEPUNCH: 0x08,
  /** The sender dialled it: it accepts connections. */
  REACHABLE: 0x10,
} as const;

export interface PexPeer extends PeerAddress {
  /** PexFlag bits; 0 when the sender gave none. */
  flags?: number;
}

export interface PexMessage {
  added: PexPeer[];
  dropped: PeerAddress[];
}

/** Encodes IPv4 and IPv6 peers with their flags (other addresses are left out); each list is cut to MAX_PEX_PEERS. */
export function encodePexMessage(message: PexMessage): Uint8Array {
  const dict = new Map<string, BValue>();
  const added4 = compactWithFlags(message.added, encodeCompactPeer);
  const added6 = compactWithFlags(message.added, encodeCompactPeer6);
  const dropped4 = compactWithFlags(message.dropped, encodeCompactPeer);
  const dropped6 = compactWithFlags(message.dropped, encodeCompactPeer6);
  dict.set('added', added4.entries);
  dict.set('added.f', added4.flags);
  if (added6.flags.length > 0) {
    dict.set('added6', added6.entries);
    dict.set('added6.f', added6.flags);
  }
  dict.set('dropped', dropped4.entries);
  if (dropped6.flags.length > 0) dict.set('dropped6', dropped6.entries);
  return bencode(dict);
}

/**
 * Decodes a ut_pex payload. A payload that is not a dictionary, or a list that is not whole
 * compact entries, is a PeerWireError ('bad-pex'); a list longer than MAX_PEX_PEERS is cut.
 */
export function decodePexMessage(payload: Uint8Array): PexMessage {
  let value: BValue;
  try {
    value = bdecode(payload, { maxDepth: 4 });
  } catch (error) {
    throw new PeerWireError('bad-pex', `ut_pex: ${(error as Error).message}`);
  }
  if (!(value instanceof Map)) throw new PeerWireError('bad-pex', 'ut_pex message is not a dictionary');
  return {
    added: [...peers(value, 'added', 6, decodeCompactIPv4Peers), ...peers(value, 'added6', 18, decodeCompactIPv6Peers)].slice(0, MAX_PEX_PEERS),
    dropped: [...peers(value, 'dropped', 6, decodeCompactIPv4Peers), ...peers(value, 'dropped6', 18, decodeCompactIPv6Peers)]
      .slice(0, MAX_PEX_PEERS).map(({ host, port }) => ({ host, port })),
  };
}

function compactWithFlags(addresses: readonly PexPeer[], encode: (peer: PeerAddress) => Uint8Array | undefined): { entries: Uint8Array; flags: Uint8Array } {
  const entries: Uint8Array[] = [];
  const flags: number[] = [];
  for (const address of addresses) {
    if (entries.length >= MAX_PEX_PEERS) break;
    const entry = encode(address);
    if (!entry) continue;
    entries.push(entry);
    flags.push((address.flags ?? 0) & 0xff);
  }
  return { entries: concatBytes(entries), flags: Uint8Array.from(flags) };
}

/** The list `key` with each entry's flags from `key.f` (0 where missing). */
function peers(dict: Map<string, BValue>, key: string, entryBytes: number, decode: (bytes: Uint8Array) => PeerAddress[]): PexPeer[] {
  const bytes = dict.get(key);
  if (bytes === undefined) return [];
  if (!(bytes instanceof Uint8Array)) throw new PeerWireError('bad-pex', `ut_pex "${key}" is not a byte string`);
  if (bytes.length % entryBytes !== 0) throw new PeerWireError('bad-pex', `ut_pex "${key}" of ${bytes.length} bytes is not whole ${entryBytes}-byte entries`);
  const flags = dict.get(`${key}.f`);
  const result: PexPeer[] = [];
  const count = Math.min(MAX_PEX_PEERS, bytes.length / entryBytes); // more than that: a flood, cut
  for (let i = 0; i < count; i++) {
    const [peer] = decode(bytes.subarray(i * entryBytes, (i + 1) * entryBytes)); // none for port 0
    if (peer) result.push({ ...peer, flags: flags instanceof Uint8Array ? flags[i] ?? 0 : 0 });
  }
  return result;
}
