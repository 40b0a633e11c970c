// Guessing the token: each wrong attempt from one address is logged and answered later than the
// one before, while a right credential from the same address is answered at once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGatewayProcess, type GatewayProcess } from '../../helpers/gateway-process.ts';
import { rawRequest, statusOf } from './support/raw-http.ts';
import { tokenSubprotocols } from '../../../shared/bridge/auth.ts';

let gateway: GatewayProcess;

beforeAll(async () => {
  gateway = await startGatewayProcess();
});
afterAll(() => gateway.stop());

const upgrade = (extra: string) =>
  `GET /signal?link=websocket HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n${extra}\r\n`;

async function timed(request: string, from: string): Promise<{ status: number; ms: number }> {
  const started = Date.now();
  const reply = await rawRequest(gateway.port, request, 20_000, '127.0.0.1', from);
  return { status: statusOf(reply), ms: Date.now() - started };
}

describe('token guessing', () => {
  it('is slowed per address and logged; the right token is not slowed', async () => {
    const guesses: number[] = [];
    for (let i = 0; i < 5; i++) {
      const wrong = await timed(`GET /?token=guess-${i}-xxxxxxxxxxxx HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`, '127.0.0.5');
      expect(wrong.status).toBe(401);
      guesses.push(wrong.ms);
    }
    const noCredential = await timed(upgrade(''), '127.0.0.5');
    expect(noCredential.status).toBe(401);
    console.log(`wrong tokens from one address answered after ${guesses.join(', ')} ms; then /signal without one after ${noCredential.ms} ms`);
    expect(guesses[4]!).toBeGreaterThanOrEqual(1500);
    expect(noCredential.ms).toBeGreaterThan(guesses[4]!);
    for (let i = 1; i < guesses.length; i++) expect(guesses[i]!).toBeGreaterThan(guesses[i - 1]! * 1.5);

    // Another address is not slowed by the first one's failures, and the right token never is.
    expect((await timed(`GET /?token=other-guess-xxxxxxxx HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`, '127.0.0.6')).ms).toBeLessThan(1000);
    const right = await timed(upgrade(`Sec-WebSocket-Protocol: ${tokenSubprotocols(gateway.token).join(', ')}\r\n`), '127.0.0.5');
    expect(right.status).toBe(101);
    expect(right.ms).toBeLessThan(1000);

    const log = gateway.process.stderr() + gateway.process.lines.join('\n');
    expect(log).toMatch(/refused a page visit with a wrong token from 127\.0\.0\.5 \(failure 5 from this address/);
    expect(log).toMatch(/refused \/signal with no credential from 127\.0\.0\.5/);
  }, 60_000);
});
