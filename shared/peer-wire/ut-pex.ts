// BEP 11 — peer exchange (ut_pex), carried in BEP 10 extended messages: a bencoded dict of the
// peers the sender connected to (`added`, compact IPv4; `added6`, compact IPv6) and lost
// (`dropped`, `dropped6`) since its previous message, with a flags byte per added peer
// (`added.f`; libtorrent ignores `added` without it). We send no flags and read none.
import { bdecode, bencode, type BValue } from '../bencode/index.ts';
import { encodeCompactPeer } from '../dht/compact.ts';
import { concatBytes } from '../bytes.ts';
import { decodeCompactIPv4Peers, decodeCompactIPv6Peers, type PeerAddress } from '../tracker/peers.ts';
import { PeerWireError } from './errors.ts';

export const UT_PEX = 'ut_pex';
/** BEP 11: at most 50 added and 50 dropped peers per message; more is a flood. */
export const MAX_PEX_PEERS = 50;

export interface PexMessage {
  added: PeerAddress[];
  dropped: PeerAddress[];
}

/** Encodes IPv4 peers (others are left out); each list is cut to MAX_PEX_PEERS. */
export function encodePexMessage(message: PexMessage): Uint8Array {
  const dict = new Map<string, BValue>();
  const added = compact(message.added);
  dict.set('added', added);
  dict.set('added.f', new Uint8Array(added.length / 6));
  dict.set('dropped', compact(message.dropped));
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
    dropped: [...peers(value, 'dropped', 6, decodeCompactIPv4Peers), ...peers(value, 'dropped6', 18, decodeCompactIPv6Peers)].slice(0, MAX_PEX_PEERS),
  };
}

function compact(addresses: readonly PeerAddress[]): Uint8Array {
  const entries: Uint8Array[] = [];
  for (const address of addresses) {
    if (entries.length >= MAX_PEX_PEERS) break;
    const entry = encodeCompactPeer(address);
    if (entry) entries.push(entry);
  }
  return concatBytes(entries);
}

function peers(dict: Map<string, BValue>, key: string, entryBytes: number, decode: (bytes: Uint8Array) => PeerAddress[]): PeerAddress[] {
  const bytes = dict.get(key);
  if (bytes === undefined) return [];
  if (!(bytes instanceof Uint8Array)) throw new PeerWireError('bad-pex', `ut_pex "${key}" is not a byte string`);
  if (bytes.length % entryBytes !== 0) throw new PeerWireError('bad-pex', `ut_pex "${key}" of ${bytes.length} bytes is not whole ${entryBytes}-byte entries`);
  return decode(bytes.subarray(0, MAX_PEX_PEERS * entryBytes)); // more than that: a flood, cut
}
