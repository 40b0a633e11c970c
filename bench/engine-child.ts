// The engine in a process of its own for the bench (so its peak RSS is its own): downloads one
// torrent through a gateway into a file and prints one JSON line with the figures.
//   node --import tsx bench/engine-child.ts TORRENT GATEWAY_URL TOKEN OUT_FILE LINK [ENCRYPTION]
import { readFile } from 'node:fs/promises';
import { parseTorrent } from '../shared/metainfo/index.ts';
import { DiskPieceStore } from '../test/support/disk-piece-store.ts';
import { startEngine, waitForComplete } from '../test/support/engine-harness.ts';
import { isEncryptionMode } from '../web/worker/peer/encryption-mode.ts';

const [torrentPath, gatewayUrl, token, outFile, link, encryptionArg] = process.argv.slice(2);
const encryption = isEncryptionMode(encryptionArg) ? encryptionArg : undefined;
const bytes = new Uint8Array(await readFile(torrentPath!));
const meta = parseTorrent(bytes);
const store = new DiskPieceStore(outFile!, meta.pieceLength);
const harness = await startEngine({ gatewayUrl: gatewayUrl!, token: token!, link: link === 'websocket' ? 'websocket' : 'webrtc', store, encryption });
const started = performance.now();
const hex = await harness.engine.addTorrentFile(bytes);
await waitForComplete(harness.engine, hex, 10 * 60_000);
await store.flush();
const seconds = (performance.now() - started) / 1000;
const peakRssMB = (process.resourceUsage().maxRSS * 1024) / 1e6;
process.stdout.write(`${JSON.stringify({ seconds, bytes: meta.totalLength, peakRssMB, wastedBytes: harness.engine.get(hex)!.wastedBytes })}\n`);
await harness.close();
await store.close();
process.exit(0);
