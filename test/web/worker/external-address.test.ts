import { describe, expect, it } from 'vitest';
import { ExternalAddress } from '../../../web/worker/external-address.ts';

describe('ExternalAddress', () => {
  it('knows nothing until two different peers name the same address', () => {
    const external = new ExternalAddress();
    external.vote('198.51.100.1', '203.0.113.9');
    external.vote('198.51.100.1', '203.0.113.9'); // the same voter again: still one vote
    expect(external.current).toBeUndefined();
    external.vote('198.51.100.2', '203.0.113.9');
    expect(external.current).toBe('203.0.113.9');
  });

  it('takes the address most peers name, and a voter that changes its word counts once', () => {
    const external = new ExternalAddress();
    for (const voter of ['a', 'b', 'c']) external.vote(voter, '203.0.113.9');
    for (const voter of ['d', 'e']) external.vote(voter, '192.0.2.66'); // liars
    expect(external.current).toBe('203.0.113.9');
    external.vote('a', '192.0.2.66');
    external.vote('b', '192.0.2.66');
    expect(external.current).toBe('192.0.2.66');
  });

  it('remembers a bounded number of voters, the newest', () => {
    const external = new ExternalAddress();
    for (let i = 0; i < 1000; i++) external.vote(`old-${i}`, '192.0.2.66');
    for (let i = 0; i < 200; i++) external.vote(`new-${i}`, '203.0.113.9');
    expect(external.current).toBe('203.0.113.9');
  });
});
