// Every fuzz target, in the order `npm run fuzz` runs them.

import type { FuzzTarget } from '../target.ts';
import { bencodeTarget } from './bencode.ts';
import { bridgeFrameTarget } from './bridge-frame.ts';
import { extendedHandshakeTarget } from './extended-handshake.ts';
import { krpcTarget } from './krpc.ts';
import { magnetTarget } from './magnet.ts';
import { infoDictTarget, metainfoTarget } from './metainfo.ts';
import { peerWireFramerTarget } from './peer-wire-framer.ts';
import { trackerHttpTarget } from './tracker-http.ts';
import { trackerUdpTarget } from './tracker-udp.ts';
import { utMetadataTarget } from './ut-metadata.ts';
import { utPexTarget } from './ut-pex.ts';
import { utpPacketTarget } from './utp-packet.ts';

export const FUZZ_TARGETS: readonly FuzzTarget[] = [
  bridgeFrameTarget,
  peerWireFramerTarget,
  bencodeTarget,
  metainfoTarget,
  infoDictTarget,
  magnetTarget,
  trackerHttpTarget,
  trackerUdpTarget,
  krpcTarget,
  utMetadataTarget,
  utPexTarget,
  utpPacketTarget,
  extendedHandshakeTarget,
];
