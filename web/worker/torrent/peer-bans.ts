// Peers that sent corrupt data and are no longer welcome. The blame book names them as pieces fail
// and then verify; a named peer id is refused from then on, a connected one is closed and its
// address banned in the swarm for an hour, and a web seed (BEP 19) is given up on.
import type { PeerConnection } from '../peer/peer-connection.ts';
import { BlameBook } from './blame.ts';
import type { PieceAssembly } from './piece-assembly.ts';
import type { Swarm } from './swarm.ts';
import type { WebSeed } from './web-seed.ts';

const BAN_MS = 60 * 60 * 1000;

/** Whom a ban reaches: the torrent's connected peers and its web seeds. */
export interface BanTargets {
  /** By key; looked through once per banned id. */
  peers: ReadonlyMap<string, PeerConnection>;
  webSeeds: readonly WebSeed[];
}

export class PeerBans {
  private readonly blame = new BlameBook();
  private readonly bannedIds = new Set<string>();

  constructor(private readonly swarm: Swarm, private readonly warn: (message: string) => void) {}

  /** This peer id sent corrupt data: refuse it. */
  has(peerId: string): boolean {
    return this.bannedIds.has(peerId);
  }

  /** A piece failed its hash check: its senders are blamed (one sender: at once). */
  pieceFailed(assembly: PieceAssembly, targets: BanTargets): void {
    this.ban(this.blame.pieceFailed(assembly), targets);
  }

  /** A piece verified: senders whose blocks of an earlier failed copy differ from it lied. */
  pieceVerified(index: number, data: Uint8Array, targets: BanTargets): void {
    this.ban(this.blame.pieceVerified(index, data), targets);
  }

  private ban(peerIds: string[], { peers, webSeeds }: BanTargets): void {
    for (const id of peerIds) {
      this.bannedIds.add(id);
      for (const seed of webSeeds) {
        if (seed.id === id && !seed.disabled) { seed.disabled = true; this.warn(`stopped using ${id}: it sent corrupt data`); }
      }
      for (const peer of peers.values()) {
        if (peer.id !== id) continue;
        this.swarm.ban(peer.stream.remote, BAN_MS);
        this.warn(`dropped peer ${peer.key}: it sent corrupt data repeatedly`);
        peer.close('sent corrupt data');
      }
    }
  }
}
