// A fake Transport for connection-policy tests: each address behaves like a kind of peer (takes
// both transports, only uTP, only TCP, or nothing), and every connect(kind, address) is recorded.
import { TransportError, type ByteStream, type DatagramSocket, type HttpResult, type PeerAddress, type StreamKind, type Transport } from '../../../../web/worker/transport.ts';
import { keyOf } from '../../../../web/worker/torrent/swarm.ts';
import { RecordingStream } from '../engine/fake-stream.ts';

/**
 * - both:     either transport connects at once;
 * - utp-only: uTP connects; TCP connects too (the kernel accepts) but the peer drops it unread,
 *             as a uTP-only libtorrent does — the test sees that as `dropsTcp`;
 * - tcp-only: TCP connects; uTP is never answered (the attempt times out);
 * - dead:     both are refused.
 */
export type PeerKind = 'both' | 'utp-only' | 'tcp-only' | 'dead';

export class PolicyNetwork implements Transport {
  readonly attempts: string[] = [];
  readonly streams: Array<{ kind: StreamKind; stream: RecordingStream }> = [];
  private readonly peers = new Map<string, PeerKind>();

  peer(address: PeerAddress, kind: PeerKind): PeerAddress {
    this.peers.set(keyOf(address), kind);
    return address;
  }

  /** The attempts made to one address, in order: 'utp' / 'tcp'. */
  kindsTried(address: PeerAddress): StreamKind[] {
    return this.attempts.filter((a) => a.endsWith(` ${keyOf(address)}`)).map((a) => a.split(' ')[0] as StreamKind);
  }

  connect(kind: StreamKind, address: PeerAddress, timeoutMs = 10_000): Promise<ByteStream> {
    this.attempts.push(`${kind} ${keyOf(address)}`);
    const behaviour = this.peers.get(keyOf(address)) ?? 'dead';
    const silent = kind === 'utp' && behaviour === 'tcp-only';
    if (silent) return new Promise((_, reject) => setTimeout(() => reject(new TransportError('timed out', 7)), timeoutMs));
    if (behaviour === 'dead') return Promise.reject(new TransportError('connection refused', 5));
    const stream = new RecordingStream(address);
    this.streams.push({ kind, stream });
    return Promise.resolve(stream);
  }

  httpGet(): Promise<HttpResult> { return Promise.reject(new TransportError('no HTTP here', 9)); }
  bindUdp(): Promise<DatagramSocket> { return Promise.reject(new TransportError('no UDP here', 5)); }
  async listen(): Promise<() => void> { return () => {}; }
}
