import { describe, expect, it } from 'vitest';
import { DhtTokens, TOKEN_ROTATE_MS } from '../../../shared/dht/tokens.ts';

describe('get_peers tokens (BEP 5)', () => {
  it('binds a token to the IP that asked', () => {
    const tokens = new DhtTokens(0);
    const token = tokens.issue('10.0.0.1', 0);
    expect(tokens.verify('10.0.0.1', token, 1)).toBe(true);
    expect(tokens.verify('10.0.0.2', token, 1)).toBe(false);
    expect(tokens.verify('10.0.0.1', Uint8Array.of(1, 2, 3), 1)).toBe(false);
  });

  it('accepts a token for one rotation (5 to 10 minutes), then refuses it', () => {
    const tokens = new DhtTokens(0);
    const token = tokens.issue('10.0.0.1', 0);
    expect(tokens.verify('10.0.0.1', token, TOKEN_ROTATE_MS + 1)).toBe(true);
    expect(tokens.issue('10.0.0.1', TOKEN_ROTATE_MS + 2)).not.toEqual(token);
    expect(tokens.verify('10.0.0.1', token, 2 * TOKEN_ROTATE_MS + 2)).toBe(false);
  });

  it('forgets both secrets after a long pause', () => {
    const tokens = new DhtTokens(0);
    const token = tokens.issue('10.0.0.1', 0);
    expect(tokens.verify('10.0.0.1', token, 3 * TOKEN_ROTATE_MS)).toBe(false);
  });
});
