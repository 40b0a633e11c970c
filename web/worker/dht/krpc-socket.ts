// KRPC over the tab's UDP socket at the gateway: sends queries and waits for the answer whose
// transaction id and source port match, sends answers, and hands incoming queries to a handler.

import { decodeKrpc, encodeKrpc, KrpcError, KRPC_PROTOCOL_ERROR, type KrpcMessage, type KrpcQuery, type KrpcResponseBody } from '../../../shared/dht/krpc.ts';
import { equalBytes, randomBytes, writeU16BE } from '../../../shared/bytes.ts';
import { parseIPv4, parseIPv6 } from '../../../shared/dht/compact.ts';
import type { Datagram } from '../transport.ts';
import type { UdpService } from '../udp/udp-service.ts';

export interface DhtAddress {
  readonly host: string;
  readonly port: number;
}

export type QueryOutcome =
  /** `ip`: our address as the responder saw it (BEP 42), when it said. */
  | { readonly kind: 'response'; readonly from: DhtAddress; readonly body: KrpcResponseBody; readonly ip?: DhtAddress }
  | { readonly kind: 'error'; readonly from: DhtAddress; readonly code: number; readonly message: string }
  | { readonly kind: 'timeout' };

export type IncomingQuery = Extract<KrpcMessage, { type: 'query' }>;

export class KrpcSocket {
  private counter = 0;
  private open = true;

  constructor(
    private readonly udp: UdpService,
    onQuery: (message: IncomingQuery, from: DhtAddress) => void,
    onProtocolError: (transactionId: Uint8Array, from: DhtAddress) => void,
  ) {
    udp.onUnsolicited = (datagram) => {
      if (!this.open) return;
      let message: KrpcMessage;
      try {
        message = decodeKrpc(datagram.bytes);
      } catch (error) {
        const transactionId = error instanceof KrpcError ? error.transactionId : undefined;
        if (transactionId) onProtocolError(transactionId, datagram);
        return;
      }
      // Late or unknown answers are dropped; only queries need us.
      if (message.type === 'query') onQuery(message, { host: datagram.host, port: datagram.port });
    };
  }

  /** Sends `query` to `to` and waits up to `timeoutMs` for its answer. */
  async query(to: DhtAddress, query: KrpcQuery, timeoutMs: number): Promise<QueryOutcome> {
    if (!this.open) return { kind: 'timeout' };
    const transactionId = this.nextTransactionId();
    let answer: KrpcMessage | undefined;
    const address = parseIPv4(to.host) ?? parseIPv6(to.host); // a hostname comes back as an IP
    const matches = (d: Datagram): boolean => {
      if (d.port !== to.port || (address && !sameAddress(d.host, address))) return false;
      try {
        const message = decodeKrpc(d.bytes);
        if (message.type === 'query' || !equalBytes(message.transactionId, transactionId)) return false;
        answer = message;
        return true;
      } catch {
        return false;
      }
    };
    let datagram: Datagram | undefined;
    try {
      datagram = await this.udp.request(to.host, to.port, encodeKrpc({ type: 'query', transactionId, query }), matches, timeoutMs);
    } catch {
      return { kind: 'timeout' }; // the UDP socket could not be bound: the same as no answer
    }
    if (!datagram || !answer) return { kind: 'timeout' };
    const from = { host: datagram.host, port: datagram.port };
    if (answer.type === 'error') return { kind: 'error', from, code: answer.code, message: answer.message };
    if (answer.type === 'response') return answer.ip ? { kind: 'response', from, body: answer.response, ip: answer.ip } : { kind: 'response', from, body: answer.response };
    return { kind: 'timeout' };
  }

  /** Sends an answer (response or error); lost datagrams are the network's business. */
  send(to: DhtAddress, message: KrpcMessage): void {
    if (!this.open) return;
    this.udp.send(to.host, to.port, encodeKrpc(message)).catch(() => {});
  }

  sendProtocolError(to: DhtAddress, transactionId: Uint8Array): void {
    this.send(to, { type: 'error', transactionId, code: KRPC_PROTOCOL_ERROR, message: 'Protocol Error' });
  }

  /** The gateway's UDP port for the socket (binding it if need be). */
  port(): Promise<number> {
    return this.udp.port();
  }

  close(): void {
    this.open = false;
    this.udp.onUnsolicited = () => {};
  }

  /** 2 random bytes and a 16-bit counter: unique among ours, hard to guess for others. */
  private nextTransactionId(): Uint8Array {
    const id = new Uint8Array(4);
    id.set(randomBytes(2));
    writeU16BE(id, 2, this.counter);
    this.counter = (this.counter + 1) & 0xffff;
    return id;
  }
}

/** The same IP in any text form (`::ffff:1.2.3.4` for 1.2.3.4, `::0:1` for `::1`). */
function sameAddress(host: string, address: Uint8Array): boolean {
  const other = parseIPv4(host) ?? parseIPv6(host);
  return other !== undefined && equalBytes(other, address);
}
