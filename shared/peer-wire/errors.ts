// Every peer wire decoding failure is a PeerWireError: the caller closes that peer only.

export type PeerWireErrorReason =
  | 'bad-handshake' // wrong pstrlen or pstr, or a handshake of the wrong size
  | 'message-too-long' // a length prefix above the framer's cap
  | 'bad-payload-length' // the payload size does not fit the message id
  | 'bad-request-length' // REQUEST/CANCEL/REJECT for 0 or more than MAX_REQUEST_BYTES bytes
  | 'bad-extended-handshake' // BEP 10 handshake payload is not a bencoded dictionary
  | 'bad-pex' // BEP 11 ut_pex payload that is not a dictionary of whole compact peer lists
  | 'invalid-message'; // a message with bad field values (refused when encoding or decoding)

export class PeerWireError extends Error {
  constructor(
    readonly reason: PeerWireErrorReason,
    message: string,
    /** Byte offset in the payload where the problem was found, when it is known. */
    readonly offset?: number,
  ) {
    super(message);
    this.name = 'PeerWireError';
  }
}
