// MSE/PE (Message Stream Encryption): the obfuscated BitTorrent handshake and its RC4 streams.
export * from './errors.ts';
export * from './rc4.ts';
export * from './diffie-hellman.ts';
export * from './keys.ts';
export * from './crypto-methods.ts';
export * from './handshake.ts';
export * from './initiator.ts';
export * from './receiver.ts';
export * from './skey-reader.ts';
