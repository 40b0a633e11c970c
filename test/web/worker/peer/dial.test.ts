// dialPeer: uTP first for a peer we know nothing of, TCP joining after the head start or when
// uTP fails; a known transport alone, then the other.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { dialPeer } from '../../../../web/worker/peer/dial.ts';
import { PolicyNetwork } from '../torrent/policy-network.ts';

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
