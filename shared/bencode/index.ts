// Bencode (BEP 3): strict decoding with byte offsets in errors, canonical encoding, typed field reads.
export { bdecode, bdecodePrefix, bdecodeDictSpans } from './decode.ts';
export type { BdecodeOptions, BdecodePrefixResult, BdecodeDictSpansResult } from './decode.ts';
export { bencode, compareBytes } from './encode.ts';
export { BencodeError, BencodeFieldError } from './errors.ts';
export { getBytes, getInt, getString, getList, getDict, isBDict, isBytes } from './dict.ts';
export { latin1Decode, latin1Encode, describeBValue } from './types.ts';
export type { BValue, BDict, BEncodable } from './types.ts';
