// Uploads: which requests are served (a piece we have, a block inside it), refused (the upload
// queue is full, BEP 6) or ignored, and what the sent bytes count towards.
import { describe, expect, it } from 'vitest';
import { Bitfield } from '../../../../shared/bitfield.ts';
import type { BlockRef } from '../../../../shared/peer-wire/index.ts';
import type { PeerConnection } from '../../../../web/worker/peer/peer-connection.ts';
import type { TorrentStorage } from '../../../../web/worker/piece-store.ts';
import type { RateLimiter } from '../../../../web/worker/rate-limit/rate-limiter.ts';
import { UploadQueue } from '../../../../web/worker/rate-limit/upload-queue.ts';
import { Uploads } from '../../../../web/worker/torrent/uploads.ts';
import { makeScriptedTorrent } from '../engine/scripted-swarm.ts';

const BLOCK = 16 * 1024;
// Piece 0: 32 KiB, piece 1 (the last): 16 KiB.
const { meta, data } = makeScriptedTorrent('three-blocks.bin', 2 * BLOCK, [{ path: 'three-blocks.bin', length: 3 * BLOCK }]);
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));
const unlimited = { ready: () => true, take: () => {}, waitMs: () => 0 } as unknown as RateLimiter;

function fakePeer() {
  const peer = {
    sent: [] as string[], refused: [] as string[],
    sendBlocked: false, closed: false,
    awaits: () => true,
    sendPiece(b: BlockRef, bytes: Uint8Array) { expect(bytes.length).toBe(b.length); peer.sent.push(`${b.piece}/${b.offset}`); },
    refuseRequest(b: BlockRef) { peer.refused.push(`${b.piece}/${b.offset}`); },
  };
  return peer;
}

/** A queue whose limiter never allows a send, bounded at one waiting request (its wake-up never fires). */
const heldQueue = () => new UploadQueue({ ready: () => false, waitMs: () => 1000 } as unknown as RateLimiter, { setTimeout: () => 0, clearTimeout: () => {} }, 1);

function setup(queue = new UploadQueue(unlimited)) {
  const storage = { getPiece: async (index: number) => data.slice(index * 2 * BLOCK, (index + 1) * 2 * BLOCK) } as unknown as TorrentStorage;
  const have = new Bitfield(meta.pieceCount);
  const warnings: string[] = [];
  const uploads = new Uploads(meta, have, storage, queue, (m) => warnings.push(m));
  return { uploads, have, warnings };
}

const ask = (uploads: Uploads, peer: ReturnType<typeof fakePeer>, b: BlockRef) => uploads.request(peer as unknown as PeerConnection, b, []);

describe('Uploads', () => {
  it('sends blocks of pieces we have and counts them', async () => {
    const { uploads, have } = setup();
    have.set(0);
    have.set(1);
    const peer = fakePeer();
    ask(uploads, peer, { piece: 0, offset: BLOCK, length: BLOCK });
    ask(uploads, peer, { piece: 1, offset: 0, length: BLOCK });
    await settle();
    expect(peer.sent).toEqual([`0/${BLOCK}`, '1/0']);
    expect(uploads.sentBytes).toBe(2 * BLOCK);
    expect(uploads.rate.total).toBe(2 * BLOCK);
    uploads.restoreSentBytes(7);
    expect(uploads.sentBytes).toBe(7);
  });

  it('ignores requests for pieces we lack and blocks past the end of a piece', async () => {
    const { uploads, have } = setup();
    have.set(1);
    const peer = fakePeer();
    ask(uploads, peer, { piece: 0, offset: 0, length: BLOCK }); // we lack it
    ask(uploads, peer, { piece: 1, offset: BLOCK, length: BLOCK }); // the last piece is one block long
    await settle();
    expect(peer.sent).toEqual([]);
    expect(peer.refused).toEqual([]);
    expect(uploads.sentBytes).toBe(0);
  });

  it('refuses a request when the upload queue is full (BEP 6)', () => {
    const { uploads, have } = setup(heldQueue());
    have.set(0);
    const peer = fakePeer();
    ask(uploads, peer, { piece: 0, offset: 0, length: BLOCK }); // waits for the limit
    ask(uploads, peer, { piece: 0, offset: BLOCK, length: BLOCK }); // beyond the queue's bound
    expect(peer.refused).toEqual([`0/${BLOCK}`]);
  });
});
