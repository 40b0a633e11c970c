// tab_ceiling_ws_MBps: the ceiling of a tab that stores in IndexedDB on this machine. A dedicated
// worker of a page on the bench server's origin (page/tab-ceiling*.js, no app) opens a WebSocket to
// a Node `ws` server of ours, receives the torrent's size in 256 KiB binary messages (`arraybuffer`)
// and stores each message as its own IndexedDB value, one readwrite transaction per 8 MiB
// (durability 'relaxed'); it reports MB/s from the first byte to the last transaction's completion.
// The bytes are the bench data file's own (incompressible, as a torrent's), read from the page cache.
// Node bounds its unsent data (ws send callbacks) and the bytes the worker has not yet stored (the
// worker acknowledges each committed transaction), so neither side's memory grows with the size.
import { open } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import type { BenchServer } from './bench-server.ts';
import { launchChromium } from './chromium.ts';

const MESSAGE_BYTES = 256 * 1024;
const BATCH_BYTES = 8 * 1024 * 1024;
/** Messages handed to ws whose write has not completed: Node's unsent data, at most 4 MiB. */
const MAX_UNSENT_MESSAGES = 16;
/** Bytes sent but not yet committed by the worker: four transactions in flight. */
const MAX_UNSTORED_BYTES = 4 * BATCH_BYTES;

export interface CeilingFigures {
  mbps: number;
  seconds: number;
  bytes: number;
  /** Largest number of bytes the worker held waiting for IndexedDB, MB. */
  peakQueuedMB: number | null;
}

export async function benchTabCeilingOnce(server: BenchServer, dataPath: string, bytes: number, id: string, timeoutMs: number): Promise<CeilingFigures> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false });
  await new Promise<void>((resolve) => wss.once('listening', resolve));
  const failures: Error[] = [];
  wss.on('connection', (socket) => sendFile(socket, dataPath, bytes).catch((err: Error) => {
    failures.push(err);
    socket.close();
  }));
  const page = new URL(`${server.origin}/tab-ceiling.html`);
  page.searchParams.set('ws', `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/`);
  page.searchParams.set('report', server.reportUrl(id));
  page.searchParams.set('bytes', String(bytes));
  page.searchParams.set('batch', String(BATCH_BYTES));
  const chromium = await launchChromium(page.toString());
  try {
    const report = await server.waitForReport(id, ['ceiling'], timeoutMs);
    const seconds = Number(report.seconds);
    const stored = Number(report.bytes);
    if (stored !== bytes || !(seconds > 0)) throw new Error(`bad report ${JSON.stringify(report)} (expected ${bytes} bytes)`);
    return { mbps: stored / seconds / 1e6, seconds, bytes: stored, peakQueuedMB: typeof report.peakQueuedMB === 'number' ? report.peakQueuedMB : null };
  } catch (err) {
    const sender = failures.length ? `; sender: ${failures[0]!.message}` : '';
    throw new Error(`${(err as Error).message}${sender}; page console (tail):\n${chromium.consoleTail()}`);
  } finally {
    for (const client of wss.clients) client.terminate();
    await new Promise<void>((resolve) => wss.close(() => resolve()));
    await chromium.stop();
  }
}

/** Sends the first `bytes` of the file in 256 KiB messages within both bounds above. */
async function sendFile(socket: WebSocket, path: string, bytes: number): Promise<void> {
  const file = await open(path, 'r');
  let unsent = 0;
  let storedBytes = 0; // acknowledged by the worker: a decimal count as text, after each commit
  let wake: (() => void) | null = null;
  const poke = () => {
    const resume = wake;
    wake = null;
    resume?.();
  };
  socket.on('message', (data) => {
    storedBytes = Number(String(data));
    poke();
  });
  socket.on('close', poke);
  try {
    for (let sent = 0; sent < bytes && socket.readyState === socket.OPEN;) {
      if (unsent >= MAX_UNSENT_MESSAGES || sent - storedBytes >= MAX_UNSTORED_BYTES) {
        await new Promise<void>((resolve) => (wake = resolve));
        continue;
      }
      const size = Math.min(MESSAGE_BYTES, bytes - sent);
      const message = Buffer.allocUnsafe(size);
      const { bytesRead } = await file.read(message, 0, size, sent);
      if (bytesRead !== size) throw new Error(`short read of ${path} at ${sent}`);
      unsent++;
      socket.send(message, { binary: true }, () => {
        unsent--;
        poke();
      });
      sent += size;
    }
  } finally {
    await file.close();
  }
}
