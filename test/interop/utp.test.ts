// Interop over uTP (BEP 29) with libtorrent, through a real gateway process: our outbound
// UTP_OPEN to a uTP-only libtorrent seeder (the raw relay, then a whole download by the engine,
// which reaches it over uTP with no TCP attempt first),
// and a uTP-only libtorrent leecher that reaches our engine through the gateway's inbound uTP.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { startGatewayProcess, type GatewayProcess } from '../helpers/gateway-process.ts';
import { makeTempDir } from '../helpers/temp.ts';
import { sha256File, writeDataFiles } from '../helpers/data-files.ts';
import { makeTorrent, type MadeTorrent } from '../helpers/make-torrent.ts';
import { startLibtorrentLeecher, startLibtorrentSeeder } from '../helpers/libtorrent.ts';
import { createHash } from 'node:crypto';
import { encodeHandshake, decodeHandshake } from '../../shared/peer-wire/handshake.ts';
import { MessageFramer } from '../../shared/peer-wire/framer.ts';
import { encodeMessage } from '../../shared/peer-wire/messages.ts';
import type { ByteStream, PeerAddress, StreamKind } from '../../web/worker/transport.ts';
import { parseTorrent, startEngine, storedFileHashes, waitForComplete, type EngineHarness } from '../support/engine-harness.ts';
import { torrentDetails } from '../../web/worker/state/state-views.ts';

let gateway: GatewayProcess;

beforeAll(async () => {
  gateway = await startGatewayProcess({ allowPrivate: true });
});
afterAll(async () => {
  await gateway?.stop();
});

async function fixture(name: string, size: number): Promise<{ torrent: MadeTorrent; dataDir: string; sha256: string }> {
  const dataDir = await makeTempDir(`seed-${name}`);
  await writeDataFiles(dataDir, [{ path: `${name}.bin`, size }], name);
  const torrent = await makeTorrent({
    sourcePath: join(dataDir, `${name}.bin`), outFile: join(await makeTempDir('torrent'), `${name}.torrent`), pieceLengthExp: 15,
  });
  return { torrent, dataDir, sha256: await sha256File(join(dataDir, `${name}.bin`)) };
}

const BLOCK = 16 * 1024;
const PIPELINE = 64;

/** A minimal BitTorrent downloader over one stream: handshake, interested, then every block. */
function downloadOverStream(stream: ByteStream, torrent: MadeTorrent): Promise<Buffer> {
  const file = Buffer.alloc(torrent.totalLength);
  const framer = new MessageFramer({ expectHandshake: true });
  const blocks: Array<{ piece: number; offset: number; length: number }> = [];
  for (let at = 0; at < torrent.totalLength; at += BLOCK) {
    const piece = Math.floor(at / torrent.pieceLength);
    blocks.push({ piece, offset: at - piece * torrent.pieceLength, length: Math.min(BLOCK, torrent.totalLength - at) });
  }
  let next = 0;
  let done = 0;
  return new Promise((resolve, reject) => {
    const request = () => {
      while (next < blocks.length && next - done < PIPELINE) stream.write(encodeMessage({ type: 'request', ...blocks[next++]! }));
    };
    stream.onClose = (error) => reject(new Error(`the seeder closed: ${error ?? 'cleanly'}`));
    stream.onData = (bytes) => {
      for (const item of framer.push(bytes)) {
        if (item.type === 'unchoke') request();
        if (item.type !== 'piece' && item.type !== 'piece-parts') continue;
        let at = item.piece * torrent.pieceLength + item.offset;
        for (const part of item.type === 'piece' ? [item.block] : item.parts) { file.set(part, at); at += part.length; }
        if (++done === blocks.length) return resolve(file);
        request();
      }
    };
    stream.write(encodeHandshake({ reserved: new Uint8Array(8), infoHash: hexBytes(torrent.infoHash), peerId: new TextEncoder().encode('-TA0001-utpdownload1') }));
    stream.write(encodeMessage({ type: 'interested' }));
  });
}

