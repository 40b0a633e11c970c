// BEP 10 extension handshakes (shared/peer-wire/extended-handshake.ts). An accepted one
// re-encodes to one that decodes to the same extension ids.

import { PeerWireError } from '../../../shared/peer-wire/errors.ts';
import { decodeExtendedHandshake, encodeExtendedHandshake } from '../../../shared/peer-wire/extended-handshake.ts';
import { ascii, check, roundTrip, type FuzzTarget } from '../target.ts';

export const extendedHandshakeTarget: FuzzTarget = {
  name: 'extended-handshake',
  bencode: true,
  dictionary: ['m', 'v', 'p', 'reqq', 'metadata_size', 'yourip', 'ut_metadata', 'ut_pex', 'upload_only', 'e', 'ipv4', 'ipv6'],
  seeds: () => [
    encodeExtendedHandshake({ m: new Map([['ut_metadata', 3], ['ut_pex', 1]]), v: 'qBittorrent/4.6', reqq: 500, p: 6881, metadataSize: 31235, yourip: Uint8Array.of(192, 0, 2, 1) }),
    ascii('d1:md11:ut_metadatai0eee'),
  ],
  // decodeExtendedHandshake, and again after re-encoding.
  decodesPerRun: 2,
  typedErrors: [PeerWireError],
  run(input) {
    const handshake = decodeExtendedHandshake(input);
    const again = roundTrip('re-encoding a decoded handshake', () => decodeExtendedHandshake(encodeExtendedHandshake(handshake)));
    const same = again.m.size === handshake.m.size && [...handshake.m].every(([name, id]) => again.m.get(name) === id);
    check(same, 'extension ids change through re-encoding');
  },
};
