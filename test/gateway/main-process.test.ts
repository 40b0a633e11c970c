// The gateway as a real process: `tsx gateway/main.ts --port 0 ...` (what `npx tsx` runs; npx
// itself does not pass SIGTERM on), reading the GATEWAY_READY line.
import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { BRIDGE_VERSION, FrameType } from '../../shared/bridge/frames.ts';
import type { RunningGateway } from '../../gateway/gateway.ts';
import { WsFrameClient } from './helpers/frame-client.ts';

const children: ChildProcess[] = [];
afterAll(() => {
  // Each child leads its own process group (detached): take the whole group down.
  for (const c of children) {
    try {
      if (c.pid) process.kill(-c.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
});

function run(args: string[]): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
  const child = spawn('node_modules/.bin/tsx', ['gateway/main.ts', ...args], { cwd: process.cwd(), stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  children.push(child);
  let out = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (out += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => out, exited };
}

describe('gateway process', () => {
  it('prints GATEWAY_READY, serves a session, and exits cleanly on SIGTERM', async () => {
    const { child, output, exited } = run(['--port', '0', '--peer-port', '0', '--token', 'process-test-token', '--static-dir', '/nonexistent']);
    await expect.poll(() => /GATEWAY_READY (\{.*\})\n/.test(output()), { timeout: 20_000, interval: 100 }).toBe(true);
    const ready = JSON.parse(/GATEWAY_READY (\{.*\})\n/.exec(output())![1]!) as { url: string; port: number; peerPort: number; token: string };
    expect(ready.token).toBe('process-test-token');
    expect(ready.url).toBe(`http://127.0.0.1:${ready.port}/?token=process-test-token`);
    expect(output()).toContain(`Open ${ready.url}`);
    expect(ready.peerPort).toBeGreaterThan(0);

    const client = await WsFrameClient.connect({ port: ready.port, token: ready.token } as RunningGateway);
    client.send({ type: FrameType.HELLO, id: 0, version: BRIDGE_VERSION, client: 'test' });
    expect((await client.next()).type).toBe(FrameType.WELCOME);

    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    await client.closed();
  }, 30_000);

  it('exits with an error on an unknown flag, and prints help', async () => {
    const bad = run(['--no-such-flag']);
    expect(await bad.exited).toBe(2);
    expect(bad.output()).toContain('unknown option --no-such-flag');
    const help = run(['--help']);
    expect(await help.exited).toBe(0);
    expect(help.output()).toContain('GATEWAY_ICE_ANNOUNCE');
  }, 30_000);
});
