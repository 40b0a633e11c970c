// "host:port" and "[ipv6]:port", as in DHT bootstrap lists and x.pe peers.

export interface HostPort {
  host: string;
  port: number;
}

/** Parses one address; undefined when it is malformed or the port is not 1..65535. */
export function parseHostPort(text: string): HostPort | undefined {
  const match = /^(?:\[([0-9a-fA-F:.]+)\]|([^:\s[\]]+)):(\d{1,5})$/.exec(text.trim());
  if (!match) return undefined;
  const port = Number(match[3]);
  if (port < 1 || port > 65535) return undefined;
  return { host: match[1] ?? match[2]!, port };
}
