// Checks that every size cap in the codecs is guarded by a unit test: removes one cap at a time
// (a textual patch of the source) in a scratch copy of shared/ and test/shared/, runs that
// codec's tests and expects them to fail. Not part of `npm test` (a vitest run per cap):
//
//   node --import tsx test/fuzz/cap-mutants.ts [filter]
//
// A patch whose text is no longer in the source fails loudly: update it with the code.

import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

interface CapMutant {
  readonly cap: string;
  readonly file: string;
  readonly from: string;
  readonly to: string;
  readonly tests: string;
}

const MUTANTS: CapMutant[] = [
  // bridge frames
  { cap: 'MAX_FRAME_BYTES', file: 'shared/bridge/frames.ts', from: 'if (bytes.length > MAX_FRAME_BYTES)', to: 'if (false)', tests: 'test/shared/bridge' },
  { cap: 'HELLO text 1024 bytes', file: 'shared/bridge/frames.ts', from: 'r.text(1024)', to: 'r.text(Infinity)', tests: 'test/shared/bridge' },
  { cap: 'MAX_TEXT_BYTES (decode)', file: 'shared/bridge/frames.ts', from: 'if (b.length > max)', to: 'if (false)', tests: 'test/shared/bridge' },
  { cap: 'MAX_HOST_BYTES (encode)', file: 'shared/bridge/frames.ts', from: 'b.length > MAX_HOST_BYTES', to: 'false', tests: 'test/shared/bridge' },
  { cap: 'MAX_TEXT_BYTES (encode url)', file: 'shared/bridge/frames.ts', from: 'if (u.length > MAX_TEXT_BYTES)', to: 'if (false)', tests: 'test/shared/bridge' },
  { cap: 'MAX_TEXT_BYTES / 4 (encode ERROR)', file: 'shared/bridge/frames.ts', from: 'frame.message.slice(0, MAX_TEXT_BYTES / 4)', to: 'frame.message', tests: 'test/shared/bridge' },
  { cap: 'HTTP_GET range u64 below 2^53', file: 'shared/bridge/frames.ts', from: 'if (high > 0x1fffff)', to: 'if (false)', tests: 'test/shared/bridge' },
  { cap: 'MAX_TEXT_BYTES / 4 (encode CLOSE)', file: 'shared/bridge/frames.ts', from: 'frame.reason.slice(0, MAX_TEXT_BYTES / 4)', to: 'frame.reason', tests: 'test/shared/bridge' },
  // peer wire
  { cap: 'maxMessageBytes', file: 'shared/peer-wire/framer.ts', from: 'if (bodyBytes > this.maxMessageBytes)', to: 'if (false)', tests: 'test/shared/peer-wire/framer.test.ts' },
  { cap: 'DEFAULT_MAX_MESSAGE_BYTES', file: 'shared/peer-wire/framer.ts', from: 'options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES', to: 'options.maxMessageBytes ?? Infinity', tests: 'test/shared/peer-wire/framer.test.ts' },
  { cap: 'MAX_REQUEST_BYTES', file: 'shared/peer-wire/messages.ts', from: 'length > MAX_REQUEST_BYTES', to: 'false', tests: 'test/shared/peer-wire' },
  { cap: 'MAX_METADATA_BYTES', file: 'shared/peer-wire/ut-metadata.ts', from: 'totalSize > MAX_METADATA_BYTES', to: 'false', tests: 'test/shared/peer-wire/ut-metadata.test.ts' },
  { cap: 'METADATA_PIECE_BYTES', file: 'shared/peer-wire/ut-metadata.ts', from: 'if (data.length > METADATA_PIECE_BYTES)', to: 'if (false)', tests: 'test/shared/peer-wire/ut-metadata.test.ts' },
  { cap: 'ut_metadata depth 4', file: 'shared/peer-wire/ut-metadata.ts', from: 'bdecodeDictSpans(payload, { maxDepth: 4 })', to: 'bdecodeDictSpans(payload, {})', tests: 'test/shared/peer-wire/ut-metadata.test.ts' },
  { cap: 'MAX_PEX_PEERS (decode)', file: 'shared/peer-wire/ut-pex.ts', from: 'decode(bytes.subarray(0, MAX_PEX_PEERS * entryBytes))', to: 'decode(bytes)', tests: 'test/shared/peer-wire/ut-pex.test.ts' },
  { cap: 'MAX_PEX_PEERS (decode, v4 + v6)', file: 'shared/peer-wire/ut-pex.ts', from: "decodeCompactIPv6Peers)].slice(0, MAX_PEX_PEERS),\n  };", to: 'decodeCompactIPv6Peers)],\n  };', tests: 'test/shared/peer-wire/ut-pex.test.ts' },
  { cap: 'MAX_PEX_PEERS (encode)', file: 'shared/peer-wire/ut-pex.ts', from: 'if (entries.length >= MAX_PEX_PEERS) break;', to: '', tests: 'test/shared/peer-wire/ut-pex.test.ts' },
  { cap: 'ut_pex depth 4', file: 'shared/peer-wire/ut-pex.ts', from: 'bdecode(payload, { maxDepth: 4 })', to: 'bdecode(payload, {})', tests: 'test/shared/peer-wire/ut-pex.test.ts' },
  // bencode
  { cap: 'bencode DEFAULT_MAX_DEPTH', file: 'shared/bencode/decode.ts', from: 'options.maxDepth ?? DEFAULT_MAX_DEPTH', to: 'options.maxDepth ?? Infinity', tests: 'test/shared/bencode' },
  { cap: 'bencode MAX_INTEGER_DIGITS', file: 'shared/bencode/decode.ts', from: 'if (this.position - start >= MAX_INTEGER_DIGITS)', to: 'if (false)', tests: 'test/shared/bencode' },
  { cap: 'bencode safe integers', file: 'shared/bencode/decode.ts', from: 'if (value > Number.MAX_SAFE_INTEGER)', to: 'if (false)', tests: 'test/shared/bencode' },
  { cap: 'bencode maxStringBytes', file: 'shared/bencode/decode.ts', from: 'if (length > this.maxStringBytes)', to: 'if (false)', tests: 'test/shared/bencode' },
  { cap: 'bencode MAX_ENCODE_DEPTH', file: 'shared/bencode/encode.ts', from: 'if (depth >= MAX_ENCODE_DEPTH)', to: 'if (false)', tests: 'test/shared/bencode' },
  // metainfo
  { cap: 'MAX_TOTAL_BYTES (one file)', file: 'shared/metainfo/files.ts', from: 'if (length > MAX_TOTAL_BYTES)', to: 'if (false)', tests: 'test/shared/metainfo/parse.test.ts' },
  { cap: 'MAX_TOTAL_BYTES (sum)', file: 'shared/metainfo/files.ts', from: 'if (offset > MAX_TOTAL_BYTES)', to: 'if (false)', tests: 'test/shared/metainfo/parse.test.ts' },
  { cap: 'MAX_FILE_COUNT', file: 'shared/metainfo/files.ts', from: 'if (filesValue.length > MAX_FILE_COUNT)', to: 'if (false)', tests: 'test/shared/metainfo/parse.test.ts' },
  { cap: 'BEP 47 attr 16 bytes', file: 'shared/metainfo/files.ts', from: 'attr.subarray(0, 16)', to: 'attr', tests: 'test/shared/metainfo/parse.test.ts' },
  { cap: 'MAX_PIECE_LENGTH_BYTES', file: 'shared/metainfo/parse.ts', from: 'value > MAX_PIECE_LENGTH_BYTES', to: 'false', tests: 'test/shared/metainfo/parse.test.ts' },
  { cap: 'MAX_PIECE_COUNT', file: 'shared/metainfo/parse.ts', from: 'if (totalLength / pieceLength > MAX_PIECE_COUNT)', to: 'if (false)', tests: 'test/shared/metainfo/parse.test.ts' },
  { cap: 'MAX_DUPLICATE_COLLISIONS', file: 'shared/metainfo/duplicates.ts', from: 'if (++collisions > MAX_DUPLICATE_COLLISIONS)', to: 'if (false)', tests: 'test/shared/metainfo/fixtures.test.ts' },
  { cap: 'path element 240 bytes', file: 'shared/metainfo/sanitize-path.ts', from: 'if (addedBytes >= MAX_ELEMENT_BYTES && !foundExtension)', to: 'if (false)', tests: 'test/shared/metainfo/sanitize-path.test.ts' },
  // magnet
  { cap: 'MAX_URI_CHARS', file: 'shared/magnet/parse.ts', from: 'if (text.length > MAX_URI_CHARS)', to: 'if (false)', tests: 'test/shared/magnet/magnet.test.ts' },
  { cap: 'MAX_SELECTED_FILES', file: 'shared/magnet/parse.ts', from: 'if (total > MAX_SELECTED_FILES)', to: 'if (total > 2 * MAX_SELECTED_FILES)', tests: 'test/shared/magnet/magnet.test.ts' },
  // trackers
  { cap: 'MAX_SCRAPE_INFO_HASHES', file: 'shared/tracker/udp.ts', from: 'infoHashes.length > MAX_SCRAPE_INFO_HASHES', to: 'false', tests: 'test/shared/tracker/udp.test.ts' },
  // KRPC
  { cap: 'MAX_KRPC_MESSAGE_BYTES', file: 'shared/dht/krpc.ts', from: 'if (bytes.length > MAX_KRPC_MESSAGE_BYTES)', to: 'if (false)', tests: 'test/shared/dht/krpc.test.ts' },
  { cap: 'KRPC depth 8', file: 'shared/dht/krpc.ts', from: 'bdecode(bytes, { maxDepth: MAX_DEPTH })', to: 'bdecode(bytes)', tests: 'test/shared/dht/krpc.test.ts' },
  { cap: 'MAX_VALUES', file: 'shared/dht/krpc.ts', from: 'if (list.length > MAX_VALUES)', to: 'if (false)', tests: 'test/shared/dht/krpc.test.ts' },
  { cap: 'MAX_TRANSACTION_ID_BYTES', file: 'shared/dht/krpc.ts', from: 'if (transactionId.length > MAX_TRANSACTION_ID_BYTES)', to: 'if (false)', tests: 'test/shared/dht/krpc.test.ts' },
  { cap: 'MAX_TOKEN_BYTES (announce_peer)', file: 'shared/dht/krpc.ts', from: "if (token.length > MAX_TOKEN_BYTES) throw new KrpcError(`token of ${token.length} bytes`);\n      return", to: 'return', tests: 'test/shared/dht/krpc.test.ts' },
  { cap: 'MAX_TOKEN_BYTES (response)', file: 'shared/dht/krpc.ts', from: 'if (token && token.length > MAX_TOKEN_BYTES)', to: 'if (false)', tests: 'test/shared/dht/krpc.test.ts' },
  { cap: 'MAX_ERROR_MESSAGE_BYTES', file: 'shared/dht/krpc.ts', from: 'message.subarray(0, MAX_ERROR_MESSAGE_BYTES)', to: 'message', tests: 'test/shared/dht/krpc.test.ts' },
  { cap: 'unknown method name 64', file: 'shared/dht/krpc.ts', from: 'name.slice(0, 64)', to: 'name', tests: 'test/shared/dht/krpc.test.ts' },
  // uTP
  { cap: 'MAX_EXTENSIONS', file: 'shared/utp/packet.ts', from: 'if (count === MAX_EXTENSIONS)', to: 'if (false)', tests: 'test/shared/utp/packet.test.ts' },
  { cap: 'selective ACK 255 bytes (encode)', file: 'shared/utp/packet.ts', from: 'sack.length > 255', to: 'false', tests: 'test/shared/utp/packet.test.ts' },
];

