// KRPC (BEP 5): bencoded dictionaries over UDP. `t` transaction id, `y` q/r/e; queries ping,
// find_node, get_peers, announce_peer; responses carry `id` and optionally `nodes` (compact
// 26-byte node infos), `values` (compact 6-byte peers) and `token`; errors `e: [code, message]`.
// BEP 32: `want` (n4/n6) in queries, `nodes6` (38-byte IPv6 node infos) and 18-byte `values`.
// BEP 42: a response's top-level `ip`, the requester's address as we saw it. Hostile input is
// refused with a KrpcError.

import { BencodeError, BencodeFieldError, bdecode, bencode, getBytes, getDict, getInt, getList, isBDict, type BDict, type BEncodable } from '../bencode/index.ts';
import { utf8Decode } from '../bytes.ts';
import { decodeCompactIPv4Peers, decodeCompactIPv6Peers, type PeerAddress } from '../tracker/peers.ts';
import { TrackerError } from '../tracker/errors.ts';
import { NODE_ID_BYTES } from './node-id.ts';
import {
  CompactError, decodeCompactAddress, decodeCompactNodes, decodeCompactNodes6, encodeCompactAddress, encodeCompactNodes, encodeCompactNodes6,
  type DhtContact,
} from './compact.ts';

export const MAX_KRPC_MESSAGE_BYTES = 8192;
export const MAX_VALUES = 200;
const MAX_TRANSACTION_ID_BYTES = 32;
const MAX_TOKEN_BYTES = 64;
const MAX_ERROR_MESSAGE_BYTES = 512;
const MAX_DEPTH = 8;
const MAX_WANTS = 4;

/** BEP 32 `want`: which families of nodes the querier asks for. */
export type DhtWant = 'n4' | 'n6';

// BEP 5 — KRPC error codes
export const KRPC_GENERIC_ERROR = 201;
export const KRPC_SERVER_ERROR = 202;
export const KRPC_PROTOCOL_ERROR = 203;
export const KRPC_METHOD_UNKNOWN = 204;

export type KrpcQuery =
  | { readonly method: 'ping'; readonly id: Uint8Array }
  | { readonly method: 'find_node'; readonly id: Uint8Array; readonly target: Uint8Array; readonly want?: readonly DhtWant[] }
  | { readonly method: 'get_peers'; readonly id: Uint8Array; readonly infoHash: Uint8Array; readonly want?: readonly DhtWant[] }
  | {
      readonly method: 'announce_peer';
      readonly id: Uint8Array;
      readonly infoHash: Uint8Array;
      readonly port: number;
      readonly token: Uint8Array;
      /** BEP 5: use the UDP source port instead of `port`. */
      readonly impliedPort: boolean;
    }
  /** A method this node does not know: answered with 204 Method Unknown. */
  | { readonly method: 'unknown'; readonly name: string; readonly id: Uint8Array };

export interface KrpcResponseBody {
  readonly id: Uint8Array;
  readonly nodes?: readonly DhtContact[];
  /** BEP 32: IPv6 nodes. */
  readonly nodes6?: readonly DhtContact[];
  readonly values?: readonly PeerAddress[];
  readonly token?: Uint8Array;
}

export type KrpcMessage =
  | { readonly type: 'query'; readonly transactionId: Uint8Array; readonly query: KrpcQuery; readonly readOnly?: boolean }
  | {
      readonly type: 'response'; readonly transactionId: Uint8Array; readonly response: KrpcResponseBody;
      /** BEP 42: the requester's address as the responder saw it. */
      readonly ip?: PeerAddress;
    }
  | { readonly type: 'error'; readonly transactionId: Uint8Array; readonly code: number; readonly message: string };

/** Malformed KRPC input. `transactionId` is set when it could be read, so a 203 can be answered. */
export class KrpcError extends Error {
  constructor(message: string, readonly transactionId?: Uint8Array) {
    super(message);
    this.name = 'KrpcError';
  }
}

export interface EncodeOptions {
  /** BEP 5 `v`: a 4-byte client version. */
  readonly clientVersion?: Uint8Array;
}

