// A rarest-first piece picker, a standalone data structure in the manner of libtorrent's. It knows
// how many peers have each piece, which pieces we have and want, and the block states of pieces in
// progress; the engine tells it what happens and asks it what to request next.
//
// Picking order for a peer (pickBlocks):
//   0. deadline pieces (setDeadlines, deadlines.ts) in deadline order, whatever their priority and
//      the cap on pieces in progress: their free blocks; then, for a peer marked fast, busy blocks
//      of the urgent ones again (at most MAX_URGENT_HOLDERS holders, never twice to one peer);
//   1. free blocks of pieces already in progress (oldest started first), to finish pieces soon;
//   2. new pieces: highest priority, then rarest, ties broken at random (in sequential mode: lowest
//      index); pieces the peer suggested (BEP 6) first among those of the best priority. A new
//      piece is started only while fewer than maxPartialPieces are in progress, unless the peer
//      got nothing else;
//   3. endgame (automatic once every missing wanted block is requested, or forced by the caller):
//      blocks already requested from other peers, fewest requesters first, never twice to one peer.
// Cost: step 0 is O(deadline pieces), tens. Step 1 is O(pieces in progress). Step 2 walks
// PieceOrder (pieces bucketed by priority and availability, see piece-order.ts) from the front, or
// in sequential mode the index order from a cursor (sequential.ts): immediate for a peer that has
// the best pieces, a scan for a peer that has few of the pieces we want. A HAVE is O(1).

import { Bitfield } from '../bitfield.ts';
import { PieceGeometry, PiecePickerError, type BlockRequest, type GeometryOptions } from './geometry.ts';
import { DeadlineTable, MAX_URGENT_HOLDERS, URGENT_DEADLINE_RANKS } from './deadlines.ts';
import { BlockState, PartialPiece, type BusyBlock, type PeerRef } from './partial-piece.ts';
import { PieceOrder } from './piece-order.ts';
import { SequentialScan } from './sequential.ts';

export interface PiecePickerOptions extends GeometryOptions {
  /** Soft cap on pieces in progress at once (default 32). */
  readonly maxPartialPieces?: number;
  /** Random source in [0, 1) for tie-breaks; tests pass a seeded one. */
  readonly random?: () => number;
  /** Deadline ranks per reader whose busy blocks fast peers duplicate (default URGENT_DEADLINE_RANKS). */
  readonly urgentRanks?: number;
}

export interface PickOptions {
  /** Who asks; recorded with each request so endgame never hands one peer the same block twice. */
  readonly peer?: PeerRef;
  /** Force endgame duplicates on (true) or off (false); by default on once isEndgame holds. */
  readonly endgame?: boolean;
  /** One of the engine's fastest peers: it may duplicate busy blocks of urgent deadline pieces. */
  readonly fast?: boolean;
  /**
   * Pieces the peer suggested (BEP 6 SUGGEST_PIECE), most recent first: a new piece is taken from
   * these when its priority is the best the peer offers (rarity yields; deadlines, priorities and
   * sequential mode do not). Stale entries (ours, started, not had by the peer) are passed over.
   */
  readonly suggested?: readonly number[];
}

export interface ReceiveResult {
  /** False when the block was not expected (piece not in progress, or already received). */
  readonly accepted: boolean;
  /** Other peers that had requested the same block: send them CANCEL (endgame). */
  readonly cancelFrom: readonly PeerRef[];
}

const NOT_ACCEPTED: ReceiveResult = { accepted: false, cancelFrom: [] };

export const PRIORITY_SKIP = 0;
export const PRIORITY_DEFAULT = 4;
export const PRIORITY_MAX = 7;
/** Availabilities from this up sort together: beyond it, rarity hardly matters. */
const AVAILABILITY_LEVELS = 128;
const PARKED_KEY = PRIORITY_MAX * AVAILABILITY_LEVELS;

export class PiecePicker {
  readonly geometry: PieceGeometry;
  readonly pieceCount: number;
  readonly maxPartialPieces: number;
  private readonly have: Bitfield;
  private readonly availability: Uint32Array;
  private readonly priorities: Uint8Array;
  private readonly partials = new Map<number, PartialPiece>(); // in progress, oldest first
  private readonly order: PieceOrder;
  private readonly random: () => number;
  private missingWanted: number; // pieces with priority > 0 that we do not have
  private readonly deadlines = new DeadlineTable();
  private readonly urgentRanks: number;
  private readonly finishing = new Set<number>(); // skipped pieces in progress whose reader went
  private readonly sequentialScan: SequentialScan;
  private sequential = false;

