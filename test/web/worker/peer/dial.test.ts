// dialPeer: uTP first for a peer we know nothing of, TCP joining after the head start or when
// uTP fails; a known transport alone, then the other.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { dialPeer } from '../../../../web/worker/peer/dial.ts';
import { MseReceiver, skeyLookup } from '../../../../shared/mse/receiver.ts';
import { MseByteStream } from '../../../../web/worker/peer/mse-byte-stream.ts';
import type { StreamKind, Transport } from '../../../../web/worker/transport.ts';
import { PolicyNetwork } from '../torrent/policy-network.ts';
import { type PipeEnd, streamPair } from './stream-pair.ts';

const INFO_HASH = new Uint8Array(20).fill(7);
const options = { infoHash: INFO_HASH, encryption: 'plaintext' as const, utpHeadStartMs: 500 };
const at = (n: number) => ({ host: `198.51.100.${n}`, port: 6881 });

afterEach(() => { vi.useRealTimers(); });

describe('dialPeer', () => {
  it('reaches a new peer that answers uTP over uTP alone: no TCP is opened', async () => {
    vi.useFakeTimers();
    const net = new PolicyNetwork();
    const peer = net.peer(at(1), 'both');
    const dialled = await dialPeer(net, peer, undefined, options);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(dialled.kind).toBe('utp');
    expect(net.kindsTried(peer)).toEqual(['utp']);
  });

  it('tries TCP once uTP has been silent for the head start, and TCP wins', async () => {
    vi.useFakeTimers();
    const net = new PolicyNetwork();
    const peer = net.peer(at(2), 'tcp-only');
    const result = dialPeer(net, peer, undefined, options);
    await vi.advanceTimersByTimeAsync(499);
    expect(net.kindsTried(peer)).toEqual(['utp']);
    await vi.advanceTimersByTimeAsync(1);
    const dialled = await result;
    expect(dialled.kind).toBe('tcp');
    expect(net.kindsTried(peer)).toEqual(['utp', 'tcp']);
  });

  it('tries TCP at once when uTP fails, and fails with the first error when both do', async () => {
    const net = new PolicyNetwork();
    const peer = net.peer(at(3), 'dead');
    const started = Date.now();
    await expect(dialPeer(net, peer, undefined, options)).rejects.toThrow('connection refused');
    expect(Date.now() - started).toBeLessThan(400); // no head start waited out
    expect(net.kindsTried(peer)).toEqual(['utp', 'tcp']);
  });

  it('a known transport is tried alone', async () => {
    const net = new PolicyNetwork();
    const peer = net.peer(at(4), 'both');
    expect((await dialPeer(net, peer, 'tcp', options)).kind).toBe('tcp');
    expect((await dialPeer(net, peer, 'utp', options)).kind).toBe('utp');
    expect(net.kindsTried(peer)).toEqual(['tcp', 'utp']);
  });

  it('closes the loser when both connect', async () => {
    vi.useFakeTimers();
    const net = new PolicyNetwork();
    const peer = net.peer(at(5), 'both');
    // uTP answers only after TCP has joined: both connect, the first (uTP's promise settles first) wins.
    const slowUtp = net.connect.bind(net);
    let releaseUtp!: () => void;
    net.connect = (kind, address, timeoutMs) => kind === 'utp'
      ? new Promise((resolve) => { releaseUtp = () => resolve(slowUtp(kind, address, timeoutMs)); })
      : slowUtp(kind, address, timeoutMs);
    const result = dialPeer(net, peer, undefined, options);
    await vi.advanceTimersByTimeAsync(500);
    const dialled = await result;
    expect(dialled.kind).toBe('tcp');
    releaseUtp();
    await vi.advanceTimersByTimeAsync(0);
    const utp = net.streams.find((s) => s.kind === 'utp')!.stream;
    expect(utp.closed).toBe(true);
  });
});

/** Takes MSE, answering each step after `delayMs` (Transmission flushes uTP writes every 500 ms). */
function slowMsePeer(end: PipeEnd, delayMs: number): void {
  const receiver = new MseReceiver({ policy: 'require-rc4', lookup: skeyLookup([INFO_HASH]) });
  let done = false;
  end.onData = (bytes) => {
    if (done) return;
    const step = receiver.push(bytes);
    done = step.result !== undefined;
    if (step.send.length > 0) setTimeout(() => end.write(step.send), delayMs);
  };
}
/** Hangs up on the first byte: a busy or plaintext-only peer meeting MSE. */
const hangsUp = (end: PipeEnd) => { end.onData = () => end.close(); };
/** Answers a plaintext handshake's first byte, hangs up on anything else. */
const plaintextOnly = (end: PipeEnd) => { end.onData = (bytes) => (bytes[0] === 0x13 ? end.write(bytes.subarray(0, 1)) : end.close()); };

function transportWith(peers: Record<StreamKind, (end: PipeEnd) => void>): { transport: Transport; tried: string[] } {
  const tried: string[] = [];
  const transport = {
    connect: async (kind: StreamKind) => {
      const [ours, theirs] = streamPair();
      tried.push(kind);
      peers[kind](theirs);
      return ours;
    },
  } as unknown as Transport;
  return { transport, tried };
}

describe('dialPeer under prefer', () => {
  const prefer = { infoHash: INFO_HASH, encryption: 'prefer' as const, utpHeadStartMs: 20 };

  // Transmission 3.00 closes a connection from an address whose first one is mid-handshake: TCP,
  // joining at the head start, is refused while uTP's MSE is under way. Its plaintext retry used to
  // win the race at once (a plaintext stream is up before the peer says a word) and die, and the
  // uTP stream that finished MSE was closed as the loser.
  it('TCP refused while uTP is mid-MSE: no plaintext retry wins, the encrypted uTP stream does', async () => {
    const { transport, tried } = transportWith({ utp: (end) => slowMsePeer(end, 100), tcp: hangsUp });
    const dialled = await dialPeer(transport, at(6), undefined, prefer);
    expect(dialled.kind).toBe('utp');
    expect(dialled.stream).toBeInstanceOf(MseByteStream);
    expect(tried).toEqual(['utp', 'tcp']);
  });

  it('plaintext once both transports refused MSE, over uTP', async () => {
    const { transport, tried } = transportWith({ utp: plaintextOnly, tcp: plaintextOnly });
    const dialled = await dialPeer(transport, at(7), undefined, prefer);
    expect(dialled.kind).toBe('utp');
    expect(dialled.stream).not.toBeInstanceOf(MseByteStream);
    expect(tried).toEqual(['utp', 'tcp', 'utp']);
  });

  it('plaintext over TCP when only TCP refused MSE and uTP failed otherwise', async () => {
    const { transport, tried } = transportWith({ utp: () => { throw new Error('connection refused'); }, tcp: plaintextOnly });
    const dialled = await dialPeer(transport, at(8), undefined, prefer);
    expect(dialled.kind).toBe('tcp');
    expect(tried).toEqual(['utp', 'tcp', 'tcp']);
  });

  it('require: no plaintext after both refused; the first error', async () => {
    const { transport, tried } = transportWith({ utp: hangsUp, tcp: hangsUp });
    await expect(dialPeer(transport, at(9), undefined, { ...prefer, encryption: 'require' })).rejects.toMatchObject({ code: 'closed' });
    expect(tried).toEqual(['utp', 'tcp']);
  });
});