export function encodeKrpc(message: KrpcMessage, options: EncodeOptions = {}): Uint8Array {
  const dict = new Map<string, BEncodable>([['t', message.transactionId]]);
  if (options.clientVersion) dict.set('v', options.clientVersion);
  if (message.type === 'query') {
    dict.set('y', 'q');
    const { method, args } = queryArgs(message.query);
    dict.set('q', method);
    dict.set('a', args);
  } else if (message.type === 'response') {
    dict.set('y', 'r');
    dict.set('r', responseArgs(message.response));
    const ip = message.ip && encodeCompactAddress(message.ip);
    if (ip) dict.set('ip', ip);
  } else {
    dict.set('y', 'e');
    dict.set('e', [message.code, message.message]);
  }
  return bencode(dict);
}

function queryArgs(query: KrpcQuery): { method: string; args: Map<string, BEncodable> } {
  const args = new Map<string, BEncodable>([['id', query.id]]);
  switch (query.method) {
    case 'ping':
      return { method: 'ping', args };
    case 'find_node':
      args.set('target', query.target);
      if (query.want) args.set('want', [...query.want]);
      return { method: 'find_node', args };
    case 'get_peers':
      args.set('info_hash', query.infoHash);
      if (query.want) args.set('want', [...query.want]);
      return { method: 'get_peers', args };
    case 'announce_peer':
      args.set('implied_port', query.impliedPort ? 1 : 0);
      args.set('info_hash', query.infoHash);
      args.set('port', query.port);
      args.set('token', query.token);
      return { method: 'announce_peer', args };
    case 'unknown':
      return { method: query.name, args };
  }
}

function responseArgs(response: KrpcResponseBody): Map<string, BEncodable> {
  const r = new Map<string, BEncodable>([['id', response.id]]);
  if (response.nodes) r.set('nodes', encodeCompactNodes(response.nodes));
  if (response.nodes6) r.set('nodes6', encodeCompactNodes6(response.nodes6));
  if (response.token) r.set('token', response.token);
  if (response.values) {
    const values: Uint8Array[] = [];
    for (const peer of response.values) {
      const compact = encodeCompactAddress(peer);
      if (compact) values.push(compact);
    }
    r.set('values', values);
  }
  return r;
}

export function decodeKrpc(bytes: Uint8Array): KrpcMessage {
  if (bytes.length > MAX_KRPC_MESSAGE_BYTES) throw new KrpcError(`message of ${bytes.length} bytes exceeds ${MAX_KRPC_MESSAGE_BYTES}`);
  let root;
  try {
    root = bdecode(bytes, { maxDepth: MAX_DEPTH });
  } catch (error) {
    throw new KrpcError(`not bencoded: ${(error as Error).message}`);
  }
  if (!isBDict(root)) throw new KrpcError('message is not a dictionary');
  let transactionId: Uint8Array | undefined;
  try {
    transactionId = getBytes(root, 't');
    if (!transactionId) throw new KrpcError('missing transaction id "t"');
    if (transactionId.length > MAX_TRANSACTION_ID_BYTES) throw new KrpcError(`transaction id of ${transactionId.length} bytes`);
    const y = getBytes(root, 'y');
    const kind = y ? utf8Decode(y) : undefined;
    if (kind === 'q') return decodeQuery(root, transactionId);
    if (kind === 'r') return decodeResponse(root, transactionId);
    if (kind === 'e') return decodeError(root, transactionId);
    throw new KrpcError(`unknown message type "y" ${JSON.stringify(kind)}`);
  } catch (error) {
    if (error instanceof KrpcError) throw new KrpcError(error.message, transactionId);
    if (error instanceof BencodeFieldError || error instanceof BencodeError || error instanceof TrackerError || error instanceof CompactError) {
      throw new KrpcError(error.message, transactionId);
    }
    throw error;
  }
}

function decodeQuery(root: BDict, transactionId: Uint8Array): KrpcMessage {
  const name = utf8Decode(required(getBytes(root, 'q'), 'q'));
  const args = required(getDict(root, 'a'), 'a');
  const id = nodeId(args, 'id');
  const readOnly = getInt(root, 'ro') === 1; // BEP 43: read-only nodes must not enter routing tables
  const query = decodeQueryArgs(name, args, id);
  return readOnly ? { type: 'query', transactionId, query, readOnly } : { type: 'query', transactionId, query };
}

