import type { ByteStream, PeerAddress, StreamKind, Transport } from '../transport.ts';
import type { EncryptionMode } from './encryption-mode.ts';
import { openPeerStream, openPlaintextFallback, refusedMse } from './open-peer-stream.ts';

const CONNECT_TIMEOUT_MS = 10_000;
/**
 * How long uTP has a new peer to itself before TCP is tried too: RFC 8305's connection attempt
 * delay. A uTP peer answers within a round trip and, racing with its MSE handshake (two more), still
 * wins at a 200 ms RTT; a TCP-only peer (aria2, rtorrent, a seedbox with uTP off) waits no longer
 * than this. libtorrent waits 3 s (utp_connect_timeout); 500 ms cost our bench a sixth of its speed.
 */
export const UTP_HEAD_START_MS = 250;

export interface DialOptions {
  infoHash: Uint8Array;
  encryption: EncryptionMode;
  /** Overrides UTP_HEAD_START_MS (tests). */
  utpHeadStartMs?: number;
}

export interface Dialled {
  stream: ByteStream;
  kind: StreamKind;
}

/**
 * Connects to a peer through the gateway (which speaks uTP, so either way we get a plain stream).
 * `known` is the transport that worked for this peer before, or that it is known to want: it is
 * tried alone, then the other when it fails. A peer we know nothing of is dialled like a mature
 * client does: uTP first (libtorrent-based clients prefer it and many peers take only uTP), TCP as
 * well when uTP fails or has not answered within the head start; the first to connect (through
 * the MSE handshake, when there is one) wins. Under 'prefer' the race is between encrypted
 * attempts only, and plaintext is tried once both have been refused.
 */
export function dialPeer(
  transport: Transport, address: PeerAddress, known: StreamKind | undefined, options: DialOptions,
): Promise<Dialled> {
  const attempt = (kind: StreamKind) => openPeerStream(transport, kind, address, { ...options, timeoutMs: CONNECT_TIMEOUT_MS });
  return known ? dialInTurn(attempt, known) : dialFresh(transport, address, options);
}

type Attempt = (kind: StreamKind) => Promise<ByteStream>;

/**
 * The race for a peer we know nothing of. A plaintext fallback must not run inside it: Transmission
 * closes a second connection from an address whose first is mid-handshake, so TCP joining at the
 * head start is refused while uTP's MSE is still under way; that TCP's plaintext retry "connected"
 * at once, won, and the peer hung up on it, while the uTP stream that finished MSE a moment later
 * was closed as the loser. So each transport offers MSE alone, and plaintext follows only when
 * every attempt failed and one of them by the peer refusing MSE (over uTP first if that one did).
 */
async function dialFresh(transport: Transport, address: PeerAddress, options: DialOptions): Promise<Dialled> {
  const failures = new Map<StreamKind, unknown>();
  const attempt = (kind: StreamKind) => openPeerStream(transport, kind, address, {
    ...options, timeoutMs: CONNECT_TIMEOUT_MS, plaintextFallback: false,
  });
  try {
    return await dialRace(attempt, options.utpHeadStartMs ?? UTP_HEAD_START_MS, failures);
  } catch (error) {
    const refused = options.encryption === 'prefer' ? RACE_ORDER.find((kind) => refusedMse(failures.get(kind))) : undefined;
    if (!refused) throw error;
    return { stream: await openPlaintextFallback(transport, refused, address, CONNECT_TIMEOUT_MS), kind: refused };
  }
}

const RACE_ORDER: readonly StreamKind[] = ['utp', 'tcp'];

async function dialInTurn(attempt: Attempt, first: StreamKind): Promise<Dialled> {
  try {
    return { stream: await attempt(first), kind: first };
  } catch (firstError) {
    const second = otherKind(first);
    try {
      return { stream: await attempt(second), kind: second };
    } catch {
      throw firstError;
    }
  }
}

/**
 * uTP now, TCP after `headStartMs` or at once when uTP fails; the loser is closed if it connects.
 * Each failure is recorded in `failures` by kind; the promise rejects with the first.
 */
function dialRace(attempt: Attempt, headStartMs: number, failures: Map<StreamKind, unknown>): Promise<Dialled> {
  return new Promise((resolve, reject) => {
    let winner: Dialled | undefined;
    let firstError: unknown;
    let tcpStarted = false;
    const settle = (kind: StreamKind, outcome: Promise<ByteStream>) => {
      outcome.then((stream) => {
        if (winner) return stream.close('connected over the other transport');
        clearTimeout(timer);
        winner = { stream, kind };
        resolve(winner);
      }, (error: unknown) => {
        firstError ??= error;
        failures.set(kind, error);
        if (failures.size === 2) return reject(firstError);
        startTcp(); // uTP failed before the head start ran out
      });
    };
    const startTcp = () => {
      if (tcpStarted || winner) return;
      tcpStarted = true;
      settle('tcp', attempt('tcp'));
    };
    const timer = setTimeout(startTcp, headStartMs);
    settle('utp', attempt('utp'));
  });
}

export function otherKind(kind: StreamKind): StreamKind {
  return kind === 'tcp' ? 'utp' : 'tcp';
}