  constructor(options: PiecePickerOptions) {
    this.geometry = new PieceGeometry(options);
    this.pieceCount = this.geometry.pieceCount;
    this.maxPartialPieces = options.maxPartialPieces ?? 32;
    this.random = options.random ?? Math.random;
    this.urgentRanks = options.urgentRanks ?? URGENT_DEADLINE_RANKS;
    this.have = new Bitfield(this.pieceCount);
    this.availability = new Uint32Array(this.pieceCount);
    this.priorities = new Uint8Array(this.pieceCount).fill(PRIORITY_DEFAULT);
    this.missingWanted = this.pieceCount;
    const initialKey = (PRIORITY_MAX - PRIORITY_DEFAULT) * AVAILABILITY_LEVELS;
    this.order = new PieceOrder(this.pieceCount, PARKED_KEY + 1, initialKey, this.random);
    this.sequentialScan = new SequentialScan(this.order, PARKED_KEY, AVAILABILITY_LEVELS);
  }

  // --- availability: what peers have -------------------------------------------------------

  addPeerBitfield(bitfield: Bitfield): void {
    this.checkLength(bitfield);
    bitfield.forEachSet((piece) => {
      this.availability[piece]!++;
      this.relocate(piece);
    });
  }

  removePeerBitfield(bitfield: Bitfield): void {
    this.checkLength(bitfield);
    bitfield.forEachSet((piece) => this.removePeerHave(piece));
  }

  addPeerHave(piece: number): void {
    this.checkPiece(piece);
    this.availability[piece]!++;
    this.relocate(piece);
  }

  removePeerHave(piece: number): void {
    this.checkPiece(piece);
    if (this.availability[piece] === 0) throw new PiecePickerError(`availability of piece ${piece} would go negative`);
    this.availability[piece]!--;
    this.relocate(piece);
  }

  availabilityOf(piece: number): number {
    this.checkPiece(piece);
    return this.availability[piece]!;
  }

  // --- what we have and want ---------------------------------------------------------------

  /** Our pieces (a live view: do not modify). */
  get ourPieces(): Bitfield {
    return this.have;
  }

  hasPiece(piece: number): boolean {
    return this.have.get(piece);
  }

  /** Records a piece we have (verified, or from resume data); forgets its block states. */
  setHave(piece: number): void {
    this.checkPiece(piece);
    this.dropPartial(piece);
    this.deadlines.drop(piece);
    if (this.have.set(piece) && this.priorities[piece] !== PRIORITY_SKIP) this.missingWanted--;
    this.relocate(piece);
  }

  /** Forgets a piece we had (storage lost it): it is missing, and picked, again. */
  setMissing(piece: number): void {
    this.checkPiece(piece);
    this.dropPartial(piece);
    if (this.have.set(piece, false) && this.priorities[piece] !== PRIORITY_SKIP) this.missingWanted++;
    this.relocate(piece);
  }

  /** 0 = skip (never picked, unless a reader has a deadline on it), 1–7 = higher first. */
  setPriority(piece: number, priority: number): void {
    this.checkPiece(piece);
    if (!(Number.isInteger(priority) && priority >= PRIORITY_SKIP && priority <= PRIORITY_MAX)) {
      throw new PiecePickerError(`priority ${priority} outside ${PRIORITY_SKIP}..${PRIORITY_MAX}`);
    }
    this.finishing.delete(piece); // the user's word now decides
    const wasWanted = this.priorities[piece] !== PRIORITY_SKIP;
    this.priorities[piece] = priority;
    const isWanted = priority !== PRIORITY_SKIP;
    if (wasWanted !== isWanted && !this.have.get(piece)) this.missingWanted += isWanted ? 1 : -1;
    this.relocate(piece);
  }

  setWanted(piece: number, wanted: boolean): void {
    this.setPriority(piece, wanted ? PRIORITY_DEFAULT : PRIORITY_SKIP);
  }

  priorityOf(piece: number): number {
    this.checkPiece(piece);
    return this.priorities[piece]!;
  }

  // --- deadlines and order -----------------------------------------------------------------

  /**
   * A reader (a playing file, a range request) needs `pieces`, most urgent first (index 0 at the
   * playhead): they are picked before anything else, skipped pieces included. Replaces the
   * reader's previous list (a seek); an empty list removes the reader. Pieces we have are left
   * out, and a piece leaves every list once it is ours, so each reader's first missing piece has
   * rank 0; a piece set missing later needs the reader to send its list again. A skipped piece
   * in progress when it loses its last deadline is finished (its blocks are paid for or in
   * flight, and a seek back often wants it); unstarted ones are skipped again.
   */
  setDeadlines(readerId: string, pieces: readonly number[]): void {
    for (const piece of pieces) this.checkPiece(piece);
    for (const piece of this.deadlines.set(readerId, pieces.filter((piece) => !this.have.get(piece)))) {
      if (this.priorities[piece] === PRIORITY_SKIP && this.partials.has(piece)) this.finishing.add(piece);
    }
  }