function decodeQueryArgs(name: string, args: BDict, id: Uint8Array): KrpcQuery {
  switch (name) {
    case 'ping':
      return { method: 'ping', id };
    case 'find_node':
      return withWant({ method: 'find_node', id, target: nodeId(args, 'target') }, args);
    case 'get_peers':
      return withWant({ method: 'get_peers', id, infoHash: nodeId(args, 'info_hash') }, args);
    case 'announce_peer': {
      const impliedPort = (getInt(args, 'implied_port') ?? 0) !== 0;
      const port = getInt(args, 'port') ?? 0;
      if (!impliedPort && !(port > 0 && port < 65536)) throw new KrpcError(`announce_peer port ${port} out of range`);
      const token = required(getBytes(args, 'token'), 'token');
      if (token.length > MAX_TOKEN_BYTES) throw new KrpcError(`token of ${token.length} bytes`);
      return { method: 'announce_peer', id, infoHash: nodeId(args, 'info_hash'), port, token, impliedPort };
    }
    default:
      return { method: 'unknown', name: name.slice(0, 64), id };
  }
}

/** BEP 32: the families asked for; unknown entries are ignored, a list too long refused. */
function withWant<Q extends Extract<KrpcQuery, { want?: readonly DhtWant[] }>>(query: Q, args: BDict): Q {
  const list = getList(args, 'want');
  if (!list) return query;
  if (list.length > MAX_WANTS) throw new KrpcError(`"want" of ${list.length} entries`);
  const want = list.filter((w): w is Uint8Array => w instanceof Uint8Array).map((w) => utf8Decode(w))
    .filter((w): w is DhtWant => w === 'n4' || w === 'n6');
  return { ...query, want };
}

function decodeResponse(root: BDict, transactionId: Uint8Array): KrpcMessage {
  const response = decodeResponseBody(required(getDict(root, 'r'), 'r'));
  const ipBytes = getBytes(root, 'ip');
  const ip = ipBytes ? decodeCompactAddress(ipBytes) : undefined; // a malformed `ip` is only ignored
  return ip ? { type: 'response', transactionId, response, ip } : { type: 'response', transactionId, response };
}

export function decodeResponseBody(r: BDict): KrpcResponseBody {
  const id = nodeId(r, 'id');
  const nodesBytes = getBytes(r, 'nodes');
  const nodes6Bytes = getBytes(r, 'nodes6');
  const token = getBytes(r, 'token');
  if (token && token.length > MAX_TOKEN_BYTES) throw new KrpcError(`token of ${token.length} bytes`);
  const valuesList = getList(r, 'values');
  const body: { id: Uint8Array; nodes?: DhtContact[]; nodes6?: DhtContact[]; values?: PeerAddress[]; token?: Uint8Array } = { id };
  if (nodesBytes) body.nodes = decodeCompactNodes(nodesBytes);
  if (nodes6Bytes) body.nodes6 = decodeCompactNodes6(nodes6Bytes);
  if (token) body.token = token;
  if (valuesList) body.values = decodeValues(valuesList);
  return body;
}

function decodeValues(list: readonly unknown[]): PeerAddress[] {
  if (list.length > MAX_VALUES) throw new KrpcError(`${list.length} values exceed ${MAX_VALUES}`);
  const peers: PeerAddress[] = [];
  for (const value of list) {
    if (!(value instanceof Uint8Array)) throw new KrpcError('a "values" entry is not a byte string');
    if (value.length === 6) peers.push(...decodeCompactIPv4Peers(value));
    else if (value.length === 18) peers.push(...decodeCompactIPv6Peers(value)); // BEP 32
  }
  return peers;
}

function decodeError(root: BDict, transactionId: Uint8Array): KrpcMessage {
  const e = required(getList(root, 'e'), 'e');
  const [code, message] = e;
  if (typeof code !== 'number') throw new KrpcError('error code is not an integer');
  const text = message instanceof Uint8Array ? utf8Decode(message.subarray(0, MAX_ERROR_MESSAGE_BYTES)) : '';
  return { type: 'error', transactionId, code, message: text };
}

function nodeId(dict: BDict, key: string): Uint8Array {
  const id = required(getBytes(dict, key), key);
  if (id.length !== NODE_ID_BYTES) throw new KrpcError(`"${key}" is ${id.length} bytes, not ${NODE_ID_BYTES}`);
  return id;
}

function required<T>(value: T | undefined, key: string): T {
  if (value === undefined) throw new KrpcError(`missing "${key}"`);
  return value;
}
