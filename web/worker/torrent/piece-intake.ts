// Blocks in, checked pieces out: blocks from peers and web seeds are put together per piece, and a
// complete piece is hashed and, if good, stored; blocks nobody needed and pieces that failed count
// as wasted. It also says whether hashing and storage keep up: the download's back-pressure (no
// new requests while they lag, so memory stays bounded however fast peers send).
import type { Bitfield } from '../../../shared/bitfield.ts';
import type { Metainfo } from '../../../shared/metainfo/index.ts';
import { pieceHash, pieceSize } from '../../../shared/metainfo/index.ts';
import type { PiecePicker } from '../../../shared/piece-picker/index.ts';
import { blockByteLength, type BlockBytes, type BlockRef } from '../../../shared/peer-wire/index.ts';
import { PeerConnection } from '../peer/peer-connection.ts';
import type { TorrentStorage } from '../piece-store.ts';
import { InFlightPieces, type PieceAssembly } from './piece-assembly.ts';
import { PieceVerifier } from './piece-verifier.ts';

/** Complete pieces waiting to be hashed, at most (memory). Storage has its own limit (onWritable). */
const HASHING_LIMIT_BYTES = 48 * 1024 * 1024;

/** What became of a complete piece. */
export interface IntakeEvents {
  /** It matched its hash and went to storage (it may have been verified before: endgame duplicates). */
  verified(assembly: PieceAssembly): void;
  /** It did not match: its blocks were given back to the picker. */
  failed(assembly: PieceAssembly): void;
  /** Hashing or storing it threw: the torrent cannot go on. */
  error(index: number, error: Error): void;
}

export class PieceIntake {
  private wasted = 0;
  /** A write found the storage queue full: no new requests until the storage says onWritable. */
  private waitingForStorage = false;
  private readonly inFlight: InFlightPieces;
  private readonly verifier: PieceVerifier;

  /** `have`: the torrent's verified pieces (live): blocks of those are wasted. */
  constructor(meta: Metainfo, storage: TorrentStorage, private readonly picker: PiecePicker, private readonly have: Bitfield,
    private readonly events: IntakeEvents) {
    this.inFlight = new InFlightPieces((index) => pieceSize(meta, index));
    this.verifier = new PieceVerifier(storage, (index) => pieceHash(meta, index), () => { this.waitingForStorage = true; });
  }

  /** Lifetime bytes received for nothing (earlier sessions included). */
  get wastedBytes(): number { return this.wasted; }

  /** Takes the total of earlier sessions (from the record). */
  restoreWastedBytes(bytes: number): void {
    this.wasted = bytes;
  }

  /** Hashing and storage keep up: new requests may go out. */
  get keepingUp(): boolean {
    return !this.waitingForStorage && this.verifier.hashingBytes <= HASHING_LIMIT_BYTES;
  }

  /** The storage queue drained below its low mark. */
  storageWritable(): void {
    this.waitingForStorage = false;
  }

  /**
   * A block from a peer or a web seed: `requester` is what the picker knows it by, `senderId` whom
   * to blame for it; while the torrent is stopped (`accepting` false) it is wasted.
   */
  receive(requester: object, senderId: string, block: BlockRef, bytes: BlockBytes, accepting: boolean): void {
    const length = blockByteLength(bytes);
    if (this.have.get(block.piece) || !accepting) { this.wasted += length; return; }
    const assembly = this.inFlight.get(block.piece);
    if (!assembly.write(block, bytes, senderId)) { this.wasted += length; return; }
    const { cancelFrom } = this.picker.markReceived(block, requester);
    for (const other of cancelFrom) if (other !== requester && other instanceof PeerConnection) other.cancel(block);
    if (assembly.complete) void this.finish(block.piece);
  }

  /** The torrent stops: blocks of unfinished pieces are dropped (the picker must not count them as received). */
  abandonUnfinished(): void {
    for (const index of this.inFlight.clear()) this.picker.pieceAbandoned(index);
  }

  /** Resolves when every piece being hashed and written is done with. */
  settled(): Promise<void> {
    return this.verifier.settled();
  }

  private async finish(index: number): Promise<void> {
    const assembly = this.inFlight.take(index);
    if (!assembly) return;
    let outcome;
    try {
      outcome = await this.verifier.process(assembly);
    } catch (error) {
      return this.events.error(index, error as Error);
    }
    if (outcome.ok) return this.events.verified(assembly);
    this.wasted += assembly.length;
    this.picker.pieceFailed(assembly.index);
    this.events.failed(assembly);
  }
}
