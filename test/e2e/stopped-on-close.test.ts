// Closing the tab tells the trackers: the page tells the engine worker on `pagehide` (a worker gets
// no unload event of its own) and the worker stops its torrents at once, so each tracker receives
// `event=stopped` and drops the tab from its swarm instead of handing it out until it times out.
import { expect, test } from 'vitest';
import { addTorrentFile, chooseLink, openApp, torrentRow, waitForGatewayConnected, waitForProgress } from './support/app-page.ts';
import { useBeds, type Bed } from './support/bed.ts';
import { halfWaySwarm } from './support/half-way.ts';

const setUpBed = useBeds();
const STOPPED_WITHIN_MS = 5_000;
const POLL_MS = 100;

/** The tab's announces (it announces the gateway's inbound peer port) with this event. */
function tabAnnounces(bed: Bed, event: string) {
  return bed.swarm.tracker.announces().filter((a) =>
    a.event === event && a.infoHashHex === bed.swarm.torrent.infoHash && a.port === bed.gateway.peerPort);
}

async function waitFor(check: () => boolean, timeoutMs: number): Promise<boolean> {
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; await new Promise((r) => setTimeout(r, POLL_MS))) {
    if (check()) return true;
  }
  return check();
}

for (const link of ['WebRTC', 'WebSocket'] as const) {
  test(`closing the tab mid-download announces stopped to the tracker (${link} link)`, async () => {
    const name = `closed-${link}.bin`;
    const bed = await setUpBed(`stopped-on-close-${link}`, halfWaySwarm(name));
    const { page } = bed.browser;

    await openApp(page, bed.gateway.url);
    if (link === 'WebSocket') await chooseLink(page, link);
    await waitForGatewayConnected(page, link);
    await addTorrentFile(page, bed.swarm.torrent.torrentPath);
    await waitForProgress(torrentRow(page, name), (p) => p >= 5, 60_000, '5 % before closing the tab');
    expect(tabAnnounces(bed, 'started'), 'the tab announced started').toHaveLength(1);

    const closedAt = Date.now();
    await page.close();
    const stopped = await waitFor(() => tabAnnounces(bed, 'stopped').length > 0, STOPPED_WITHIN_MS);
    console.log(`${link}: stopped announce ${stopped ? `received ${Date.now() - closedAt} ms after the close` : 'never received'}; ` +
      `tab announces: ${JSON.stringify(bed.swarm.tracker.announces().filter((a) => a.port === bed.gateway.peerPort).map((a) => a.event))}`);
    expect(stopped, `event=stopped within ${STOPPED_WITHIN_MS} ms of closing the tab`).toBe(true);
    expect(bed.swarm.tracker.peersOf(bed.swarm.torrent.infoHash).map((p) => p.port)).not.toContain(bed.gateway.peerPort);
  });
}
