import type { Transport } from '../transport.ts';
import type { UdpService } from '../udp/udp-service.ts';
import { HttpTracker } from './http-tracker.ts';
import type { TrackerClient } from './tracker-client.ts';
import { UdpTracker } from './udp-tracker.ts';

/** A client for each tracker URL we can speak to (http, https, udp); others are skipped. */
export function makeTrackers(urls: string[], transport: () => Transport | undefined, udp: () => UdpService): TrackerClient[] {
  return makeTrackerTiers([urls], transport, udp).flat();
}

/**
 * BEP 12 tiers of clients, in the metainfo's tier order. A URL is kept in the first tier that
 * names it; a tier left with no client we can speak to is dropped.
 */
export function makeTrackerTiers(tiers: string[][], transport: () => Transport | undefined, udp: () => UdpService): TrackerClient[][] {
  const seen = new Set<string>();
  const out: TrackerClient[][] = [];
  for (const urls of tiers) {
    const clients: TrackerClient[] = [];
    for (const url of urls) {
      if (seen.has(url)) continue;
      seen.add(url);
      const client = makeTracker(url, transport, udp);
      if (client) clients.push(client);
    }
    if (clients.length > 0) out.push(clients);
  }
  return out;
}

function makeTracker(url: string, transport: () => Transport | undefined, udp: () => UdpService): TrackerClient | undefined {
  try {
    if (/^https?:\/\//i.test(url)) return new HttpTracker(url, transport);
    if (/^udp:\/\//i.test(url)) return new UdpTracker(url, udp);
  } catch { /* a malformed URL: nothing to announce to */ }
  return undefined;
}
