// PeerBans: a peer that corrupts pieces is refused, closed and its address banned; a web seed is given up on.
import { describe, expect, it } from 'vitest';
import type { PeerConnection } from '../../../../web/worker/peer/peer-connection.ts';
import { PieceAssembly } from '../../../../web/worker/torrent/piece-assembly.ts';
import { PeerBans } from '../../../../web/worker/torrent/peer-bans.ts';
import { Swarm } from '../../../../web/worker/torrent/swarm.ts';
import type { WebSeed } from '../../../../web/worker/torrent/web-seed.ts';

const BLOCK = 16 * 1024;

/** A one-block piece, all from `sender`. */
function pieceFrom(index: number, sender: string): PieceAssembly {
  const assembly = new PieceAssembly(index, BLOCK);
  assembly.write({ piece: index, offset: 0, length: BLOCK }, new Uint8Array(BLOCK), sender);
  return assembly;
}

function fakePeer(id: string, port: number) {
  const peer = { id, key: `127.0.0.1:${port}`, stream: { remote: { host: '127.0.0.1', port } }, closedWith: '', close(reason: string) { peer.closedWith = reason; } };
  return peer;
}

describe('PeerBans', () => {
  it('bans a peer id after its second corrupt piece: closes it, bans its address, refuses it from then on', () => {
    const swarm = new Swarm();
    const warnings: string[] = [];
    const bans = new PeerBans(swarm, (m) => warnings.push(m));
    const liar = fakePeer('liar', 6881);
    const honest = fakePeer('honest', 6882);
    const peers = new Map([[liar.key, liar], [honest.key, honest]]) as unknown as Map<string, PeerConnection>;
    const targets = { peers, webSeeds: [] };

    bans.pieceFailed(pieceFrom(0, 'liar'), targets);
    expect(bans.has('liar')).toBe(false); // one strike
    bans.pieceFailed(pieceFrom(1, 'liar'), targets);
    expect(bans.has('liar')).toBe(true);
    expect(bans.has('honest')).toBe(false);
    expect(liar.closedWith).toBe('sent corrupt data');
    expect(honest.closedWith).toBe('');
    expect(swarm.isBanned({ host: '127.0.0.1', port: 6881 })).toBe(true);
    expect(warnings).toEqual(['dropped peer 127.0.0.1:6881: it sent corrupt data repeatedly']);
  });

  it('gives up on a web seed that sends corrupt pieces, once', () => {
    const warnings: string[] = [];
    const bans = new PeerBans(new Swarm(), (m) => warnings.push(m));
    const seed = { id: 'webseed http://x/', disabled: false } as WebSeed;
    const targets = { peers: new Map<string, PeerConnection>(), webSeeds: [seed] };
    for (const index of [0, 1, 2]) bans.pieceFailed(pieceFrom(index, seed.id), targets);
    expect(seed.disabled).toBe(true);
    expect(warnings).toEqual(['stopped using webseed http://x/: it sent corrupt data']);
  });
});
