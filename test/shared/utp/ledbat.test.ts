import { describe, expect, it } from 'vitest';
import { DelayHistory, Ledbat, MAX_GAIN_BYTES_PER_RTT, TARGET_DELAY_US } from '../../../shared/utp/ledbat.ts';
import { RttEstimator } from '../../../shared/utp/rtt.ts';
import { randomBytes, SimNetwork } from './sim-network.ts';

const MSS = 1400;

/** Acks a full window once per "RTT" at a fixed queuing delay; returns the window after. */
function rounds(ledbat: Ledbat, delayUs: number, count: number): number {
  for (let i = 0; i < count; i++) {
    const cwnd = ledbat.cwndBytes;
    for (let acked = 0; acked < cwnd; acked += MSS) ledbat.onAck(MSS, delayUs, ledbat.cwndBytes - MSS);
  }
  return ledbat.cwndBytes;
}

describe('LEDBAT congestion control', () => {
  it('grows in slow start while the delay is low, then by about the gain per RTT', () => {
    const ledbat = new Ledbat(MSS);
    const start = ledbat.cwndBytes;
    expect(rounds(ledbat, 0, 3)).toBe(start * 8);
    // Delay above half the target ends slow start; below the target the window still grows.
    rounds(ledbat, TARGET_DELAY_US * 0.6, 1);
    expect(ledbat.inSlowStart).toBe(false);
    const before = ledbat.cwndBytes;
    const after = rounds(ledbat, 0, 1);
    expect(after - before).toBeGreaterThan(MAX_GAIN_BYTES_PER_RTT * 0.9);
    expect(after - before).toBeLessThan(MAX_GAIN_BYTES_PER_RTT * 1.1);
  });

  it('shrinks when the delay rises above the target, in proportion', () => {
    const ledbat = new Ledbat(MSS);
    rounds(ledbat, 0, 4);
    rounds(ledbat, TARGET_DELAY_US, 1); // leaves slow start, no change at the target
    const atTarget = ledbat.cwndBytes;
    expect(rounds(ledbat, TARGET_DELAY_US, 3)).toBeCloseTo(atTarget, 0);
    const mild = new Ledbat(MSS);
    Object.assign(mild, { cwndBytes: atTarget, slowStart: false });
    const shrunkMild = atTarget - rounds(mild, TARGET_DELAY_US * 1.5, 2);
    const shrunkHard = atTarget - rounds(ledbat, TARGET_DELAY_US * 2, 2);
    expect(shrunkMild).toBeGreaterThan(0);
    expect(shrunkHard).toBeGreaterThan(shrunkMild * 1.5);
  });

  it('never goes under the minimum window; a timeout drops to one packet', () => {
    const ledbat = new Ledbat(MSS);
    rounds(ledbat, TARGET_DELAY_US * 10, 200);
    expect(ledbat.cwndBytes).toBe(ledbat.minCwndBytes);
    ledbat.onLoss();
    expect(ledbat.cwndBytes).toBe(ledbat.minCwndBytes);
    ledbat.onTimeout();
    expect(ledbat.cwndBytes).toBe(MSS);
  });

  it('does not grow a window the sender is not using', () => {
    const ledbat = new Ledbat(MSS);
    const start = ledbat.cwndBytes;
    for (let i = 0; i < 100; i++) ledbat.onAck(MSS, 0, 0);
    expect(ledbat.cwndBytes).toBe(start);
  });

  it('halves on loss', () => {
    const ledbat = new Ledbat(MSS);
    rounds(ledbat, 0, 4);
    const before = ledbat.cwndBytes;
    ledbat.onLoss();
    expect(ledbat.cwndBytes).toBe(before / 2);
  });

  it('takes the base delay as the minimum over two minutes, across the 32-bit wrap', () => {
    const history = new DelayHistory();
    expect(history.queuingDelayUs(0xfffffff0, 0)).toBe(0);
    expect(history.queuingDelayUs(0x00000010, 1000)).toBe(0x20); // wrapped: 32 µs later
    expect(history.queuingDelayUs(0xffffff00, 2000)).toBe(0); // a new minimum
    expect(history.baseUs).toBe(0xffffff00);
    // two minutes on, the old minimum has aged out
    history.add(5000, 61_000);
    history.add(6000, 122_000);
    expect(history.baseUs).toBe(5000);
  });

  it('keeps the queue near the target behind a bottleneck (simulated 1 MB/s link)', () => {
    const net = new SimNetwork({ delayMs: 20, bytesPerMs: 1000, options: { receiveBufferBytes: 4 << 20 }, acceptOptions: { receiveBufferBytes: 4 << 20 } });
    net.run(() => net.events.a.some((e) => e.type === 'connected'));
    const data = randomBytes(20 << 20, 3);
    net.a.write(data);
    net.a.flush(net.nowMs);
    const cwnds: number[] = [];
    const start = net.nowMs;
    for (let t = 1; t <= 15; t++) {
      net.run(() => false, 1000);
      cwnds.push(net.a.cwndBytes);
    }
    const seconds = (net.nowMs - start) / 1000;
    const throughput = net.receivedBytes('b') / seconds;
    // The link is used (≥ 80 % of 1 MB/s), but the window stays near one BDP plus 100 ms of queue
    // (40 KB + 100 KB), far from the 4 MiB the receiver would allow.
    expect(throughput).toBeGreaterThan(800_000);
    const late = cwnds.slice(5);
    expect(Math.max(...late)).toBeLessThan(260_000);
    expect(Math.min(...late)).toBeGreaterThan(40_000);
  });

  it('shrinks the window when the delay rises (the bottleneck slows down)', () => {
    const net = new SimNetwork({ delayMs: 20, bytesPerMs: 2000, options: { receiveBufferBytes: 4 << 20 }, acceptOptions: { receiveBufferBytes: 4 << 20 } });
    net.run(() => net.events.a.some((e) => e.type === 'connected'));
    net.a.write(randomBytes(40 << 20, 3));
    net.a.flush(net.nowMs);
    net.run(() => false, 10_000);
    const fast = net.a.cwndBytes;
    (net as unknown as { opts: { bytesPerMs: number } }).opts.bytesPerMs = 250;
    net.run(() => false, 10_000);
    expect(net.a.cwndBytes).toBeLessThan(fast / 2);
  });
});

describe('RTT and retransmission timeout (BEP 29)', () => {
  it('starts at 1 s, never goes under 500 ms, follows rtt + 4 × rtt_var', () => {
    const rtt = new RttEstimator();
    expect(rtt.rtoMs).toBe(1000);
    for (let i = 0; i < 50; i++) rtt.sample(10);
    expect(rtt.rtoMs).toBe(500);
    for (let i = 0; i < 50; i++) rtt.sample(i % 2 ? 400 : 800);
    expect(rtt.rtoMs).toBeGreaterThan(rtt.rttMs + 3 * rtt.rttVarMs);
    expect(rtt.rtoMs).toBeCloseTo(rtt.rttMs + 4 * rtt.rttVarMs, 5);
  });
});
