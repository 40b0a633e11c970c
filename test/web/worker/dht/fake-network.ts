// An in-memory UDP network for DHT tests: each socket is host:port, datagrams are delivered on
// the next tick, copied.
import type { Datagram, DatagramSocket, Transport } from '../../../../web/worker/transport.ts';

export class FakeNetwork {
  readonly sockets = new Map<string, FakeSocket>();

  socket(host: string, port: number): FakeSocket {
    const socket = new FakeSocket(this, host, port);
    this.sockets.set(`${host}:${port}`, socket);
    return socket;
  }

  transport(host: string, port: number): Transport {
    return { bindUdp: async () => this.socket(host, port) } as unknown as Transport;
  }

  deliver(from: FakeSocket, host: string, port: number, bytes: Uint8Array): void {
    const to = this.sockets.get(`${host}:${port}`);
    setTimeout(() => to?.onMessage({ host: from.host, port: from.port, bytes: Uint8Array.from(bytes) }), 0);
  }
}

export class FakeSocket implements DatagramSocket {
  onMessage: (datagram: Datagram) => void = () => {};
  constructor(private readonly network: FakeNetwork, readonly host: string, readonly port: number) {}
  send(host: string, port: number, bytes: Uint8Array): void {
    this.network.deliver(this, host, port, bytes);
  }
  close(): void {
    this.network.sockets.delete(`${this.host}:${this.port}`);
  }
}
