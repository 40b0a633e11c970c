// Tracker codecs: HTTP (BEP 3, 7, 23, 48) and UDP (BEP 15). Pure: the I/O is the engine's.
export * from './errors.ts';
export * from './peers.ts';
export * from './http.ts';
export * from './udp.ts';
