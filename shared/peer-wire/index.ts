// The BitTorrent peer wire protocol: handshake, messages, framing, BEP 10 extension handshake.
export * from './constants.ts';
export * from './errors.ts';
export * from './handshake.ts';
export * from './messages.ts';
export * from './framer.ts';
export * from './extended-handshake.ts';
export * from './ut-metadata.ts';
export * from './ut-pex.ts';
