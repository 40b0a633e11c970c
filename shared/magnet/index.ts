// Magnet links (BEP 9, BEP 53 `so`, BEP 52 `btmh`).
export { parseMagnet, parseSelectOnly } from './parse.ts';
export { formatMagnet, formatSelectOnly } from './format.ts';
export { MagnetError } from './errors.ts';
export type { MagnetLink, MagnetPeer } from './types.ts';
