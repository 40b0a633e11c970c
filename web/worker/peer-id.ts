// Azureus-style peer id (BEP 20): -TT0100- then 12 random bytes.
export const CLIENT_PREFIX = '-TT0100-';
export const CLIENT_NAME = 'TabTorrent 0.1';

export function makePeerId(): Uint8Array<ArrayBuffer> {
  const id = new Uint8Array(20);
  id.set(new TextEncoder().encode(CLIENT_PREFIX));
  crypto.getRandomValues(id.subarray(8));
  return id;
}
