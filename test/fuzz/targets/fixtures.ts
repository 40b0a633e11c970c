// libtorrent's test torrents (the same ones test/shared/metainfo reads) as fuzz seeds: the small
// ones only, so each mutated input stays quick to copy and parse.

import { readFixture, fixtureNames } from '../../shared/bencode/fixtures.ts';

const MAX_SEED_BYTES = 24 * 1024;

let cached: Uint8Array[] | undefined;

export function smallTorrentFixtures(): Uint8Array[] {
  cached ??= fixtureNames().map(readFixture).filter((bytes) => bytes.length <= MAX_SEED_BYTES);
  return cached;
}
