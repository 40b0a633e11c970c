import { describe, expect, it } from 'vitest';
import type { BlockRef } from '../../../../shared/peer-wire/index.ts';
import type { TorrentStorage } from '../../../../web/worker/piece-store.ts';
import { UploadReader } from '../../../../web/worker/torrent/upload-reader.ts';
import { UploadSender, type UploadPeer } from '../../../../web/worker/torrent/upload-sender.ts';

const PIECE = 64;
const BLOCK = 16;
const block = (piece: number, n: number): BlockRef => ({ piece, offset: n * BLOCK, length: BLOCK });
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

/** A peer whose stream is "full" after `room` PIECEs, until the test drains it. */
class FakePeer implements UploadPeer {
  readonly sent: string[] = [];
  readonly cancelled = new Set<string>();
  constructor(private room: number) {}
  get sendBlocked(): boolean { return this.room <= 0; }
  awaits(b: BlockRef): boolean { return !this.cancelled.has(`${b.piece}/${b.offset}`); }
  sendPiece(b: BlockRef, bytes: Uint8Array): void {
    expect(bytes.length).toBe(b.length);
    expect(bytes[0]).toBe(b.piece);
    this.sent.push(`${b.piece}/${b.offset}`);
    this.room--;
  }
  drain(room: number): void { this.room = room; }
}

function makeSender() {
  const reads: number[] = [];
  const storage = { getPiece: async (index: number) => { reads.push(index); return new Uint8Array(PIECE).fill(index); } } as unknown as TorrentStorage;
  const sentBytes: number[] = [];
  const sender = new UploadSender<FakePeer>(new UploadReader(storage, PIECE), (_peer, b) => sentBytes.push(b.length), () => {});
  return { sender, reads, sentBytes };
}

describe('UploadSender', () => {
  it('sends while the stream has room and holds the rest as references until it drains', async () => {
    const { sender, sentBytes } = makeSender();
    const peer = new FakePeer(2);
    for (let n = 0; n < 4; n++) sender.send(peer, block(0, n));
    await settle();
    expect(peer.sent).toEqual(['0/0', '0/16']);
    expect(sender.waitingBlocks).toBe(2);
    peer.drain(10);
    sender.writable(peer);
    await settle();
    expect(peer.sent).toEqual(['0/0', '0/16', '0/32', '0/48']);
    expect(sentBytes).toEqual([BLOCK, BLOCK, BLOCK, BLOCK]);
    expect(sender.waitingBlocks).toBe(0);
  });

  it('skips blocks cancelled while they waited', async () => {
    const { sender } = makeSender();
    const peer = new FakePeer(0);
    sender.send(peer, block(1, 0));
    sender.send(peer, block(1, 1));
    peer.cancelled.add('1/0');
    peer.drain(10);
    sender.writable(peer);
    await settle();
    expect(peer.sent).toEqual(['1/16']);
  });

  it('reads each piece once for all its blocks (the next one ahead of its turn)', async () => {
    const { sender, reads } = makeSender();
    const peer = new FakePeer(100);
    for (const piece of [3, 4]) for (let n = 0; n < 4; n++) sender.send(peer, block(piece, n));
    await settle();
    expect(peer.sent).toHaveLength(8);
    expect(reads).toEqual([3, 4]);
  });

  it('drops what a peer that left still waited for', async () => {
    const { sender } = makeSender();
    const peer = new FakePeer(0);
    sender.send(peer, block(2, 0));
    sender.forget(peer);
    peer.drain(10);
    sender.writable(peer);
    await settle();
    expect(peer.sent).toEqual([]);
    expect(sender.waitingBlocks).toBe(0);
  });
});
