import type { Transport } from '../transport.ts';
import type { UdpService } from '../udp/udp-service.ts';
import { HttpTracker } from './http-tracker.ts';
import type { TrackerClient } from './tracker-client.ts';
import { UdpTracker } from './udp-tracker.ts';

/** A client for each tracker URL we can speak to (http, https, udp); others are skipped. */
export function makeTrackers(urls: string[], transport: () => Transport | undefined, udp: () => UdpService): TrackerClient[] {
  const clients: TrackerClient[] = [];
  for (const url of new Set(urls)) {
    try {
      if (/^https?:\/\//i.test(url)) clients.push(new HttpTracker(url, transport));
      else if (/^udp:\/\//i.test(url)) clients.push(new UdpTracker(url, udp));
    } catch { /* a malformed URL: nothing to announce to */ }
  }
  return clients;
}
