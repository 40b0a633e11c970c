// --peer-host: the inbound peer listener (TCP) and the uTP socket bind to their own address, all
// interfaces by default, not to --host (the web server's, often 127.0.0.1 behind a reverse proxy).
// Every connection goes to a loopback address: Linux routes all of 127.0.0.0/8 to lo.
import { createSocket } from 'node:dgram';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OptionsError, parseOptions, usage } from '../../gateway/options.ts';
import { bindFirstPeerHost, DEFAULT_PEER_HOSTS } from '../../gateway/relays/inbound-listener.ts';
import { UtpEndpoint } from '../../gateway/utp/utp-endpoint.ts';
import { decodePacket, encodePacket, PacketType } from '../../shared/utp/packet.ts';
import { startGatewayProcess, type GatewayProcess } from '../helpers/gateway-process.ts';
import { tcpAccepts } from '../helpers/ports.ts';

const UTP_ANSWER_TIMEOUT_MS = 3000;

/** Resolves true when a uTP SYN to host:port is answered (the connection opens) within 3 s. */
async function utpAccepts(host: string, port: number): Promise<boolean> {
  const endpoint = await UtpEndpoint.bind('127.0.0.1', 0);
  try {
    const stream = endpoint.connect(host, port);
    return await new Promise<boolean>((resolve) => {
      stream.once('connect', () => resolve(true));
      stream.once('error', () => resolve(false));
      setTimeout(() => resolve(false), UTP_ANSWER_TIMEOUT_MS);
    });
  } finally {
    endpoint.close();
  }
}

/**
 * Resolves true when a uTP SYN sent to host:port gets a STATE back within 3 s, from any address:
 * a socket on all interfaces answers from the address the route to us picks (on loopback,
 * 127.0.0.1), so a full connection to 127.0.0.2 cannot be checked, only that the SYN arrived.
 */
function utpSynAnswered(host: string, port: number): Promise<boolean> {
  const socket = createSocket('udp4');
  const syn = encodePacket({ type: PacketType.SYN, connectionId: 4242, timestampUs: 0, timestampDifferenceUs: 0, windowBytes: 65536, seqNr: 1, ackNr: 0, payload: new Uint8Array(0) });
  return new Promise<boolean>((resolve) => {
    const done = (answered: boolean) => {
      clearTimeout(timer);
      socket.close();
      resolve(answered);
    };
    const timer = setTimeout(() => done(false), UTP_ANSWER_TIMEOUT_MS);
    socket.on('message', (message: Buffer) => {
      if (decodePacket(message).type === PacketType.STATE) done(true);
    });
    socket.bind(0, '127.0.0.1', () => socket.send(syn, port, host));
  });
}

describe('--peer-host option', () => {
  it('is unset by default (all interfaces), an IP from the flag or the environment', () => {
    expect(parseOptions([], {}).peerHost).toBeUndefined();
    expect(parseOptions(['--peer-host', '203.0.113.7'], {}).peerHost).toBe('203.0.113.7');
    expect(parseOptions(['--peer-host=::'], {}).peerHost).toBe('::');
    expect(parseOptions([], { GATEWAY_PEER_HOST: '0.0.0.0' }).peerHost).toBe('0.0.0.0');
    expect(parseOptions(['--peer-host', '127.0.0.2'], { GATEWAY_PEER_HOST: '0.0.0.0' }).peerHost).toBe('127.0.0.2');
    expect(usage()).toContain('GATEWAY_PEER_HOST');
  });

  it.each(['localhost', 'example.org', '1.2.3', ''])('refuses %j', (value) => {
    expect(() => parseOptions(['--peer-host', value], {})).toThrow(OptionsError);
  });
});

describe('the default peer host', () => {
  it('is dual-stack :: first, then IPv4 0.0.0.0', () => {
    expect(DEFAULT_PEER_HOSTS).toEqual(['::', '0.0.0.0']);
  });

  it('falls back to 0.0.0.0 when :: cannot be bound (no IPv6)', async () => {
    const tried: string[] = [];
    const bound = await bindFirstPeerHost(DEFAULT_PEER_HOSTS, async (host) => {
      tried.push(host);
      if (host === '::') throw Object.assign(new Error('bind EAFNOSUPPORT ::'), { code: 'EAFNOSUPPORT' });
      return `bound ${host}`;
    });
    expect(tried).toEqual(['::', '0.0.0.0']);
    expect(bound).toEqual({ host: '0.0.0.0', bound: 'bound 0.0.0.0' });
  });

  it('does not fall back when the port is taken: that is not about IPv6', async () => {
    const tried: string[] = [];
    const taken = bindFirstPeerHost(DEFAULT_PEER_HOSTS, async (host) => {
      tried.push(host);
      throw Object.assign(new Error(`listen EADDRINUSE ${host}:6881`), { code: 'EADDRINUSE' });
    });
    await expect(taken).rejects.toThrow('EADDRINUSE ::');
    expect(tried).toEqual(['::']);
  });
});

describe('a gateway with --host 127.0.0.1 and no --peer-host', () => {
  let gateway: GatewayProcess;
  beforeAll(async () => {
    gateway = await startGatewayProcess({ extraArgs: ['--host', '127.0.0.1', '--static-dir', '/nonexistent'] });
  }, 30_000);
  afterAll(() => gateway?.stop());

  it('takes peers on every interface: TCP and uTP on another loopback address', async () => {
    expect(await tcpAccepts('127.0.0.2', gateway.peerPort)).toBe(true);
    expect(await tcpAccepts('127.0.0.1', gateway.peerPort)).toBe(true);
    expect(await utpSynAnswered('127.0.0.2', gateway.peerPort)).toBe(true);
    expect(await utpAccepts('127.0.0.1', gateway.peerPort)).toBe(true);
  });

  it('says where peers reach it', () => {
    expect(gateway.process.lines).toContain(`Peers reach this gateway on [::]:${gateway.peerPort}, TCP and uTP (--peer-host, --peer-port).`);
  });

  it('keeps the web server on --host only', async () => {
    expect(await tcpAccepts('127.0.0.1', gateway.port)).toBe(true);
    expect(await tcpAccepts('127.0.0.2', gateway.port)).toBe(false);
  });
});

describe('a gateway with --host 127.0.0.1 --peer-host 127.0.0.2', () => {
  let gateway: GatewayProcess;
  beforeAll(async () => {
    gateway = await startGatewayProcess({ extraArgs: ['--host', '127.0.0.1', '--peer-host', '127.0.0.2', '--static-dir', '/nonexistent'] });
  }, 30_000);
  afterAll(() => gateway?.stop());

  it('takes peers (TCP and uTP) on the peer host, not on --host', async () => {
    expect(await tcpAccepts('127.0.0.2', gateway.peerPort)).toBe(true);
    expect(await utpAccepts('127.0.0.2', gateway.peerPort)).toBe(true);
    expect(await tcpAccepts('127.0.0.1', gateway.peerPort)).toBe(false);
    expect(await utpSynAnswered('127.0.0.1', gateway.peerPort)).toBe(false);
  });

  it('keeps the web server on --host', async () => {
    expect(await tcpAccepts('127.0.0.1', gateway.port)).toBe(true);
    expect(await tcpAccepts('127.0.0.2', gateway.port)).toBe(false);
  });
});
