// Our engine in a process of its own, seeding one torrent from its existing data file (every piece
// present, the file only read) through a gateway, for the upload bench (bench/citizen/upload.ts):
//   node --import tsx bench/engine-seed-child.ts TORRENT GATEWAY_URL TOKEN DATA_FILE [LINK]
// Prints `SEEDING {"infoHash"}` once the torrent is complete and its peers can come; on stdin's end
// (or SIGTERM) prints `UPLOADED {"bytes"}` and exits.
import { readFile } from 'node:fs/promises';
import { parseTorrent } from '../shared/metainfo/index.ts';
import { DiskPieceStore } from '../test/support/disk-piece-store.ts';
import { startEngine, waitForComplete } from '../test/support/engine-harness.ts';

const [torrentPath, gatewayUrl, token, dataFile, link] = process.argv.slice(2);
const bytes = new Uint8Array(await readFile(torrentPath!));
const meta = parseTorrent(bytes);
const store = new DiskPieceStore(dataFile!, meta.pieceLength, { complete: true });
const harness = await startEngine({ gatewayUrl: gatewayUrl!, token: token!, link: link === 'websocket' ? 'websocket' : 'webrtc', store });
const hex = await harness.engine.addTorrentFile(bytes);
await waitForComplete(harness.engine, hex, 60_000);
process.stdout.write(`SEEDING ${JSON.stringify({ infoHash: hex })}\n`);

let stopping = false;
async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  process.stdout.write(`UPLOADED ${JSON.stringify({ bytes: harness.engine.get(hex)?.uploadedBytes ?? 0 })}\n`);
  await harness.close();
  await store.close();
  process.exit(0);
}
process.on('SIGTERM', () => void stop());
process.stdin.on('end', () => void stop());
process.stdin.resume();
