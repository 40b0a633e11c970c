// Bridge frames over a WebRTC data channel (simple-peer on node-datachannel). The signaling
// WebSocket carries `{"signal": ...}` text messages both ways and stays open: when either the
// WebSocket or the channel closes, the link is gone.
import Peer from 'simple-peer';
import type { WebSocket } from 'ws';
import { MAX_DATA_PAYLOAD_WEBRTC } from '../../shared/bridge/frames.ts';
import { noop, type FrameLink } from './frame-link.ts';
import { rewriteSignal } from './ice-announce.ts';
import { filterSignal, PUBLIC_ADDRESSES_ONLY, type CandidatePolicy } from './ice-candidate-policy.ts';

const HIGH_WATER_BYTES = 1024 * 1024;
const LOW_WATER_BYTES = 256 * 1024;
/** Offer, answer and candidates: a few dozen at most. */
const MAX_SIGNAL_MESSAGES = 200;
const CLOSE_GRACE_MS = 300;

/** The W3C-like data channel webrtc-polyfill gives simple-peer (only what we touch). */
interface PeerDataChannel extends EventTarget {
  readonly bufferedAmount: number;
  bufferedAmountLowThreshold: number;
  readonly readyState: string;
}

/** simple-peer keeps its channel in `_channel`: the only way to its bufferedamountlow event. */
function channelOf(peer: Peer): PeerDataChannel | null {
  return (peer as unknown as { _channel: PeerDataChannel | null })._channel;
}

export interface IceOptions {
  bindAddress?: string;
  announceAddress?: string;
  portRange?: { begin: number; end: number };
}

export function peerConfig(ice: IceOptions): Record<string, unknown> {
  const config: Record<string, unknown> = { iceServers: [] };
  if (ice.bindAddress) config.bindAddress = ice.bindAddress;
  if (ice.portRange) {
    config.portRangeBegin = ice.portRange.begin;
    config.portRangeEnd = ice.portRange.end;
  }
  return config;
}

export class WebRtcLink implements FrameLink {
  readonly kind = 'webrtc';
  readonly maxDataPayload = MAX_DATA_PAYLOAD_WEBRTC;
  readonly highWaterMark = HIGH_WATER_BYTES;
  onFrame: (bytes: Uint8Array) => void = noop;
  onDrain: () => void = noop;
  onClose: (reason: string) => void = noop;
  private readonly peer: Peer;
  private closed = false;
  private signals = 0;
  private hooked: PeerDataChannel | null = null;
  private readonly candidatePolicy: CandidatePolicy;

  /**
   * `policy` judges the tab's ICE candidates (the relays' policy); without one, only public
   * addresses pass.
   */
  constructor(private readonly ws: WebSocket, private readonly ice: IceOptions, policy?: CandidatePolicy) {
    this.candidatePolicy = policy ?? PUBLIC_ADDRESSES_ONLY;
    this.peer = new Peer({ initiator: false, trickle: true, config: peerConfig(ice) });
    this.peer.on('signal', (signal: unknown) => this.sendSignal(signal));
    this.peer.on('connect', () => this.openChannel());
    this.peer.on('data', (chunk: Uint8Array) => {
      if (!this.closed) this.onFrame(chunk);
    });
    this.peer.on('close', () => this.finish('data channel closed'));
    this.peer.on('error', (err: Error) => this.finish(`webrtc error: ${err.message}`));
    ws.on('message', (data, isBinary) => this.onSignalMessage(String(data), isBinary));
    ws.on('close', () => this.finish('signaling websocket closed'));
    ws.on('error', (err) => this.finish(`signaling websocket error: ${err.message}`));
  }

  get bufferedAmount(): number {
    return this.closed ? 0 : (channelOf(this.peer)?.bufferedAmount ?? 0);
  }

  send(frame: Uint8Array): void {
    // The channel can be open (and the tab's HELLO in) before simple-peer says 'connect'.
    if (this.closed || !this.openChannel()) return;
    try {
      this.peer.send(frame);
    } catch (err) {
      this.close(`data channel send failed: ${(err as Error).message}`);
    }
  }

  /** Closes after a short grace so a last ERROR frame still reaches the tab. */
  close(reason: string): void {
    this.finish(reason, CLOSE_GRACE_MS);
  }

  /** The data channel if open; hooks its bufferedamountlow event the first time. */
  private openChannel(): PeerDataChannel | null {
    const channel = channelOf(this.peer);
    if (!channel || channel.readyState !== 'open') return null;
    if (this.hooked !== channel) {
      this.hooked = channel;
      channel.bufferedAmountLowThreshold = LOW_WATER_BYTES;
      channel.addEventListener('bufferedamountlow', () => {
        if (!this.closed) this.onDrain();
      });
    }
    return channel;
  }

  private onSignalMessage(text: string, isBinary: boolean): void {
    if (this.closed) return;
    if (isBinary || ++this.signals > MAX_SIGNAL_MESSAGES) {
      this.close(isBinary ? 'binary message on the signaling websocket' : 'too many signaling messages');
      return;
    }
    let message: { signal?: unknown };
    try {
      message = JSON.parse(text) as { signal?: unknown };
    } catch {
      this.close('signaling message is not JSON');
      return;
    }
    if (typeof message !== 'object' || message === null || typeof message.signal !== 'object' || message.signal === null) {
      this.close('signaling message has no signal object');
      return;
    }
    // Candidates the policy refuses never reach ICE (it would send them STUN checks).
    const { signal } = filterSignal(message.signal, this.candidatePolicy);
    if (signal === null) return;
    try {
      this.peer.signal(signal);
    } catch (err) {
      this.close(`bad signal: ${(err as Error).message}`);
    }
  }

  private sendSignal(signal: unknown): void {
    if (this.closed || this.ws.readyState !== this.ws.OPEN) return;
    this.ws.send(JSON.stringify({ signal: rewriteSignal(signal, this.ice.announceAddress) }));
  }

  private finish(reason: string, graceMs = 0): void {
    if (this.closed) return;
    this.closed = true;
    const teardown = () => {
      try {
        this.peer.destroy();
      } catch {
        // already destroyed
      }
      if (this.ws.readyState === this.ws.OPEN || this.ws.readyState === this.ws.CONNECTING) {
        this.ws.close(1000, reason.slice(0, 120));
      }
    };
    if (graceMs > 0) setTimeout(teardown, graceMs).unref();
    else teardown();
    this.onClose(reason);
  }
}
