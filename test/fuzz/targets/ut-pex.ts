// ut_pex messages (shared/peer-wire/ut-pex.ts, BEP 11).

import { PeerWireError } from '../../../shared/peer-wire/errors.ts';
import { decodePexMessage, encodePexMessage, MAX_PEX_PEERS } from '../../../shared/peer-wire/ut-pex.ts';
import { bencode } from '../../../shared/bencode/index.ts';
import { check, type FuzzTarget } from '../target.ts';

const peers = (count: number) => Array.from({ length: count }, (_, i) => ({ host: `10.0.${i >> 8}.${i & 0xff}`, port: 6881 + i }));

export const utPexTarget: FuzzTarget = {
  name: 'ut-pex',
  bencode: true,
  dictionary: ['added', 'added.f', 'added6', 'added6.f', 'dropped', 'dropped6'],
  seeds: () => [
    encodePexMessage({ added: peers(3), dropped: peers(1) }),
    encodePexMessage({ added: peers(60), dropped: [] }),
    bencode({ added6: Uint8Array.from({ length: 36 }, (_, i) => i), dropped6: new Uint8Array(18) }),
  ],
  typedErrors: [PeerWireError],
  run(input) {
    const message = decodePexMessage(input);
    check(message.added.length <= MAX_PEX_PEERS && message.dropped.length <= MAX_PEX_PEERS, 'more than MAX_PEX_PEERS peers');
  },
};