  /** The reader went (playback stopped, range request done): as setDeadlines(readerId, []). */
  clearDeadlines(readerId: string): void {
    this.setDeadlines(readerId, []);
  }

  /** The piece's best deadline rank over all readers (0 = at a playhead), or undefined if none. */
  deadlineOf(piece: number): number | undefined {
    this.checkPiece(piece);
    return this.deadlines.rankOf(piece);
  }

  /** True while some reader waits for a piece we lack (isComplete counts priorities only). */
  get hasDeadlines(): boolean {
    return !this.deadlines.isEmpty;
  }

  /** Sequential mode: new pieces of equal priority start in index order, not rarest first. */
  setSequential(on: boolean): void {
    this.sequential = on;
  }

  get isSequential(): boolean {
    return this.sequential;
  }

  /** True when every wanted piece is ours. */
  get isComplete(): boolean {
    return this.missingWanted === 0;
  }

  /** True when every block of every missing wanted piece is requested or received. */
  get isEndgame(): boolean {
    if (this.missingWanted === 0) return false;
    let startedWanted = 0;
    for (const partial of this.partials.values()) {
      if (this.priorities[partial.piece] === PRIORITY_SKIP) continue;
      if (partial.freeCount > 0) return false;
      startedWanted++;
    }
    return startedWanted === this.missingWanted;
  }

  // --- blocks -------------------------------------------------------------------------------

  /** Picks up to `count` blocks that `peerHas` can serve and marks them requested by options.peer. */
  pickBlocks(peerHas: Bitfield, count: number, options: PickOptions = {}): BlockRequest[] {
    this.checkLength(peerHas);
    const picks: BlockRequest[] = [];
    const peer = options.peer;
    if (!this.deadlines.isEmpty) this.takeDeadlines(peerHas, count, options, picks);
    for (const partial of this.partials.values()) {
      if (picks.length >= count) return picks;
      if (this.isPickable(partial.piece) && peerHas.get(partial.piece)) this.takeFree(partial, count, peer, picks);
    }
    while (picks.length < count && (this.partials.size < this.maxPartialPieces || picks.length === 0)) {
      const piece = this.sequential ? this.sequentialScan.find(peerHas.bytes) : this.suggestedOr(this.findRarestNewPiece(peerHas), peerHas, options.suggested);
      if (piece < 0) break;
      this.takeFree(this.startPiece(piece), count, peer, picks);
    }
    if (picks.length < count && (options.endgame ?? this.isEndgame)) this.takeBusy(peerHas, count, peer, picks);
    return picks;
  }

  /**
   * Records a received block. A block of a wanted piece not in progress (it arrived after its
   * request was cancelled) starts that piece rather than being thrown away.
   */
  markReceived(block: BlockRequest, peer?: PeerRef): ReceiveResult {
    const index = this.geometry.blockIndexOf(block);
    if (index < 0 || !this.isPickable(block.piece)) return NOT_ACCEPTED;
    const partial = this.partials.get(block.piece) ?? this.startPiece(block.piece);
    const cancelFrom = partial.receive(index, peer);
    return cancelFrom ? { accepted: true, cancelFrom } : NOT_ACCEPTED;
  }

  /** Returns a requested block to the pool (peer choked, rejected, timed out or left). */
  cancelRequest(block: BlockRequest, peer?: PeerRef): void {
    const partial = this.partials.get(block.piece);
    const index = partial ? this.geometry.blockIndexOf(block) : -1;
    if (!partial || index < 0) return;
    partial.removeRequest(index, peer);
    // A piece with nothing requested or received is no longer in progress: it rejoins rarest-first.
    if (partial.freeCount === partial.blockCount) this.forgetPartial(block.piece);
  }

  isPieceFullyReceived(piece: number): boolean {
    return this.partials.get(piece)?.isFullyReceived ?? false;
  }

  /** The piece verified: it is ours. */
  pieceComplete(piece: number): void {
    this.setHave(piece);
  }

  /** The piece failed verification: all its blocks go back to the pool. */
  pieceFailed(piece: number): void {
    this.pieceAbandoned(piece);
  }

  /** The blocks received for the piece were dropped (the torrent stopped): fetch them all again. */
  pieceAbandoned(piece: number): void {
    this.checkPiece(piece);
    this.forgetPartial(piece);
  }

  /** Pieces in progress, for status displays. */
  get partialPieceCount(): number {
    return this.partials.size;
  }

  // --- internals ----------------------------------------------------------------------------

