// A network without a network, for engine and torrent tests: a fake Transport whose connect()
// returns in-memory streams to scripted seeders of a torrent made here, with its bytes in memory.
import { createHash } from 'node:crypto';
import { bencode } from '../../../../shared/bencode/index.ts';
import { Bitfield } from '../../../../shared/bitfield.ts';
import { equalBytes } from '../../../../shared/bytes.ts';
import { parseTorrent, type Metainfo } from '../../../../shared/metainfo/index.ts';
import { MessageFramer, PeerWireError, encodeHandshake, encodeMessage, makeReserved, type FramedItem } from '../../../../shared/peer-wire/index.ts';
import { keyOf } from '../../../../web/worker/torrent/swarm.ts';
import {
  TransportError, type ByteStream, type DatagramSocket, type HttpResult, type PeerAddress, type Transport,
} from '../../../../web/worker/transport.ts';
import { pipe } from './fake-stream.ts';

export interface ScriptedTorrent {
  meta: Metainfo;
  torrentBytes: Uint8Array;
  /** The torrent's content: every file, one after the other. */
  data: Uint8Array;
}

/** A torrent of `files` (lengths in bytes) with deterministic content. */
export function makeScriptedTorrent(name: string, pieceLength: number, files: readonly { path: string; length: number }[]): ScriptedTorrent {
  const total = files.reduce((n, f) => n + f.length, 0);
  const data = Uint8Array.from({ length: total }, (_, i) => (i * 13 + (i >> 14)) & 0xff);
  const pieceCount = Math.ceil(total / pieceLength);
  const hashes = new Uint8Array(20 * pieceCount);
  for (let i = 0; i < pieceCount; i++) {
    hashes.set(createHash('sha1').update(data.subarray(i * pieceLength, Math.min(total, (i + 1) * pieceLength))).digest(), i * 20);
  }
  const info = files.length === 1 && files[0]!.path === name
    ? { name, 'piece length': pieceLength, length: total, pieces: hashes }
    : { name, 'piece length': pieceLength, pieces: hashes, files: files.map((f) => ({ path: f.path.split('/'), length: f.length })) };
  const torrentBytes = bencode({ info });
  return { meta: parseTorrent(torrentBytes), torrentBytes, data };
}

export interface SeederOptions {
  /** BEP 6: HAVE_ALL instead of a BITFIELD. */
  fast?: boolean;
  /** Flip a byte of the first block of these pieces, this many times in all (Infinity: always). */
  corruptPieces?: number[];
  corruptions?: number;
  /** Never unchoke: the peer stays connected and idle. */
  neverUnchoke?: boolean;
}

/** The remote side of one connection: a minimal seeder of the torrent's data. */
export class Seeder {
  readonly received: FramedItem['type'][] = [];
  /** The pieces asked for, in the order their first block was requested. */
  readonly requestedPieces: number[] = [];
  served = 0;
  closed = false;
  closeReason?: string;
  private readonly framer = new MessageFramer({ expectHandshake: true });
  private corruptionsLeft: number;

  constructor(private readonly stream: ByteStream, private readonly torrent: ScriptedTorrent, private readonly peerId: Uint8Array, private readonly options: SeederOptions) {
    this.corruptionsLeft = options.corruptions ?? 0;
    stream.onData = (bytes) => {
      // Like a real plaintext-only client: anything but the BitTorrent handshake (an MSE attempt
      // under the 'prefer' default) ends the connection.
      try {
        for (const item of this.framer.push(bytes)) this.handle(item);
      } catch (error) {
        if (!(error instanceof PeerWireError)) throw error;
        this.stream.close(`not the BitTorrent protocol: ${error.reason}`);
      }
    };
    stream.onClose = (reason) => { this.closed = true; this.closeReason = reason; };
  }

  close(reason: string): void {
    this.stream.close(reason);
  }

  private handle(item: FramedItem): void {
    this.received.push(item.type);
    const meta = this.torrent.meta;
    if (item.type === 'handshake') {
      if (!equalBytes(item.handshake.infoHash, meta.infoHash)) return this.stream.close('wrong torrent');
      this.stream.write(encodeHandshake({ reserved: makeReserved({ fast: this.options.fast }), infoHash: meta.infoHash, peerId: this.peerId }));
      this.stream.write(encodeMessage(this.options.fast ? { type: 'have-all' } : { type: 'bitfield', bytes: Bitfield.full(meta.pieceCount).bytes }));
    } else if (item.type === 'interested' && !this.options.neverUnchoke) {
      this.stream.write(encodeMessage({ type: 'unchoke' }));
    } else if (item.type === 'request') {
      if (!this.requestedPieces.includes(item.piece)) this.requestedPieces.push(item.piece);
      const start = item.piece * meta.pieceLength + item.offset;
      const block = this.torrent.data.slice(start, start + item.length);
      if (item.offset === 0 && this.options.corruptPieces?.includes(item.piece) && this.corruptionsLeft > 0) {
        this.corruptionsLeft--;
        block[0]! ^= 0xff;
      }
      this.served++;
      this.stream.write(encodeMessage({ type: 'piece', piece: item.piece, offset: item.offset, block }));
    }
  }
}

/** Peers are scripted seeders at fixed addresses; anything else refuses the connection. */
export class FakeNetwork implements Transport {
  readonly seeders: Seeder[] = [];
  readonly dials: string[] = [];
  readonly listens: Uint8Array[] = [];
  /** What each address seeds: this network's torrent unless addSeeder was given another. */
  private readonly scripts = new Map<string, { options: SeederOptions; torrent: ScriptedTorrent }>();

  constructor(private readonly torrent: ScriptedTorrent, private readonly firstHost = 1) {}

  addSeeder(options: SeederOptions = {}, torrent = this.torrent): PeerAddress {
    const address = { host: `198.51.100.${this.firstHost + this.scripts.size}`, port: 6881 };
    this.scripts.set(keyOf(address), { options, torrent });
    return address;
  }

  async connect(_kind: string, address: PeerAddress): Promise<ByteStream> {
    this.dials.push(keyOf(address));
    const script = this.scripts.get(keyOf(address));
    if (!script) throw new TransportError('connection refused', 5);
    const { local, remote } = pipe(address);
    // One peer id per address, whichever network dials it (a peer keeps its id across links).
    const peerId = new Uint8Array(20).fill(0x50 + Number(address.host.split('.').pop()));
    this.seeders.push(new Seeder(remote, script.torrent, peerId, script.options));
    return local;
  }

  httpGet(): Promise<HttpResult> { return Promise.reject(new TransportError('no HTTP here', 9)); }
  bindUdp(): Promise<DatagramSocket> { return Promise.reject(new TransportError('no UDP here', 5)); }
  async listen(infoHash: Uint8Array): Promise<() => void> {
    this.listens.push(infoHash);
    return () => {};
  }

  /** The link drops: every open connection closes, as the bridge's streams do. */
  drop(): void {
    for (const seeder of this.seeders) seeder.close('the gateway link closed');
  }
}
