// Self-test of the gateway child-process helper (needs gateway/main.ts).
import { describe, expect, it } from 'vitest';
import { startGatewayProcess } from './gateway-process.ts';

describe('gateway-process', () => {
  it('starts the gateway, reads GATEWAY_READY, measures its peak RSS, and stops it', async () => {
    const gateway = await startGatewayProcess({ allowPrivate: true });
    try {
      expect(gateway.port).toBeGreaterThan(0);
      expect(gateway.peerPort).toBeGreaterThan(0);
      expect(gateway.url).toContain(String(gateway.port));
      expect(gateway.token.length).toBeGreaterThan(0);
      const rss = gateway.peakRssMB();
      expect(rss).toBeGreaterThan(10);
      expect(rss).toBeLessThan(2000);
    } finally {
      await gateway.stop();
    }
    expect(gateway.process.hasExited).toBe(true);
  });
});