/** Puts a recorder between the engine and its gateway link: every connect(kind, address) it makes. */
function recordConnects(harness: EngineHarness): Array<{ kind: StreamKind; port: number }> {
  const attempts: Array<{ kind: StreamKind; port: number }> = [];
  const client = harness.client;
  const recording = new Proxy(client, {
    get(target, property) {
      if (property === 'connect') {
        return (kind: StreamKind, address: PeerAddress, timeoutMs?: number) => {
          attempts.push({ kind, port: address.port });
          return target.connect(kind, address, timeoutMs);
        };
      }
      const value = Reflect.get(target, property) as unknown;
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
  void harness.engine.setTransport(recording);
  return attempts;
}

function hexBytes(hex: string): Uint8Array {
  return new Uint8Array(Buffer.from(hex, 'hex'));
}

describe('uTP interop with libtorrent', () => {
  it('UTP_OPEN reaches a uTP-only libtorrent seeder: handshake and bitfield come back', async () => {
    const f = await fixture('utp-raw', 256 * 1024);
    const seeder = await startLibtorrentSeeder({ torrentPath: f.torrent.torrentPath, dataDir: f.dataDir, utpOnly: true });
    const harness = await startEngine({ gatewayUrl: gateway.url, token: gateway.token });
    try {
      const stream = await harness.client.connect('utp', { host: '127.0.0.1', port: seeder.port });
      const received: Uint8Array[] = [];
      let total = 0;
      const enough = new Promise<void>((resolve) => {
        stream.onData = (bytes) => {
          received.push(bytes);
          total += bytes.length;
          if (total >= 68 + 5) resolve();
        };
      });
      stream.write(encodeHandshake({ reserved: new Uint8Array(8), infoHash: hexBytes(f.torrent.infoHash), peerId: new TextEncoder().encode('-TA0001-utpinterop01') }));
      await enough;
      const bytes = Buffer.concat(received);
      const theirs = decodeHandshake(bytes);
      expect(Buffer.from(theirs.infoHash).toString('hex')).toBe(f.torrent.infoHash);
      // The first message after the handshake: length, then id 5 (bitfield) — or 14 (have all)
      // with the fast extension, which we did not offer.
      expect(bytes[68 + 4]).toBe(5);
      stream.close();
    } finally {
      await harness.close();
      await seeder.stop();
    }
  });

  it('closes cleanly and re-opens at once: the second uTP connection to a uTP-only libtorrent seeder completes its handshake', async () => {
    const f = await fixture('utp-reopen', 64 * 1024);
    const seeder = await startLibtorrentSeeder({ torrentPath: f.torrent.torrentPath, dataDir: f.dataDir, utpOnly: true });
    const harness = await startEngine({ gatewayUrl: gateway.url, token: gateway.token });
    const handshake = async (peerId: string): Promise<ByteStream> => {
      const stream = await harness.client.connect('utp', { host: '127.0.0.1', port: seeder.port });
      const received: Uint8Array[] = [];
      await new Promise<void>((resolve, reject) => {
        stream.onClose = (error) => reject(new Error(`libtorrent closed the connection before its handshake: ${error ?? 'cleanly'}`));
        stream.onData = (bytes) => {
          received.push(bytes);
          if (Buffer.concat(received).length >= 68) resolve();
        };
        stream.write(encodeHandshake({ reserved: new Uint8Array(8), infoHash: hexBytes(f.torrent.infoHash), peerId: new TextEncoder().encode(peerId) }));
      });
      expect(Buffer.from(decodeHandshake(Buffer.concat(received)).infoHash).toString('hex')).toBe(f.torrent.infoHash);
      return stream;
    };
    try {
      const first = await handshake('-TA0001-utpreopen001');
      first.close();
      // libtorrent drops a second connection from the same address while the first one lingers
      // half-closed (it waits for the ACK of its FIN): the re-open shows that close is complete.
      const second = await handshake('-TA0001-utpreopen002');
      second.close();
    } finally {
      await harness.close();
      await seeder.stop();
    }
  });

  it('downloads 8 MiB intact from a uTP-only libtorrent seeder over UTP_OPEN (timed against libtorrent\'s own uTP)', async () => {
    const f = await fixture('utp-down', 8 * 1024 * 1024 + 777);
    const seeder = await startLibtorrentSeeder({ torrentPath: f.torrent.torrentPath, dataDir: f.dataDir, utpOnly: true });
    const harness = await startEngine({ gatewayUrl: gateway.url, token: gateway.token });
    try {
      const started = performance.now();
      const stream = await harness.client.connect('utp', { host: '127.0.0.1', port: seeder.port });
      const file = await downloadOverStream(stream, f.torrent);
      const seconds = (performance.now() - started) / 1000;
      expect(createHash('sha256').update(file).digest('hex')).toBe(f.sha256);
      stream.close();

      // The baseline: libtorrent downloading the same torrent from the same seeder over uTP.
      const leechDir = await makeTempDir('utp-baseline');
      const baselineStart = performance.now();
      const leecher = await startLibtorrentLeecher({ torrentPath: f.torrent.torrentPath, dataDir: leechDir, utpOnly: true, connectTo: [`127.0.0.1:${seeder.port}`] });
      await leecher.waitForEvent('finished', 40_000);
      const baselineSeconds = (performance.now() - baselineStart) / 1000;
      await leecher.stop();
      const mb = f.torrent.totalLength / 1e6;
      console.log(`uTP from libtorrent, 8 MiB: us (tab bridge + gateway) ${(mb / seconds).toFixed(1)} MB/s; libtorrent ← libtorrent ${(mb / baselineSeconds).toFixed(1)} MB/s (incl. its start-up)`);
    } finally {
      await harness.close();
      await seeder.stop();
    }
  });

  // A new peer is dialled over uTP first (TCP joins only if uTP is silent for the head start), so a
  // uTP-only libtorrent — which would accept a TCP connection and drop it unread — is reached at
  // once, with no TCP attempt at all; uTP is then what the swarm remembers for it.
  it('reaches a uTP-only libtorrent seeder over uTP at once, without a TCP attempt, and downloads from it', async () => {
    const f = await fixture('utp-engine', 2 * 1024 * 1024 + 777);
    const seeder = await startLibtorrentSeeder({ torrentPath: f.torrent.torrentPath, dataDir: f.dataDir, utpOnly: true });
    const harness = await startEngine({ gatewayUrl: gateway.url, token: gateway.token });
    try {
      const attempts = recordConnects(harness);
      const hex = await harness.engine.addTorrentFile(f.torrent.bytes, { peers: [{ host: '127.0.0.1', port: seeder.port }] });
      await waitForComplete(harness.engine, hex, 40_000);
      const meta = parseTorrent(f.torrent.bytes);
      expect(await storedFileHashes(meta, harness.store)).toEqual(new Map([['utp-engine.bin', f.sha256]]));
      expect(attempts.filter((a) => a.port === seeder.port).map((a) => a.kind)).toEqual(['utp']);
      expect(harness.engine.get(hex)!.swarm.kindFor({ host: '127.0.0.1', port: seeder.port })).toBe('utp');
    } finally {
      await harness.close();
      await seeder.stop();
    }
  });

  it('a magnet from a uTP-only libtorrent seeder: the torrent reconnects over uTP at once after the metadata fetch closes', async () => {
    const f = await fixture('utp-magnet', 512 * 1024 + 5);
    const seeder = await startLibtorrentSeeder({ torrentPath: f.torrent.torrentPath, dataDir: f.dataDir, utpOnly: true });
    const harness = await startEngine({ gatewayUrl: gateway.url, token: gateway.token });
    const attempts = recordConnects(harness);
    try {
      const started = performance.now();
      const hex = await harness.engine.addMagnet(`magnet:?xt=urn:btih:${f.torrent.infoHash}&x.pe=127.0.0.1:${seeder.port}`);
      await waitForComplete(harness.engine, hex, 30_000);
      console.log(`magnet from a uTP-only seeder: complete in ${((performance.now() - started) / 1000).toFixed(1)} s`);
      const meta = parseTorrent(f.torrent.bytes);
      expect(await storedFileHashes(meta, harness.store)).toEqual(new Map([['utp-magnet.bin', f.sha256]]));
      // The metadata fetch's connection and the torrent's, both uTP: none was refused as a
      // duplicate of the closing one, so nothing fell back to TCP (which this seeder refuses).
      expect(attempts.filter((a) => a.port === seeder.port).map((a) => a.kind)).toEqual(['utp', 'utp']);
    } finally {
      await harness.close();
      await seeder.stop();
    }
  });

  it('seeds to a uTP-only libtorrent leecher through the inbound uTP port', async () => {
    const f = await fixture('utp-up', 2 * 1024 * 1024 + 333);
    const seeder = await startLibtorrentSeeder({ torrentPath: f.torrent.torrentPath, dataDir: f.dataDir, tcpOnly: true });
    const harness = await startEngine({ gatewayUrl: gateway.url, token: gateway.token });
    try {
      const hex = await harness.engine.addTorrentFile(f.torrent.bytes, { peers: [{ host: '127.0.0.1', port: seeder.port }] });
      await waitForComplete(harness.engine, hex, 30_000);
      await seeder.stop(); // from now on only our engine has the data
      const leechDir = await makeTempDir('utp-leech');
      const started = performance.now();
      const leecher = await startLibtorrentLeecher({
        torrentPath: f.torrent.torrentPath, dataDir: leechDir, utpOnly: true, connectTo: [`127.0.0.1:${gateway.peerPort}`],
      });
      try {
        // The gateway's ACCEPTED said uTP: the peer table shows how the leecher came in.
        const inboundTransport = () => torrentDetails(harness.engine.get(hex)!).peers.find((peer) => peer.inbound)?.transport;
        await expect.poll(inboundTransport, { timeout: 20_000 }).toBe('utp');
        await leecher.waitForEvent('finished', 40_000);
        const seconds = (performance.now() - started) / 1000;
        console.log(`uTP upload to libtorrent: ${(f.torrent.totalLength / seconds / 1e6).toFixed(2)} MB/s (${seconds.toFixed(1)} s)`);
        expect(await sha256File(join(leechDir, 'utp-up.bin'))).toBe(f.sha256);
        expect(harness.engine.get(hex)!.uploadedBytes).toBeGreaterThanOrEqual(f.torrent.totalLength);
      } finally {
        await leecher.stop();
      }
    } finally {
      await harness.close();
    }
  });
});
