// Block states of one piece being downloaded: each block is free, requested (by one or more peers;
// several only in endgame, or for an urgent deadline piece) or received.

export const BlockState = {
  FREE: 0,
  REQUESTED: 1,
  RECEIVED: 2,
} as const;

/** Who asked for a block: any value the engine uses to name a peer, compared with ===. */
export type PeerRef = unknown;

/** An endgame candidate: a requested block and how many peers already asked for it. */
export interface BusyBlock {
  readonly partial: PartialPiece;
  readonly block: number;
  readonly requesterCount: number;
}

export class PartialPiece {
  readonly state: Uint8Array;
  private readonly requesters: (PeerRef[] | undefined)[];
  freeCount: number;
  receivedCount = 0;

  constructor(
    readonly piece: number,
    readonly blockCount: number,
  ) {
    this.state = new Uint8Array(blockCount);
    this.requesters = new Array<PeerRef[] | undefined>(blockCount);
    this.freeCount = blockCount;
  }

  get requestedCount(): number {
    return this.blockCount - this.freeCount - this.receivedCount;
  }

  get isFullyReceived(): boolean {
    return this.receivedCount === this.blockCount;
  }

  requestersOf(block: number): readonly PeerRef[] {
    return this.requesters[block] ?? [];
  }

  addRequest(block: number, peer: PeerRef): void {
    if (this.state[block] === BlockState.FREE) {
      this.state[block] = BlockState.REQUESTED;
      this.freeCount--;
    }
    (this.requesters[block] ??= []).push(peer);
  }

  /** Drops one peer's request; the block is free again when nobody else asked for it. */
  removeRequest(block: number, peer: PeerRef): void {
    const list = this.requesters[block];
    const index = list ? list.indexOf(peer) : -1;
    if (index < 0) return;
    list!.splice(index, 1);
    if (list!.length === 0 && this.state[block] === BlockState.REQUESTED) {
      this.requesters[block] = undefined;
      this.state[block] = BlockState.FREE;
      this.freeCount++;
    }
  }

  /**
   * Marks a block received; returns the other peers that had requested it (to send CANCEL), or
   * undefined if it had already been received.
   */
  receive(block: number, peer: PeerRef): PeerRef[] | undefined {
    const previous = this.state[block];
    if (previous === BlockState.RECEIVED) return undefined;
    if (previous === BlockState.FREE) this.freeCount--;
    this.state[block] = BlockState.RECEIVED;
    this.receivedCount++;
    const others = (this.requesters[block] ?? []).filter((requester) => requester !== peer);
    this.requesters[block] = undefined;
    return others;
  }

  /**
   * Requests again for `peer` up to `limit` requested (not received) blocks that fewer than
   * `maxHolders` peers, none of them `peer`, asked for; returns their indices, first to last.
   */
  requestAgain(peer: PeerRef, maxHolders: number, limit: number): number[] {
    const taken: number[] = [];
    for (let block = 0; block < this.blockCount && taken.length < limit; block++) {
      const requesters = this.requesters[block];
      if (this.state[block] !== BlockState.REQUESTED || !requesters) continue;
      if (requesters.length >= maxHolders || requesters.includes(peer)) continue;
      requesters.push(peer);
      taken.push(block);
    }
    return taken;
  }

  /** Adds the requested (not received) blocks that `peer` has not asked for to `out`. */
  collectBusyBlocks(peer: PeerRef, out: BusyBlock[]): void {
    for (let block = 0; block < this.blockCount; block++) {
      if (this.state[block] !== BlockState.REQUESTED) continue;
      const requesters = this.requesters[block] ?? [];
      if (!requesters.includes(peer)) out.push({ partial: this, block, requesterCount: requesters.length });
    }
  }
}
