import { describe, expect, it } from 'vitest';
import { parseHostPort } from '../../shared/host-port.ts';

describe('parseHostPort', () => {
  it('reads names, IPv4 and bracketed IPv6', () => {
    expect(parseHostPort('router.bittorrent.com:6881')).toEqual({ host: 'router.bittorrent.com', port: 6881 });
    expect(parseHostPort(' 127.0.0.1:1 ')).toEqual({ host: '127.0.0.1', port: 1 });
    expect(parseHostPort('[::1]:65535')).toEqual({ host: '::1', port: 65535 });
  });

  it('refuses what is not host:port', () => {
    for (const bad of ['', 'host', 'host:', ':6881', 'host:0', 'host:65536', 'host:123456', '::1:6881', '[::1]', 'a b:1', '[zz]:1']) {
      expect(parseHostPort(bad), bad).toBeUndefined();
    }
  });
});
