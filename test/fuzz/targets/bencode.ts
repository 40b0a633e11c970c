// The bencode decoder (shared/bencode): bdecode, bdecodePrefix and bdecodeDictSpans. An accepted
// value must re-encode to bytes that decode to the same encoding again.

import { bdecode, bdecodeDictSpans, bdecodePrefix, bencode, BencodeError } from '../../../shared/bencode/index.ts';
import { equalBytes } from '../../../shared/bytes.ts';
import { ascii, check, roundTrip, type FuzzTarget } from '../target.ts';
import { smallTorrentFixtures } from './fixtures.ts';

export const BENCODE_KEYS = ['a', 'b', 'e', 'info', 'name', 'length', 'files', 'path', '__proto__', 'constructor', 'prototype', 'm', 'v', ''];

export const bencodeTarget: FuzzTarget = {
  name: 'bencode',
  bencode: true,
  dictionary: BENCODE_KEYS,
  seeds: () => [
    ...['i0e', 'i-42e', 'i9007199254740991e', '0:', '4:spam', 'le', 'de', 'l4:spami42ee', 'd3:bar4:spam3:fooi42ee', 'd1:ad1:bl1:cdeeee', 'd4:infod6:lengthi1e4:name1:xee'].map(ascii),
    ...smallTorrentFixtures().slice(0, 8),
  ],
  // bdecodePrefix, bdecodeDictSpans, bdecode, and a decode of the re-encoding.
  decodesPerRun: 4,
  typedErrors: [BencodeError],
  run(input) {
    const { value, length } = bdecodePrefix(input);
    check(length > 0 && length <= input.length, `bdecodePrefix used ${length} of ${input.length} bytes`);
    if (input[0] === 0x64 /* 'd' */) {
      const spans = bdecodeDictSpans(input);
      check(spans.length === length, 'bdecodeDictSpans and bdecodePrefix disagree on the length');
    }
    const encoded = roundTrip('encoding a decoded value', () => bencode(value));
    check(equalBytes(roundTrip('decoding a re-encoded value', () => bencode(bdecode(encoded))), encoded), 'a decoded value does not re-encode stably');
    bdecode(input); // trailing bytes: a typed error
  },
};
