// Azureus-style peer id (BEP 20): -TA0100- then 12 random bytes. "TA" (TabTorrent) is in none of
// the client lists we checked: BEP 20's, libtorrent's identify_client, Transmission's clients.cc,
// webtorrent's bittorrent-peerid. ("TT" is TuoTu's, "TB" Torch's.)
export const CLIENT_CODE = 'TA';
export const CLIENT_PREFIX = `-${CLIENT_CODE}0100-`;
export const CLIENT_NAME = 'TabTorrent 0.1';

export function makePeerId(): Uint8Array<ArrayBuffer> {
  const id = new Uint8Array(20);
  id.set(new TextEncoder().encode(CLIENT_PREFIX));
  crypto.getRandomValues(id.subarray(8));
  return id;
}
