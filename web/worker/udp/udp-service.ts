import type { Datagram, DatagramSocket, Transport } from '../transport.ts';

/** Answers to one outstanding request are recognised by this predicate. */
type Matcher = (datagram: Datagram) => boolean;

interface Waiter {
  matches: Matcher;
  resolve: (datagram: Datagram) => void;
}

/**
 * The tab's single UDP socket at the gateway (DESIGN.md: one per tab serves UDP trackers and the
 * DHT), bound on first use. Requests wait for the first datagram their matcher accepts.
 */
export class UdpService {
  private socket?: Promise<DatagramSocket>;
  private readonly waiters = new Set<Waiter>();
  /** Datagrams no request is waiting for (DHT queries from other nodes). */
  onUnsolicited: (datagram: Datagram) => void = () => {};

  constructor(private readonly transport: Transport) {}

  /** Sends one datagram without waiting for an answer (DHT responses, announces). */
  async send(host: string, port: number, bytes: Uint8Array): Promise<void> {
    (await this.bind()).send(host, port, bytes);
  }

  /** The gateway's public UDP port for this tab (what the DHT announces as ours). */
  async port(): Promise<number> {
    return (await this.bind()).port;
  }

  /** Sends `bytes` and resolves with the matching answer, or undefined after `timeoutMs`. */
  async request(host: string, port: number, bytes: Uint8Array, matches: Matcher, timeoutMs: number): Promise<Datagram | undefined> {
    const socket = await this.bind();
    return new Promise((resolve) => {
      const waiter: Waiter = {
        matches,
        resolve: (datagram) => { clearTimeout(timer); this.waiters.delete(waiter); resolve(datagram); },
      };
      const timer = setTimeout(() => { this.waiters.delete(waiter); resolve(undefined); }, timeoutMs);
      this.waiters.add(waiter);
      socket.send(host, port, bytes);
    });
  }

  close(): void {
    void this.socket?.then((s) => s.close()).catch(() => {});
    this.socket = undefined;
  }

  private bind(): Promise<DatagramSocket> {
    this.socket ??= this.transport.bindUdp().then((socket) => {
      socket.onMessage = (datagram) => this.dispatch(datagram);
      return socket;
    });
    this.socket.catch(() => { this.socket = undefined; });
    return this.socket;
  }

  private dispatch(datagram: Datagram): void {
    for (const waiter of this.waiters) {
      if (waiter.matches(datagram)) return waiter.resolve(datagram);
    }
    this.onUnsolicited(datagram);
  }
}
