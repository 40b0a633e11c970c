// The engine's peer id (BEP 20, Azureus style): our own client code, a version, 12 random bytes.
import { describe, expect, it } from 'vitest';
import { CLIENT_CODE, CLIENT_PREFIX, makePeerId } from '../../../web/worker/peer-id.ts';

/** Two-letter codes other clients already use (BEP 20's list, libtorrent's identify_client, Transmission, bittorrent-peerid). */
const TAKEN_NEARBY = ['TB', 'TE', 'TL', 'TN', 'TR', 'TS', 'TT', 'WW', 'WD', 'LT', 'lt', 'qB', 'UT'];

describe('makePeerId', () => {
  it('is 20 bytes starting -TA0100-', () => {
    const id = makePeerId();
    expect(id.byteLength).toBe(20);
    expect(CLIENT_PREFIX).toBe('-TA0100-');
    expect(Buffer.from(id.subarray(0, 8)).toString('latin1')).toBe('-TA0100-');
  });

  it('does not claim another client\'s code (TT is TuoTu)', () => {
    expect(CLIENT_CODE).toMatch(/^[A-Za-z]{2}$/);
    expect(TAKEN_NEARBY).not.toContain(CLIENT_CODE);
  });

  it('has fresh random bytes after the prefix each time', () => {
    const a = makePeerId();
    const b = makePeerId();
    expect(Buffer.from(a.subarray(8)).equals(Buffer.from(b.subarray(8)))).toBe(false);
  });
});
