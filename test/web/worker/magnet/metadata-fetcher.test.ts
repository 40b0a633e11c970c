// MetadataFetcher: what a magnet's metadata fetch learns of its peers (the transport that reached
// each, which are seeds) is in its swarm for the torrent to take over (Swarm.knownPeers/learn).
// Scripted peers serving ut_metadata on a fake network: one takes uTP only (TCP refused), one TCP
// only (it drops a uTP connection before the handshake, as libtorrent does), one is a leecher.
import { afterEach, describe, expect, it } from 'vitest';
import { Bitfield } from '../../../../shared/bitfield.ts';
import { equalBytes } from '../../../../shared/bytes.ts';
import {
  MessageFramer, METADATA_PIECE_BYTES, UT_METADATA, decodeMetadataMessage, encodeExtendedHandshake, encodeHandshake, encodeMessage,
  encodeMetadataMessage, makeReserved, type FramedItem,
} from '../../../../shared/peer-wire/index.ts';
import { MetadataFetcher } from '../../../../web/worker/magnet/metadata-fetcher.ts';
import { keyOf } from '../../../../web/worker/torrent/swarm.ts';
import {
  TransportError, type ByteStream, type DatagramSocket, type HttpResult, type PeerAddress, type StreamKind, type Transport,
} from '../../../../web/worker/transport.ts';
import { makeScriptedTorrent, type ScriptedTorrent } from '../engine/scripted-swarm.ts';
import { pipe } from '../engine/fake-stream.ts';

const PIECE_LENGTH = 16 * 1024;
const TORRENT = makeScriptedTorrent('magnet.bin', PIECE_LENGTH, [{ path: 'magnet.bin', length: 40 * PIECE_LENGTH }]);
const THEIR_UT_METADATA_ID = 7;

interface PeerScript {
  /** The only transport it takes; the other is refused ('refuse') or dropped before the handshake ('drop'). */
  takes: StreamKind;
  other: 'refuse' | 'drop';
  /** Pieces it has (a full BITFIELD makes it a seed). */
  pieces: number;
}

/** The remote side of one connection: handshake, extended handshake, BITFIELD, metadata pieces. */
function serveMetadata(stream: ByteStream, torrent: ScriptedTorrent, script: PeerScript, peerId: Uint8Array): void {
  const framer = new MessageFramer({ expectHandshake: true });
  const info = torrent.meta.infoBytes;
  stream.onData = (bytes) => {
    for (const item of framer.push(bytes)) answer(item);
  };
  const answer = (item: FramedItem) => {
    if (item.type === 'handshake') {
      if (!equalBytes(item.handshake.infoHash, torrent.meta.infoHash)) return stream.close('wrong torrent');
      stream.write(encodeHandshake({ reserved: makeReserved({ extensionProtocol: true }), infoHash: torrent.meta.infoHash, peerId }));
      const m = new Map([[UT_METADATA, THEIR_UT_METADATA_ID]]);
      stream.write(encodeMessage({ type: 'extended', extendedId: 0, payload: encodeExtendedHandshake({ m, metadataSize: info.length }) }));
      const have = new Bitfield(torrent.meta.pieceCount);
      for (let piece = 0; piece < script.pieces; piece++) have.set(piece);
      stream.write(encodeMessage({ type: 'bitfield', bytes: have.bytes }));
    } else if (item.type === 'extended' && item.extendedId === THEIR_UT_METADATA_ID) {
      const request = decodeMetadataMessage(item.payload);
      if (request.type !== 'request') return;
      const data = info.subarray(request.piece * METADATA_PIECE_BYTES, (request.piece + 1) * METADATA_PIECE_BYTES);
      const payload = encodeMetadataMessage({ type: 'data', piece: request.piece, totalSize: info.length, data });
      stream.write(encodeMessage({ type: 'extended', extendedId: 3, payload })); // 3: our LOCAL_UT_METADATA_ID
    }
  };
}

/** Scripted peers at fixed addresses, each taking one transport; anything else is refused. */
class MetadataNetwork implements Transport {
  readonly dials: string[] = [];
  private readonly scripts = new Map<string, PeerScript>();