  private isPickable(piece: number): boolean {
    if (this.have.get(piece)) return false;
    return this.priorities[piece] !== PRIORITY_SKIP || this.deadlines.rankOf(piece) !== undefined || this.finishing.has(piece);
  }

  /** Step 0: free blocks of deadline pieces, then (fast peers) busy blocks of the urgent ones. */
  private takeDeadlines(peerHas: Bitfield, count: number, options: PickOptions, picks: BlockRequest[]): void {
    for (const piece of this.deadlines.pieces) {
      if (picks.length >= count) return;
      if (!peerHas.get(piece)) continue;
      this.takeFree(this.partials.get(piece) ?? this.startPiece(piece), count, options.peer, picks);
    }
    if (!options.fast) return;
    for (const piece of this.deadlines.pieces) {
      if (picks.length >= count || this.deadlines.rankOf(piece)! >= this.urgentRanks) return; // ranks only grow
      const partial = peerHas.get(piece) ? this.partials.get(piece) : undefined;
      const again = partial?.requestAgain(options.peer, MAX_URGENT_HOLDERS, count - picks.length) ?? [];
      for (const block of again) picks.push(this.geometry.blockAt(piece, block));
    }
  }

  private takeFree(partial: PartialPiece, count: number, peer: PeerRef, picks: BlockRequest[]): void {
    for (let block = 0; block < partial.blockCount && picks.length < count && partial.freeCount > 0; block++) {
      if (partial.state[block] !== BlockState.FREE) continue;
      partial.addRequest(block, peer);
      picks.push(this.geometry.blockAt(partial.piece, block));
    }
  }

  /** Endgame: requested blocks this peer has not asked for, fewest requesters first. */
  private takeBusy(peerHas: Bitfield, count: number, peer: PeerRef, picks: BlockRequest[]): void {
    const candidates: BusyBlock[] = [];
    for (const partial of this.partials.values()) {
      if (this.isPickable(partial.piece) && peerHas.get(partial.piece)) partial.collectBusyBlocks(peer, candidates);
    }
    candidates.sort((a, b) => a.requesterCount - b.requesterCount);
    for (const { partial, block } of candidates.slice(0, count - picks.length)) {
      partial.addRequest(block, peer);
      picks.push(this.geometry.blockAt(partial.piece, block));
    }
  }

  /** The best piece to start: highest priority, then rarest, among wanted unstarted pieces the peer has. */
  private findRarestNewPiece(peerHas: Bitfield): number {
    return this.order.findFirst(peerHas.bytes, PARKED_KEY, this.random);
  }

  /** A suggested piece the peer has, unstarted and wanted, of `best`'s priority or higher; else `best`. */
  private suggestedOr(best: number, peerHas: Bitfield, suggested: readonly number[] = []): number {
    if (best < 0) return best;
    for (const piece of suggested) {
      if (!(piece >= 0 && piece < this.pieceCount) || !peerHas.get(piece) || this.partials.has(piece) || this.have.get(piece)) continue;
      if (this.priorities[piece]! !== PRIORITY_SKIP && this.priorities[piece]! >= this.priorities[best]!) return piece;
    }
    return best;
  }

  /** Pieces we have, skip, or have in progress are parked after all others; the rest sort by key. */
  private relocate(piece: number): void {
    const parked =
      this.priorities[piece] === PRIORITY_SKIP || this.have.get(piece) || this.partials.has(piece);
    const key = parked
      ? PARKED_KEY
      : (PRIORITY_MAX - this.priorities[piece]!) * AVAILABILITY_LEVELS +
        Math.min(this.availability[piece]!, AVAILABILITY_LEVELS - 1);
    this.order.setKey(piece, key);
    if (!parked) this.sequentialScan.reopened(piece);
  }

  private startPiece(piece: number): PartialPiece {
    const partial = new PartialPiece(piece, this.geometry.blockCount(piece));
    this.partials.set(piece, partial);
    this.relocate(piece);
    return partial;
  }

  private forgetPartial(piece: number): void {
    if (this.dropPartial(piece)) this.relocate(piece);
  }

  /** Forgets the piece's block states; a skipped piece being finished is skipped again. */
  private dropPartial(piece: number): boolean {
    this.finishing.delete(piece);
    return this.partials.delete(piece);
  }

  private checkPiece(piece: number): void {
    if (!(Number.isInteger(piece) && piece >= 0 && piece < this.pieceCount)) {
      throw new PiecePickerError(`piece ${piece} outside 0..${this.pieceCount - 1}`);
    }
  }

  private checkLength(bitfield: Bitfield): void {
    if (bitfield.length !== this.pieceCount) {
      throw new PiecePickerError(`bitfield of ${bitfield.length} pieces for a torrent of ${this.pieceCount}`);
    }
  }
}
