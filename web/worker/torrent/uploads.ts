// A torrent's uploading, from a peer's REQUEST to the bytes on its stream: the request is checked
// (a piece we have, the block inside it), other peers may hear the piece suggested (BEP 6), it
// waits in the upload limit's queue (refused when that is full, BEP 6), and the sender writes it
// as the peer's stream has room, reading pieces through a small cache. It counts what it sent.
import type { Bitfield } from '../../../shared/bitfield.ts';
import type { Metainfo } from '../../../shared/metainfo/index.ts';
import { pieceSize } from '../../../shared/metainfo/index.ts';
import type { BlockRef } from '../../../shared/peer-wire/index.ts';
import type { PeerConnection } from '../peer/peer-connection.ts';
import type { TorrentStorage } from '../piece-store.ts';
import { RateMeter } from '../rate-meter.ts';
import type { UploadQueue } from '../rate-limit/upload-queue.ts';
import { PieceSuggester } from './piece-suggester.ts';
import { UploadReader } from './upload-reader.ts';
import { UploadSender } from './upload-sender.ts';

export class Uploads {
  /** This session's upload rate (and total). */
  readonly rate = new RateMeter();
  private sent = 0;
  private readonly reader: UploadReader;
  private readonly sender: UploadSender<PeerConnection>;
  private readonly suggester = new PieceSuggester();

  /** `have`: the torrent's verified pieces (live); `queue`: its upload limit's. */
  constructor(private readonly meta: Metainfo, private readonly have: Bitfield, storage: TorrentStorage,
    private readonly queue: UploadQueue, warn: (message: string) => void) {
    this.reader = new UploadReader(storage, meta.pieceLength);
    this.sender = new UploadSender(this.reader, (_peer, block) => {
      this.rate.add(block.length);
      this.sent += block.length;
    }, (block, error) => warn(`reading piece ${block.piece} for upload failed: ${error.message}`));
  }

  /** Lifetime bytes sent (earlier sessions included). */
  get sentBytes(): number { return this.sent; }

  /** Takes the total of earlier sessions (from the record). */
  restoreSentBytes(bytes: number): void {
    this.sent = bytes;
  }

  /** A peer asked for a block; `peers`: all connected, some of which may hear it suggested. */
  request(peer: PeerConnection, block: BlockRef, peers: Iterable<PeerConnection>): void {
    if (!this.have.get(block.piece) || block.offset + block.length > pieceSize(this.meta, block.piece)) return;
    this.suggester.pieceRequested(block.piece, peer, peers);
    // It waits for the upload limit; a request beyond the queue's bound is refused (BEP 6).
    if (!this.queue.push({ run: () => this.upload(peer, block) })) peer.refuseRequest(block);
  }

  /** The peer's stream has room again: what waits for it goes out. */
  writable(peer: PeerConnection): void {
    this.sender.writable(peer);
  }

  /** The peer is gone: its waiting blocks are dropped. */
  peerClosed(peer: PeerConnection): void {
    this.sender.forget(peer);
  }

  /** The torrent stopped: nothing waits to be sent. */
  stop(): void {
    this.sender.clear();
  }

  /** Storage lost the piece: the cached copy goes too. */
  pieceLost(index: number): void {
    this.reader.forget(index);
  }

  /** Sends a block the upload limit let through (as the peer's stream has room); the bytes it counts against the limit. */
  private upload(peer: PeerConnection, block: BlockRef): number {
    if (!peer.awaits(block)) return 0;
    this.sender.send(peer, block);
    return block.length;
  }
}