  add(host: string, script: PeerScript): PeerAddress {
    const address = { host, port: 6881 };
    this.scripts.set(keyOf(address), script);
    return address;
  }

  constructor(private readonly torrent: ScriptedTorrent = TORRENT) {}

  async connect(kind: StreamKind, address: PeerAddress): Promise<ByteStream> {
    this.dials.push(`${kind} ${keyOf(address)}`);
    const script = this.scripts.get(keyOf(address));
    if (!script || (kind !== script.takes && script.other === 'refuse')) throw new TransportError('connection refused', 5);
    const { local, remote } = pipe(address);
    if (kind !== script.takes) remote.onData = () => remote.close('not over this transport');
    else serveMetadata(remote, this.torrent, script, new Uint8Array(20).fill(Number(address.host.split('.').pop())));
    return local;
  }

  httpGet(): Promise<HttpResult> { return Promise.reject(new TransportError('no HTTP here', 9)); }
  bindUdp(): Promise<DatagramSocket> { return Promise.reject(new TransportError('no UDP here', 5)); }
  async listen(): Promise<() => void> { return () => {}; }
}

const fetchers: MetadataFetcher[] = [];
afterEach(() => { for (const fetcher of fetchers.splice(0)) fetcher.stop(); });

function startFetcher(network: MetadataNetwork, peers: PeerAddress[], torrent = TORRENT, warnings: string[] = []): MetadataFetcher {
  const fetcher = new MetadataFetcher({
    transport: network, infoHash: torrent.meta.infoHash, peerId: new Uint8Array(20).fill(0xee), listenPort: () => 0,
    trackers: [], onWarning: (message) => warnings.push(message), encryption: () => 'plaintext',
  });
  fetchers.push(fetcher);
  fetcher.addPeers(peers);
  fetcher.start();
  return fetcher;
}

describe('MetadataFetcher', () => {
  it('fetches the info dict and leaves in its swarm the transport that reached each peer and which are seeds', async () => {
    const network = new MetadataNetwork();
    const seed = network.add('198.51.100.1', { takes: 'utp', other: 'refuse', pieces: TORRENT.meta.pieceCount });
    const leecher = network.add('198.51.100.2', { takes: 'utp', other: 'refuse', pieces: TORRENT.meta.pieceCount - 1 });
    const fetcher = startFetcher(network, [seed, leecher]);
    expect(equalBytes(await fetcher.done, TORRENT.meta.infoBytes)).toBe(true);
    expect(fetcher.swarm.knownPeers()).toEqual([
      { address: seed, kind: 'utp', seed: true },
      { address: leecher, kind: 'utp', seed: false },
    ]);
  });

  it('dials TCP at once when a peer drops its uTP connection before the handshake, and remembers TCP', async () => {
    const network = new MetadataNetwork();
    const tcpOnly = network.add('198.51.100.3', { takes: 'tcp', other: 'drop', pieces: TORRENT.meta.pieceCount });
    const fetcher = startFetcher(network, [tcpOnly]);
    expect(equalBytes(await fetcher.done, TORRENT.meta.infoBytes)).toBe(true);
    expect(network.dials).toEqual([`utp ${keyOf(tcpOnly)}`, `tcp ${keyOf(tcpOnly)}`]);
    expect(fetcher.swarm.knownPeers()).toEqual([{ address: tcpOnly, kind: 'tcp', seed: true }]);
  });

  it('assembles an info dict of several 16 KiB metadata pieces before checking it (one piece used to count as all)', async () => {
    const big = makeScriptedTorrent('big.bin', PIECE_LENGTH, [{ path: 'big.bin', length: 1000 * PIECE_LENGTH }]);
    expect(big.meta.infoBytes.length).toBeGreaterThan(METADATA_PIECE_BYTES);
    const network = new MetadataNetwork(big);
    const seed = network.add('198.51.100.4', { takes: 'utp', other: 'refuse', pieces: big.meta.pieceCount });
    const warnings: string[] = [];
    const fetcher = startFetcher(network, [seed], big, warnings);
    expect(equalBytes(await fetcher.done, big.meta.infoBytes)).toBe(true);
    expect(warnings).toEqual([]);
    expect(fetcher.swarm.isBanned(seed)).toBe(false);
  });
});
