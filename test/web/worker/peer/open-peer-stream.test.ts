// One outgoing attempt under each encryption setting, against in-memory peers that take MSE, take
// plaintext only (hang up on anything else) or say nothing.
import { describe, expect, it } from 'vitest';
import { MseByteStream } from '../../../../web/worker/peer/mse-byte-stream.ts';
import { MseHandshakeError } from '../../../../web/worker/peer/mse-handshake-run.ts';
import { openPeerStream } from '../../../../web/worker/peer/open-peer-stream.ts';
import { PlaintextPeers } from '../../../../web/worker/peer/plaintext-peers.ts';
import type { EncryptionMode } from '../../../../web/worker/peer/encryption-mode.ts';
import type { Transport } from '../../../../web/worker/transport.ts';
import { answerMse, type PipeEnd, streamPair } from './stream-pair.ts';

const INFO_HASH = new Uint8Array(20).fill(3);
const ADDRESS = { host: '192.0.2.7', port: 6881 };

type PeerBehaviour = (end: PipeEnd) => void;

const msePeer: PeerBehaviour = (end) => answerMse(end, INFO_HASH, 'require-rc4');
/** Hangs up on the first byte that is not `\x13`, as a plaintext-only client does; answers one that is. */
const plaintextPeer: PeerBehaviour = (end) => {
  end.onData = (bytes) => { if (bytes[0] !== 0x13) end.close(); else end.write(PLAIN_HANDSHAKE_START); };
};
/** Hangs up on MSE once (a second connection from our address, say), and on plaintext always. */
function busyThenRequiringPeer(): PeerBehaviour {
  let attempts = 0;
  return (end) => {
    const attempt = ++attempts;
    if (attempt > 1) return msePeer(end);
    end.onData = () => end.close();
  };
}
const PLAIN_HANDSHAKE_START = Uint8Array.of(0x13);
const silentPeer: PeerBehaviour = () => {};

function transportTo(peer: PeerBehaviour): { transport: Transport; connects: () => number } {
  let count = 0;
  const transport = {
    connect: async () => {
      count++;
      const [ours, theirs] = streamPair();
      peer(theirs);
      return ours;
    },
  } as unknown as Transport;
  return { transport, connects: () => count };
}

const open = (transport: Transport, encryption: EncryptionMode, remembered = new PlaintextPeers(), timeoutMs = 5_000) =>
  openPeerStream(transport, 'tcp', ADDRESS, { infoHash: INFO_HASH, encryption, timeoutMs }, remembered);

describe('openPeerStream', () => {
  it('plaintext: the connected stream as is', async () => {
    const { transport } = transportTo(mseePeerNever());
    expect(await open(transport, 'plaintext')).not.toBeInstanceOf(MseByteStream);
  });

  it('require and prefer: an encrypted stream from a peer that takes MSE', async () => {
    for (const mode of ['require', 'prefer'] as const) {
      const { transport, connects } = transportTo(msePeer);
      const stream = await open(transport, mode);
      expect(stream).toBeInstanceOf(MseByteStream);
      expect((stream as MseByteStream).method).toBe('rc4');
      expect(connects()).toBe(1);
    }
  });

  it('prefer: a peer that hangs up on MSE gets one plaintext attempt, and once it answers that is remembered for the next dial', async () => {
    const remembered = new PlaintextPeers();
    const { transport, connects } = transportTo(plaintextPeer);
    const first = await open(transport, 'prefer', remembered);
    expect(first).not.toBeInstanceOf(MseByteStream);
    expect(connects()).toBe(2);
    expect(remembered.has(ADDRESS)).toBe(false);
    const answered = new Promise<void>((resolve) => { first.onData = () => resolve(); });
    first.write(PLAIN_HANDSHAKE_START);
    await answered;
    expect(remembered.has(ADDRESS)).toBe(true);
    await open(transport, 'prefer', remembered);
    expect(connects()).toBe(3);
  });

  it('prefer: a peer that hung up on MSE once and never answers plaintext is not remembered (its next dial tries MSE again)', async () => {
    const remembered = new PlaintextPeers();
    const { transport } = transportTo(busyThenRequiringPeer());
    const plain = await open(transport, 'prefer', remembered);
    plain.write(PLAIN_HANDSHAKE_START);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(remembered.has(ADDRESS)).toBe(false);
    expect(await open(transport, 'prefer', remembered)).toBeInstanceOf(MseByteStream);
  });

  it('prefer without plaintextFallback (a race that falls back itself): a refusal fails the attempt', async () => {
    const { transport, connects } = transportTo(plaintextPeer);
    const attempt = openPeerStream(transport, 'tcp', ADDRESS, { infoHash: INFO_HASH, encryption: 'prefer', timeoutMs: 5_000, plaintextFallback: false }, new PlaintextPeers());
    await expect(attempt).rejects.toMatchObject({ code: 'closed' });
    expect(connects()).toBe(1);
  });

  it('require: a plaintext-only peer fails the attempt (no plaintext retry)', async () => {
    const { transport, connects } = transportTo(plaintextPeer);
    await expect(open(transport, 'require')).rejects.toMatchObject({ code: 'closed' });
    expect(connects()).toBe(1);
  });

  it('a peer that says nothing fails at the handshake deadline and its stream is closed', async () => {
    const { transport } = transportTo(silentPeer);
    const error = await open(transport, 'prefer', new PlaintextPeers(), 100).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MseHandshakeError);
    expect((error as MseHandshakeError).code).toBe('timeout');
  });

  it('remembers a bounded number of plaintext peers, the oldest going first', () => {
    const remembered = new PlaintextPeers(2);
    for (const port of [1, 2, 3]) remembered.remember({ host: 'h', port });
    expect([1, 2, 3].map((port) => remembered.has({ host: 'h', port }))).toEqual([false, true, true]);
  });
});

function mseePeerNever(): PeerBehaviour {
  return (end) => { end.onData = () => { throw new Error('plaintext mode must not write'); }; };
}
