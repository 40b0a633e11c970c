// Sends the blocks the upload limit let through, each peer's as fast as its stream takes them.
// A PIECE message is made only when its stream has room (below its high-water mark): a fast peer
// keeps up to 500 requests queued, and answering them all at once left ~8 MiB of encoded messages
// per peer waiting for bridge credit — memory a peer could make us hold, and buffers that lived
// long enough for V8's old generation (major GCs were the engine's largest cost while seeding).
// Waiting requests are references; pieces come through the UploadReader's cache, the next piece
// of a peer's queue read ahead while the current one is sent.
import type { BlockRef } from '../../../shared/peer-wire/index.ts';
import type { UploadReader } from './upload-reader.ts';

/** What the sender needs of a peer connection. */
export interface UploadPeer {
  /** The peer still wants this block (not cancelled, not dropped by a choke). */
  awaits(block: BlockRef): boolean;
  /** Its stream is above its high-water mark: wait for `writable(peer)`. */
  readonly sendBlocked: boolean;
  sendPiece(block: BlockRef, bytes: Uint8Array): void;
}

/** How far down a peer's queue we look for the next piece to read ahead. */
const READ_AHEAD_SCAN = 64;

interface PeerQueue {
  blocks: BlockRef[];
  pumping: boolean;
}

export class UploadSender<P extends UploadPeer> {
  private readonly queues = new Map<P, PeerQueue>();

  constructor(
    private readonly reader: UploadReader,
    private readonly onSent: (peer: P, block: BlockRef) => void,
    private readonly onReadError: (block: BlockRef, error: Error) => void,
  ) {}

  /** Blocks waiting for their peer's stream, all peers. */
  get waitingBlocks(): number {
    let count = 0;
    for (const queue of this.queues.values()) count += queue.blocks.length;
    return count;
  }

  /** Queues a block the limiter let through; it leaves once the peer's stream has room. */
  send(peer: P, block: BlockRef): void {
    let queue = this.queues.get(peer);
    if (!queue) {
      queue = { blocks: [], pumping: false };
      this.queues.set(peer, queue);
    }
    queue.blocks.push(block);
    this.pump(peer, queue);
  }

  /** The peer's stream drained below its mark: send what waits. */
  writable(peer: P): void {
    const queue = this.queues.get(peer);
    if (queue) this.pump(peer, queue);
  }

  /** The peer is gone: its waiting blocks are dropped. */
  forget(peer: P): void {
    this.queues.delete(peer);
  }

  clear(): void {
    this.queues.clear();
  }

  private pump(peer: P, queue: PeerQueue): void {
    if (queue.pumping || peer.sendBlocked) return;
    queue.pumping = true;
    void this.sendWhileWritable(peer, queue).finally(() => {
      queue.pumping = false;
      if (queue.blocks.length === 0 && this.queues.get(peer) === queue) this.queues.delete(peer);
    });
  }

  /** One block at a time: a cached piece answers in a microtask, so this is cheap per block. */
  private async sendWhileWritable(peer: P, queue: PeerQueue): Promise<void> {
    let current = -1;
    while (queue.blocks.length > 0 && !peer.sendBlocked && this.queues.get(peer) === queue) {
      const block = queue.blocks.shift()!;
      if (!peer.awaits(block)) continue;
      if (block.piece !== current) {
        current = block.piece;
        this.readAhead(queue.blocks, current);
      }
      let piece: Uint8Array | undefined;
      try {
        piece = await this.reader.read(block.piece);
      } catch (error) {
        this.onReadError(block, error as Error);
        continue;
      }
      if (!piece || !peer.awaits(block) || this.queues.get(peer) !== queue) continue;
      peer.sendPiece(block, piece.subarray(block.offset, block.offset + block.length));
      this.onSent(peer, block);
    }
  }

  /** Starts reading the next other piece the peer waits for, so it is in memory when its turn comes. */
  private readAhead(blocks: readonly BlockRef[], current: number): void {
    const end = Math.min(blocks.length, READ_AHEAD_SCAN);
    for (let i = 0; i < end; i++) {
      if (blocks[i]!.piece === current) continue;
      this.reader.read(blocks[i]!.piece).catch(() => {}); // its own send reports a failure
      return;
    }
  }
}
