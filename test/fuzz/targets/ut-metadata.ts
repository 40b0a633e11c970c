// ut_metadata messages (shared/peer-wire/ut-metadata.ts, BEP 9): a bencoded dict, then piece data.

import { PeerWireError } from '../../../shared/peer-wire/errors.ts';
import { decodeMetadataMessage, encodeMetadataMessage, METADATA_PIECE_BYTES } from '../../../shared/peer-wire/ut-metadata.ts';
import { check, type FuzzTarget } from '../target.ts';

export const utMetadataTarget: FuzzTarget = {
  name: 'ut-metadata',
  bencode: true,
  dictionary: ['msg_type', 'piece', 'total_size'],
  seeds: () => [
    encodeMetadataMessage({ type: 'request', piece: 0 }),
    encodeMetadataMessage({ type: 'reject', piece: 3 }),
    encodeMetadataMessage({ type: 'data', piece: 1, totalSize: 40000, data: Uint8Array.from({ length: 100 }, (_, i) => i) }),
  ],
  typedErrors: [PeerWireError],
  run(input) {
    const message = decodeMetadataMessage(input);
    check(Number.isSafeInteger(message.piece) && message.piece >= 0, `piece ${message.piece}`);
    if (message.type === 'data') check(message.data.length <= METADATA_PIECE_BYTES, 'a data piece over 16 KiB');
  },
};
