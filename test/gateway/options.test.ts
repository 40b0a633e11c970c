// Gateway options that are not about addresses (those are in address-policy.test.ts).
import { describe, expect, it } from 'vitest';
import { OptionsError, parseOptions, usage } from '../../gateway/options.ts';
import { HTTP_IDLE_TIMEOUT_MS } from '../../gateway/relays/http-deadlines.ts';

describe('--http-idle-timeout', () => {
  it('reads seconds from the flag or the environment, 30 by default', () => {
    expect(parseOptions([], {}).httpIdleTimeoutMs).toBe(HTTP_IDLE_TIMEOUT_MS);
    expect(HTTP_IDLE_TIMEOUT_MS).toBe(30_000);
    expect(parseOptions(['--http-idle-timeout', '5'], {}).httpIdleTimeoutMs).toBe(5000);
    expect(parseOptions(['--http-idle-timeout=0.5'], {}).httpIdleTimeoutMs).toBe(500);
    expect(parseOptions([], { GATEWAY_HTTP_IDLE_TIMEOUT: '2' }).httpIdleTimeoutMs).toBe(2000);
    expect(parseOptions(['--http-idle-timeout', '3'], { GATEWAY_HTTP_IDLE_TIMEOUT: '2' }).httpIdleTimeoutMs).toBe(3000);
  });

  it.each(['0', '-1', 'x', '1e3', '', ' 5', '100000'])('refuses %j', (value) => {
    expect(() => parseOptions(['--http-idle-timeout', value], {})).toThrow(OptionsError);
  });

  it('is in --help, aligned with the others', () => {
    const lines = usage().split('\n').filter((l) => l.startsWith('  --'));
    const envColumn = (l: string) => l.search(/GATEWAY_/);
    expect(lines.find((l) => l.includes('--http-idle-timeout SECONDS'))).toContain('GATEWAY_HTTP_IDLE_TIMEOUT');
    expect(new Set(lines.filter((l) => envColumn(l) > 0).map(envColumn)).size).toBe(1);
  });
});
