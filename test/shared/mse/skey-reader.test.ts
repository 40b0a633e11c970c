// The receiver split as a relay does it: MseSkeyReader (gateway) names the torrent, MseReceiver
// resumed from S and the bytes after the SKEY hash (tab) finishes; fed one byte at a time too.
import { describe, expect, it } from 'vitest';
import { concatBytes } from '../../../shared/bytes.ts';
import { MseError } from '../../../shared/mse/errors.ts';
import { MseInitiator } from '../../../shared/mse/initiator.ts';
import { MseReceiver, skeyLookup } from '../../../shared/mse/receiver.ts';
import { MseSkeyReader, type SkeyFound } from '../../../shared/mse/skey-reader.ts';

const INFO_HASH = new Uint8Array(20).fill(0x5a);

function run(chunkBytes: number) {
  const initiator = new MseInitiator({ policy: 'prefer-rc4', infoHash: INFO_HASH, initialPayload: Uint8Array.of(1, 2, 3) });
  const reader = new MseSkeyReader({ lookup: skeyLookup([new Uint8Array(20), INFO_HASH]) });
  const toReceiver = initiator.start();
  const feed = <T>(bytes: Uint8Array, push: (chunk: Uint8Array) => T): T[] => {
    const steps: T[] = [];
    for (let i = 0; i < bytes.length; i += chunkBytes) steps.push(push(bytes.subarray(i, i + chunkBytes)));
    return steps;
  };
  const yb = concatBytes(feed(toReceiver, (c) => reader.push(c)).map((s) => s.send));
  const offer = concatBytes(feed(yb, (c) => initiator.push(c)).map((s) => s.send));
  let found: SkeyFound | undefined;
  const tail: Uint8Array[] = [];
  feed(offer, (c) => (found ? tail.push(c) : (found = reader.push(c).found)));
  expect(found!.infoHash).toEqual(INFO_HASH);
  const receiver = new MseReceiver({ policy: 'require-rc4', resume: { secret: found!.secret, infoHash: found!.infoHash } });
  const answer = receiver.push(concatBytes([found!.rest, ...tail]));
  expect(answer.result?.received).toEqual(Uint8Array.of(1, 2, 3));
  const final = initiator.push(answer.send);
  expect(final.result?.stream.method).toBe('rc4');
  expect(answer.result!.stream.decrypt(final.result!.stream.encrypt(Uint8Array.of(7)))).toEqual(Uint8Array.of(7));
}

describe('MseSkeyReader + MseReceiver resumed', () => {
  it('completes a handshake with an initiator, in one piece and one byte at a time', () => {
    run(100_000);
    run(1);
  });

  it('refuses an unknown SKEY and PadA over 512 bytes with typed errors', () => {
    const initiator = new MseInitiator({ policy: 'require-rc4', infoHash: new Uint8Array(20).fill(1) });
    const reader = new MseSkeyReader({ lookup: skeyLookup([INFO_HASH]) });
    const yb = reader.push(initiator.start()).send;
    expect(() => reader.push(initiator.push(yb).send)).toThrow(expect.objectContaining({ code: 'unknown-skey' }));

    const padded = new MseSkeyReader({ lookup: skeyLookup([INFO_HASH]) });
    padded.push(new MseInitiator({ policy: 'require-rc4', infoHash: INFO_HASH }).start().subarray(0, 96));
    expect(() => padded.push(new Uint8Array(600))).toThrow(MseError);
  });
});
