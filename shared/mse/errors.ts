// Every MSE/PE handshake failure is an MseError: the caller closes that peer only.

export type MseErrorCode =
  | 'bad-public-key' // a Diffie-Hellman Y of the wrong size or outside 1 < Y < P-1
  | 'no-req1-sync' // the receiver saw no HASH('req1', S) within PadA's 512-byte limit
  | 'no-vc-sync' // the initiator saw no ENCRYPT(VC) within PadB's 512-byte limit
  | 'unknown-skey' // HASH('req2', SKEY) names no torrent the receiver serves
  | 'bad-vc' // the verification constant decrypted to something other than 8 zero bytes
  | 'pad-too-long' // len(PadC) or len(PadD) above 512
  | 'no-common-method' // crypto_provide offers nothing the local policy accepts
  | 'bad-crypto-select' // crypto_select is not exactly one method the initiator provided
  | 'handshake-finished'; // bytes pushed into a handshake that already ended or failed

export class MseError extends Error {
  constructor(
    readonly code: MseErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'MseError';
  }
}
