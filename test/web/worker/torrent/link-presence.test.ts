// Inbound peers under the encryption setting: plaintext peers refused under 'require', MSE/PE
// peers refused under 'plaintext', and an MSE peer the gateway handed over (S + the bytes after
// its SKEY hash) finished here and given to the torrent as a decrypting stream.
import { describe, expect, it } from 'vitest';
import { MseInitiator } from '../../../../shared/mse/initiator.ts';
import { skeyLookup } from '../../../../shared/mse/receiver.ts';
import { MseSkeyReader } from '../../../../shared/mse/skey-reader.ts';
import type { EncryptionMode } from '../../../../web/worker/peer/encryption-mode.ts';
import { LinkPresence } from '../../../../web/worker/torrent/link-presence.ts';
import type { Announcer } from '../../../../web/worker/torrent/announcer.ts';
import { describeConnection } from '../../../../web/worker/peer/connection-description.ts';
import type { ByteStream, InboundMse, InboundPeer, StreamKind, Transport } from '../../../../web/worker/transport.ts';
import { streamPair } from '../peer/stream-pair.ts';

const INFO_HASH = new Uint8Array(20).fill(0x11);

async function presence(mode: EncryptionMode) {
  let onPeer: (stream: ByteStream, inbound: InboundPeer) => void = () => {};
  const transport = { listen: async (_: Uint8Array, handler: typeof onPeer) => { onPeer = handler; return () => {}; } } as unknown as Transport;
  const announcer = { start() {}, stop() {}, retryFailed() {} } as unknown as Announcer;
  const accepted: ByteStream[] = [];
  const link = new LinkPresence(announcer, INFO_HASH, () => transport, (stream) => accepted.push(stream), () => {}, () => mode);
  await link.join();
  const offer = (stream: ByteStream, mse?: InboundMse, transport: StreamKind = 'tcp') => onPeer(stream, mse ? { transport, mse } : { transport });
  return { offer, accepted };
}

describe('LinkPresence inbound encryption policy', () => {
  it('takes plaintext peers at once unless encryption is required', async () => {
    for (const mode of ['prefer', 'plaintext'] as const) {
      const { offer, accepted } = await presence(mode);
      const [stream] = streamPair();
      offer(stream);
      expect(accepted).toEqual([stream]);
    }
    const { offer, accepted } = await presence('require');
    const [stream] = streamPair();
    offer(stream);
    expect([accepted.length, stream.closed]).toEqual([0, true]);
  });

  it('refuses an MSE peer under plaintext only', async () => {
    const { offer, accepted } = await presence('plaintext');
    const [stream] = streamPair();
    offer(stream, { secret: new Uint8Array(96).fill(1) });
    expect([accepted.length, stream.closed]).toEqual([0, true]);
  });

  it('finishes a handed-over MSE handshake and gives the torrent the decrypted stream', async () => {
    const { offer, accepted } = await presence('require');
    // The peer's first half against a stand-in gateway, in memory.
    const initiator = new MseInitiator({ policy: 'require-rc4', infoHash: INFO_HASH, initialPayload: new TextEncoder().encode('hi') });
    const gateway = new MseSkeyReader({ lookup: skeyLookup([INFO_HASH]) });
    const found = gateway.push(initiator.push(gateway.push(initiator.start()).send).send).found!;
    const [tab, peer] = streamPair();
    let peerDone = false;
    peer.onData = (bytes) => { if (!peerDone) peerDone = initiator.push(bytes).result !== undefined; };
    offer(tab, { secret: found.secret });
    tab.onData(found.rest);
    await expect.poll(() => accepted.length).toBe(1);
    const got: string[] = [];
    accepted[0]!.onData = (bytes) => got.push(new TextDecoder().decode(bytes));
    await expect.poll(() => got).toEqual(['hi']);
    expect(peerDone).toBe(true);
  });
});

describe('LinkPresence inbound transport', () => {
  it('notes the transport the gateway named: the peer table describes an inbound uTP peer as uTP', async () => {
    const { offer, accepted } = await presence('prefer');
    const [overUtp] = streamPair();
    const [overTcp] = streamPair();
    offer(overUtp, undefined, 'utp');
    offer(overTcp, undefined, 'tcp');
    expect(accepted.map((stream) => describeConnection(stream))).toEqual([
      { transport: 'utp', encryption: 'plain' },
      { transport: 'tcp', encryption: 'plain' },
    ]);
  });

  it('notes it on the decrypting stream of an MSE peer too', async () => {
    const { offer, accepted } = await presence('require');
    const initiator = new MseInitiator({ policy: 'require-rc4', infoHash: INFO_HASH });
    const gateway = new MseSkeyReader({ lookup: skeyLookup([INFO_HASH]) });
    const found = gateway.push(initiator.push(gateway.push(initiator.start()).send).send).found!;
    const [tab, peer] = streamPair();
    peer.onData = (bytes) => { initiator.push(bytes); };
    offer(tab, { secret: found.secret }, 'utp');
    tab.onData(found.rest);
    await expect.poll(() => accepted.length).toBe(1);
    expect(describeConnection(accepted[0]!)).toEqual({ transport: 'utp', encryption: 'rc4' });
  });
});
