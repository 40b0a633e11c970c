// BEP 10 extension handshake: the payload of EXTENDED message id 0, a bencoded dictionary.
//   m: { extension name → the sender's message id for it; 0 disables it }
//   v: client name and version; reqq: how many outstanding requests the sender allows;
//   p: the sender's listen port; metadata_size (BEP 9); yourip: our address as the sender sees it.

import { bdecode, bencode, type BValue } from '../bencode/index.ts';
import { utf8Decode, utf8Encode } from '../bytes.ts';
import { PeerWireError } from './errors.ts';

export interface ExtendedHandshake {
  /** Extension name → message id (1–255; 0 means the extension is disabled). */
  readonly m: ReadonlyMap<string, number>;
  readonly v?: string;
  readonly reqq?: number;
  readonly p?: number;
  readonly metadataSize?: number;
  /** 4 (IPv4) or 16 (IPv6) address bytes. */
  readonly yourip?: Uint8Array;
}

export function encodeExtendedHandshake(handshake: ExtendedHandshake): Uint8Array {
  const m = new Map<string, BValue>();
  for (const name of [...handshake.m.keys()].sort()) m.set(name, handshake.m.get(name)!);
  // BEP 3 dictionaries are sorted by key: build them in order.
  const dict = new Map<string, BValue>();
  dict.set('m', m);
  if (handshake.metadataSize !== undefined) dict.set('metadata_size', handshake.metadataSize);
  if (handshake.p !== undefined) dict.set('p', handshake.p);
  if (handshake.reqq !== undefined) dict.set('reqq', handshake.reqq);
  if (handshake.v !== undefined) dict.set('v', utf8Encode(handshake.v));
  if (handshake.yourip !== undefined) dict.set('yourip', handshake.yourip);
  return bencode(dict);
}

/**
 * Decodes a peer's extension handshake. Only a payload that is not a bencoded dictionary is an
 * error (PeerWireError 'bad-extended-handshake'); fields of the wrong type or range are ignored,
 * as clients disagree on the optional ones.
 */
export function decodeExtendedHandshake(payload: Uint8Array): ExtendedHandshake {
  let value: BValue;
  try {
    value = bdecode(payload);
  } catch (error) {
    throw new PeerWireError('bad-extended-handshake', `extension handshake: ${(error as Error).message}`);
  }
  if (!(value instanceof Map)) {
    throw new PeerWireError('bad-extended-handshake', 'extension handshake is not a dictionary');
  }
  const v = value.get('v');
  const yourip = value.get('yourip');
  return {
    m: decodeExtensionIds(value.get('m')),
    v: v instanceof Uint8Array ? utf8Decode(v) : undefined,
    reqq: integerIn(value.get('reqq'), 1, Number.MAX_SAFE_INTEGER),
    p: integerIn(value.get('p'), 1, 0xffff),
    metadataSize: integerIn(value.get('metadata_size'), 0, Number.MAX_SAFE_INTEGER),
    yourip: yourip instanceof Uint8Array && (yourip.length === 4 || yourip.length === 16) ? yourip : undefined,
  };
}

function decodeExtensionIds(m: BValue | undefined): Map<string, number> {
  const ids = new Map<string, number>();
  if (!(m instanceof Map)) return ids;
  for (const [name, id] of m) {
    const checked = integerIn(id, 0, 0xff);
    if (checked !== undefined) ids.set(name, checked);
  }
  return ids;
}

function integerIn(value: BValue | undefined, min: number, max: number): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max ? value : undefined;
}
