import { describe, expect, it } from 'vitest';
import { allowedFastSet } from '../../../shared/peer-wire/allowed-fast.ts';

describe('allowedFastSet (BEP 6)', () => {
  const infoHash = new Uint8Array(20).fill(0xaa);

  it("gives the BEP's example sets for 80.4.4.200, an info-hash of 0xAA bytes and 1313 pieces", () => {
    expect(allowedFastSet('80.4.4.200', infoHash, 1313, 7)).toEqual([1059, 431, 808, 1217, 287, 376, 1188]);
    expect(allowedFastSet('80.4.4.200', infoHash, 1313, 9)).toEqual([1059, 431, 808, 1217, 287, 376, 1188, 353, 508]);
  });

  it('is the same for every address of a /24, and never more pieces than the torrent has', () => {
    expect(allowedFastSet('80.4.4.1', infoHash, 1313, 9)).toEqual(allowedFastSet('80.4.4.200', infoHash, 1313, 9));
    expect(allowedFastSet('80.4.4.1', infoHash, 3).sort()).toEqual([0, 1, 2]);
    expect(allowedFastSet('80.4.4.1', infoHash, 0)).toEqual([]);
    expect(allowedFastSet('2001:db8::1', infoHash, 1313)).toEqual([]);
  });
});
