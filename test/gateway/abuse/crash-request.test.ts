// Requests that once killed the gateway or got a 500, then a fuzz of request lines and headers:
// the process must answer each with a client error (or close it) and keep serving everybody else.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGatewayProcess, type GatewayProcess } from '../../helpers/gateway-process.ts';
import { rawRequest, statusOf } from './support/raw-http.ts';
import { requestCorpus } from './support/request-fuzz.ts';

let gateway: GatewayProcess;

beforeAll(async () => {
  gateway = await startGatewayProcess();
});
afterAll(() => gateway.stop());

async function stillServing(): Promise<void> {
  const reply = await rawRequest(gateway.port, 'GET /config.json HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
  expect(statusOf(reply)).toBe(200);
  expect(gateway.process.hasExited).toBe(false);
}

describe('requests that used to crash the gateway', () => {
  it('answers an upgrade to "//" with 400 and keeps running', async () => {
    const reply = await rawRequest(
      gateway.port,
      'GET // HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n',
    );
    expect(statusOf(reply)).toBe(400);
    await stillServing();
  });

  it('answers a plain GET of "//" with 400, not 500', async () => {
    const reply = await rawRequest(gateway.port, 'GET // HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    expect(statusOf(reply)).toBe(400);
    await stillServing();
  });
});

describe('fuzzed request lines and headers', () => {
  it('never stops the process and never answers 5xx', async () => {
    const corpus = requestCorpus(3000, 0x5eed, gateway.token);
    const statuses = new Map<number, number>();
    const BATCH = 150;
    for (let i = 0; i < corpus.length; i += BATCH) {
      const replies = await Promise.all(corpus.slice(i, i + BATCH).map((text) => rawRequest(gateway.port, text, 1500)));
      for (const reply of replies) {
        const status = statusOf(reply);
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
        if (status >= 500) throw new Error(`a fuzzed request got ${status}: ${JSON.stringify(reply.request.slice(0, 300))}`);
      }
      expect(gateway.process.hasExited).toBe(false);
    }
    console.log(`fuzzed requests: ${corpus.length}; answers by status (0 = closed without one): ${JSON.stringify(Object.fromEntries(statuses))}`);
    await stillServing();
  }, 120_000);
});
