// HTTP tracker responses (shared/tracker/http-response.ts): announce and scrape bodies.

import { bencode } from '../../../shared/bencode/index.ts';
import { TrackerError } from '../../../shared/tracker/errors.ts';
import { parseAnnounceResponse, parseScrapeResponse } from '../../../shared/tracker/http-response.ts';
import { ascii, type FuzzTarget } from '../target.ts';

const compact = Uint8Array.of(192, 0, 2, 1, 0x1a, 0xe1, 10, 0, 0, 1, 0xc8, 0xd5);
const compact6 = Uint8Array.from({ length: 18 }, (_, i) => (i === 17 ? 80 : i));
const hash = Uint8Array.from({ length: 20 }, (_, i) => i + 65);

export const trackerHttpTarget: FuzzTarget = {
  name: 'tracker-http',
  bencode: true,
  dictionary: ['interval', 'min interval', 'tracker id', 'complete', 'incomplete', 'downloaded', 'peers', 'peers6', 'ip', 'port', 'peer id', 'files', 'name', 'failure reason', 'warning message', 'ABCDEFGHIJKLMNOPQRST'],
  seeds: () => [
    bencode({ interval: 1800, 'min interval': 900, complete: 3, incomplete: 7, peers: compact, peers6: compact6, 'tracker id': 'abc' }),
    bencode({ interval: 60, peers: [{ ip: '192.0.2.9', port: 6881, 'peer id': hash }, { ip: '[2001:db8::2]', port: 1 }] }),
    bencode({ 'failure reason': 'torrent not registered' }),
    bencode({ interval: 60, peers: new Uint8Array(0), 'warning message': 'slow down' }),
    bencode(new Map([['files', new Map([[String.fromCharCode(...hash), { complete: 1, incomplete: 2, downloaded: 3, name: 'x' }]])]])),
    ascii('d5:filesdee'),
  ],
  // parseAnnounceResponse and parseScrapeResponse.
  decodesPerRun: 2,
  typedErrors: [TrackerError],
  run(input) {
    // A body is either an announce or a scrape response: accepted when one parser takes it.
    let announceError: unknown;
    try {
      parseAnnounceResponse(input);
    } catch (error) {
      if (!(error instanceof TrackerError)) throw error;
      announceError = error;
    }
    try {
      parseScrapeResponse(input);
    } catch (error) {
      if (!(error instanceof TrackerError)) throw error;
      if (announceError !== undefined) throw announceError;
    }
  },
};
