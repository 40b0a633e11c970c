// Runs the engine in Node against a real gateway, as the tab would, for interop tests and the bench.
import { createHash } from 'node:crypto';
import { parseTorrent, type Metainfo } from '../../shared/metainfo/index.ts';
import { pieceSize } from '../../shared/metainfo/index.ts';
import { Engine } from '../../web/worker/engine.ts';
import type { PieceStore } from '../../web/worker/piece-store.ts';
import { MemoryPieceStore } from '../../web/worker/memory-piece-store.ts';
import type { LinkKind } from '../../web/links/frame-link.ts';
import type { BridgeClient } from '../../web/worker/bridge/bridge-client.ts';
import { torrentDetails, torrentStats } from '../../web/worker/state/state-views.ts';
import type { EncryptionMode } from '../../web/worker/peer/encryption-mode.ts';
import { connectBridge } from './node-bridge.ts';

export interface EngineHarness {
  engine: Engine;
  client: BridgeClient;
  store: PieceStore;
  warnings: string[];
  close(): Promise<void>;
}

export async function startEngine(options: {
  gatewayUrl: string; token: string; link?: LinkKind; store?: PieceStore; dhtBootstrap?: { host: string; port: number }[];
  encryption?: EncryptionMode;
}): Promise<EngineHarness> {
  const store = options.store ?? new MemoryPieceStore();
  const warnings: string[] = [];
  const engine = new Engine({ store, dhtBootstrap: options.dhtBootstrap, encryption: options.encryption, onWarning: (_hex, message) => warnings.push(message) });
  const client = await connectBridge(options);
  await engine.setTransport(client);
  return {
    engine, client, store, warnings,
    async close() {
      await engine.shutdown();
      client.close();
    },
  };
}

/** Resolves when the torrent has every wanted piece; rejects with its status on timeout. */
export async function waitForComplete(engine: Engine, infoHashHex: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const torrent = engine.get(infoHashHex);
    if (torrent?.isComplete) return;
    if (torrent?.state === 'error') throw new Error(`torrent failed: ${torrent.error}`);
    if (Date.now() > deadline) {
      const s = torrent && torrentStats(torrent);
      const d = torrent && torrentDetails(torrent);
      throw new Error(`timed out at ${((s?.progress ?? 0) * 100).toFixed(1)} %, peers ${s?.peerCount}, trackers ${JSON.stringify(d?.trackers)}, warnings ${JSON.stringify(d?.warnings)}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** SHA-256 of each file as reassembled from the stored pieces, streaming piece by piece. */
export async function storedFileHashes(meta: Metainfo, store: PieceStore): Promise<Map<string, string>> {
  const hashes = new Map<string, string>();
  for (const file of meta.files) {
    if (file.padding) continue;
    const hash = createHash('sha256');
    let position = file.offset;
    const end = file.offset + file.length;
    while (position < end) {
      const index = Math.floor(position / meta.pieceLength);
      const piece = await store.getPiece(meta.infoHashHex, index);
      if (!piece || piece.length !== pieceSize(meta, index)) throw new Error(`piece ${index} missing from the store`);
      const startInPiece = position - index * meta.pieceLength;
      const take = Math.min(piece.length - startInPiece, end - position);
      hash.update(piece.subarray(startInPiece, startInPiece + take));
      position += take;
    }
    hashes.set(file.path, hash.digest('hex'));
  }
  return hashes;
}

export { parseTorrent };
