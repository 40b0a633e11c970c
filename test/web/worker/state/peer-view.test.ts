// The peer table's view of how each peer is connected: the transport the Connector dialled it over
// and whether MSE/PE encrypts it, read from real dialled streams (in-memory peers that require RC4,
// take only an obfuscated handshake, or speak plaintext) through torrentDetails.
import { afterEach, describe, expect, it } from 'vitest';
import { Bitfield } from '../../../../shared/bitfield.ts';
import type { MsePolicy } from '../../../../shared/mse/crypto-methods.ts';
import { PeerConnection, type PeerHost } from '../../../../web/worker/peer/peer-connection.ts';
import type { EncryptionMode } from '../../../../web/worker/peer/encryption-mode.ts';
import { torrentDetails } from '../../../../web/worker/state/state-views.ts';
import { Connector } from '../../../../web/worker/torrent/connector.ts';
import type { Torrent } from '../../../../web/worker/torrent/torrent.ts';
import { Swarm } from '../../../../web/worker/torrent/swarm.ts';
import { TransportError, type StreamKind, type Transport } from '../../../../web/worker/transport.ts';
import { answerMse, type PipeEnd, streamPair } from '../peer/stream-pair.ts';

const INFO_HASH = new Uint8Array(20).fill(7);
const PEER = { host: '198.51.100.9', port: 6881 };

/** The far end: an MSE receiver under `policy`, or a plaintext peer that says nothing. */
type FarEnd = MsePolicy | 'plaintext';

function answer(end: PipeEnd, far: FarEnd): void {
  if (far === 'plaintext') return;
  answerMse(end, INFO_HASH, far);
}

/** A peer reachable over `kinds` only (the other is refused at once). */
function transportTo(kinds: readonly StreamKind[], far: FarEnd): Transport {
  return {
    connect: async (kind: StreamKind) => {
      if (!kinds.includes(kind)) throw new TransportError('refused', 5);
      const [ours, theirs] = streamPair();
      answer(theirs, far);
      return ours;
    },
  } as unknown as Transport;
}

const host = {
  infoHash: INFO_HASH, peerId: new Uint8Array(20).fill(1), pieceCount: 4, listenPort: 0, have: new Bitfield(4),
  infoBytes: new Uint8Array(0), pexEnabled: false, onPeerExchange() {}, onPeerReady() {}, onPeerClosed() {},
} as unknown as PeerHost;

const opened: PeerConnection[] = [];
afterEach(() => { for (const peer of opened.splice(0)) peer.close('test over'); });

/** The torrent's public face that torrentDetails reads, with real PeerConnections. */
function torrentWith(peers: PeerConnection[]): Torrent {
  return {
    meta: { infoHashHex: '07'.repeat(20), files: [], pieceCount: 4, pieceLength: 16384 },
    have: new Bitfield(4), selectedFiles: [], filePriorities: [], peers: new Map(peers.map((p) => [p.key, p])),
    trackerStatuses: [], warnings: [], throttle: { overrides: {} }, seedingClock: { seedingMs: 0 },
  } as unknown as Torrent;
}

/** Dials PEER as the torrent's Connector does and wraps the stream in a PeerConnection. */
async function dial(transport: Transport, encryption: EncryptionMode): Promise<PeerConnection> {
  const swarm = new Swarm();
  swarm.add([PEER]);
  return new Promise((resolve) => {
    const connector = new Connector(swarm, {
      transport: () => transport, peerCount: () => 0, dialing: () => true, infoHash: INFO_HASH,
      encryption: () => encryption, running: () => true,
      onStream: (stream, inbound) => { const peer = new PeerConnection(stream, host, inbound); opened.push(peer); resolve(peer); },
    }, { maxPeers: 40, maxConnecting: 12, utpHeadStartMs: 50 });
    connector.connectMore();
  });
}

async function viewOf(peer: PeerConnection) {
  const [view] = torrentDetails(torrentWith([peer])).peers;
  return view!;
}

describe('the peer view: transport and encryption', () => {
  it('a uTP-only peer that requires encryption shows as uTP and RC4', async () => {
    const view = await viewOf(await dial(transportTo(['utp'], 'require-rc4'), 'require'));
    expect(view).toMatchObject({ inbound: false, transport: 'utp', encryption: 'rc4' });
  });

  it('a TCP peer whose MSE handshake chose plaintext shows as TCP and obfuscated', async () => {
    const view = await viewOf(await dial(transportTo(['tcp'], 'plaintext-only'), 'prefer'));
    expect(view).toMatchObject({ transport: 'tcp', encryption: 'obfuscated' });
  });

  it('a plaintext dial shows as plain', async () => {
    const view = await viewOf(await dial(transportTo(['utp', 'tcp'], 'plaintext'), 'plaintext'));
    expect(view).toMatchObject({ transport: 'utp', encryption: 'plain' });
  });

  it('an inbound peer has no transport (the gateway does not say) and its encryption', async () => {
    const [ours] = streamPair();
    const peer = new PeerConnection(ours, host, true);
    opened.push(peer);
    const view = await viewOf(peer);
    expect(view).toMatchObject({ inbound: true, encryption: 'plain' });
    expect(view.transport).toBeUndefined();
  });
});
