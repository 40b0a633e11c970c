// Raw HTTP over a TCP socket, for requests no HTTP client library would send.
import { connect } from 'node:net';

export interface RawReply {
  request: string;
  /** Everything the server sent before closing (or before the timeout). */
  text: string;
}

/** Sends `request` as is and collects the answer until the server closes or `timeoutMs` passes. */
/** `localAddress`: the source address to send from (any of 127.0.0.0/8 works on Linux). */
export function rawRequest(port: number, request: string | Uint8Array, timeoutMs = 5000, host = '127.0.0.1', localAddress?: string): Promise<RawReply> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const socket = connect({ port, host, localAddress });
    const finish = () => {
      clearTimeout(timer);
      socket.destroy();
      resolve({ request: typeof request === 'string' ? request : Buffer.from(request).toString('latin1'), text: Buffer.concat(chunks).toString('latin1') });
    };
    const timer = setTimeout(finish, timeoutMs);
    socket.on('connect', () => socket.write(request));
    socket.on('data', (chunk) => {
      chunks.push(chunk);
      // One response is enough: stop once its head (and a short body) arrived.
      if (Buffer.concat(chunks).includes('\r\n\r\n')) setTimeout(finish, 20);
    });
    socket.on('error', finish);
    socket.on('close', finish);
  });
}

/** The status code of the first response line, or 0 when there was none. */
export function statusOf(reply: RawReply): number {
  const m = /^HTTP\/1\.[01] (\d{3})/.exec(reply.text);
  return m ? Number(m[1]) : 0;
}

/** A response header's value (first one), case-insensitive, or null. */
export function headerOf(reply: RawReply, name: string): string | null {
  const head = reply.text.split('\r\n\r\n')[0] ?? '';
  for (const line of head.split('\r\n').slice(1)) {
    const colon = line.indexOf(':');
    if (colon > 0 && line.slice(0, colon).trim().toLowerCase() === name.toLowerCase()) return line.slice(colon + 1).trim();
  }
  return null;
}
