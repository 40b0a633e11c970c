// Peer wire protocol numbers, grouped by the BEP that defines them.

// BEP 3 — the peer protocol
export const PROTOCOL_NAME = 'BitTorrent protocol';
export const HANDSHAKE_BYTES = 68; // pstrlen u8 | pstr 19 | reserved 8 | info_hash 20 | peer_id 20
export const INFO_HASH_BYTES = 20;
export const PEER_ID_BYTES = 20;
export const RESERVED_BYTES = 8;
export const LENGTH_PREFIX_BYTES = 4;

export const MessageId = {
  // BEP 3 — the peer protocol
  CHOKE: 0,
  UNCHOKE: 1,
  INTERESTED: 2,
  NOT_INTERESTED: 3,
  HAVE: 4,
  BITFIELD: 5,
  REQUEST: 6,
  PIECE: 7,
  CANCEL: 8,
  // BEP 5 — DHT
  PORT: 9,
  // BEP 6 — fast extension
  SUGGEST: 13,
  HAVE_ALL: 14,
  HAVE_NONE: 15,
  REJECT: 16,
  ALLOWED_FAST: 17,
  // BEP 10 — extension protocol
  EXTENDED: 20,
} as const;
export type MessageIdValue = (typeof MessageId)[keyof typeof MessageId];

/** A reserved-byte flag: bit `mask` of `reserved[byteIndex]`. */
export interface ReservedFlag {
  readonly byteIndex: number;
  readonly mask: number;
}

export const ReservedBit = {
  // BEP 10 — extension protocol
  EXTENSION_PROTOCOL: { byteIndex: 5, mask: 0x10 },
  // BEP 6 — fast extension
  FAST: { byteIndex: 7, mask: 0x04 },
  // BEP 5 — DHT
  DHT: { byteIndex: 7, mask: 0x01 },
} as const satisfies Record<string, ReservedFlag>;

/** The usual block size; requests are for this many bytes except at a piece's end. */
export const BLOCK_BYTES = 16 * 1024;
/** Larger requests are a protocol error (libtorrent and others refuse them too). */
export const MAX_REQUEST_BYTES = 128 * 1024;
/** Default framer cap: 1 MiB of payload plus headers, enough for the bitfield of 8M pieces. */
export const DEFAULT_MAX_MESSAGE_BYTES = 1024 * 1024 + 13;
/** BEP 10: the extended message id of the extension handshake itself. */
export const EXTENDED_HANDSHAKE_ID = 0;
