// How a peer is connected, for the peer table (as qBittorrent's Flags column shows it: E, P, I):
// the transport the stream was dialled over and whether MSE/PE encrypts it. The stream objects
// already tell the encryption (an MseByteStream knows the method its handshake chose); the
// transport is noted by whoever dialled the stream or accepted it (the gateway's ACCEPTED says
// TCP or uTP), keyed by the stream so nothing else has to carry it.
import type { ByteStream, StreamKind } from '../transport.ts';
import { MseByteStream } from './mse-byte-stream.ts';

/**
 * - 'rc4': MSE/PE with RC4 on the whole stream;
 * - 'obfuscated': an MSE/PE handshake that chose plaintext (only the handshake is hidden);
 * - 'plain': the BEP 3 handshake, no MSE at all.
 */
export type PeerEncryption = 'rc4' | 'obfuscated' | 'plain';

export interface ConnectionDescription {
  /** Undefined only for a stream nobody noted (one a test made by hand). */
  transport?: StreamKind;
  encryption: PeerEncryption;
}

const transports = new WeakMap<ByteStream, StreamKind>();

/** The transport a stream went over: noted by the Connector when a dial wins, by LinkPresence for an inbound peer. */
export function noteTransport(stream: ByteStream, kind: StreamKind): void {
  transports.set(stream, kind);
}

export function transportOf(stream: ByteStream): StreamKind | undefined {
  return transports.get(stream);
}

export function describeConnection(stream: ByteStream): ConnectionDescription {
  const transport = transportOf(stream);
  return { ...(transport === undefined ? {} : { transport }), encryption: encryptionOf(stream) };
}

function encryptionOf(stream: ByteStream): PeerEncryption {
  if (!(stream instanceof MseByteStream)) return 'plain';
  return stream.method === 'rc4' ? 'rc4' : 'obfuscated';
}