const repo = resolve(import.meta.dirname, '../..');
const filter = process.argv[2];
const scratch = mkdtempSync(join(tmpdir(), 'cap-mutants-'));
const root = join(scratch, 'main');
cpSync(join(repo, 'shared'), join(root, 'shared'), { recursive: true });
cpSync(join(repo, 'test/shared'), join(root, 'test/shared'), { recursive: true });
symlinkSync(join(repo, 'node_modules'), join(root, 'node_modules'));
symlinkSync(resolve(repo, '../shared'), join(scratch, 'shared')); // the fixtures, as ../shared/fixtures
writeFileSync(join(root, 'package.json'), '{ "type": "module" }\n');

function testsFail(tests: string): boolean {
  try {
    execFileSync('node_modules/.bin/vitest', ['run', '--testTimeout=30000', tests], { cwd: root, stdio: 'ignore', timeout: 180_000 });
    return false;
  } catch {
    return true;
  }
}

const selected = MUTANTS.filter((m) => !filter || m.cap.includes(filter) || m.file.includes(filter));
// The unpatched copy must pass, or a failure below would prove nothing.
for (const tests of new Set(selected.map((m) => m.tests))) {
  if (testsFail(tests)) throw new Error(`${tests} fails in the scratch copy without any patch`);
}

let survivors = 0;
for (const mutant of selected) {
  const path = join(root, mutant.file);
  const original = readFileSync(path, 'utf8');
  if (!original.includes(mutant.from)) throw new Error(`${mutant.cap}: "${mutant.from}" is not in ${mutant.file} any more`);
  writeFileSync(path, original.replace(mutant.from, mutant.to));
  const failed = testsFail(mutant.tests);
  writeFileSync(path, original);
  if (!failed) survivors++;
  console.log(`${failed ? 'guarded  ' : 'UNGUARDED'} ${mutant.cap.padEnd(36)} ${mutant.tests}`);
}
rmSync(scratch, { recursive: true, force: true });
console.log(survivors === 0 ? 'every cap is guarded by a failing test' : `${survivors} cap(s) not guarded`);
process.exit(survivors === 0 ? 0 : 1);
