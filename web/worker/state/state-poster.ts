// What the UI is told on each refresh: only what changed since the last `state` (protocol.ts).
// Metadata once per torrent, list stats when a field changed, details for the torrent the UI shows
// when they changed, and which torrents went away. Nothing changed: nothing is posted.
import type { LinkStatus, StateUpdate, StorageStatus, TorrentStats } from '../protocol.ts';
import type { ListedTorrent } from './state-views.ts';

interface Sent {
  source: object;
  stats: TorrentStats;
}

export class StatePoster {
  private readonly sent = new Map<string, Sent>();
  private order = '';
  private shownHex: string | undefined;
  /** The details last sent for the shown torrent ('' : none yet, send them). */
  private detailsJson = '';
  private linkJson = '';
  private storageJson = '';

  /** The torrent whose details the UI shows (none: no details). Its details go out in the next update. */
  show(infoHashHex: string | undefined): void {
    if (infoHashHex === this.shownHex) return;
    this.shownHex = infoHashHex;
    this.detailsJson = '';
  }

  /** The update since the previous call, or undefined when nothing changed. */
  next(list: readonly ListedTorrent[], link: LinkStatus, storage: StorageStatus | undefined): StateUpdate | undefined {
    const update: StateUpdate = { type: 'state', link, storage, metadata: [], stats: [], removed: [] };
    const present = new Set(list.map((item) => item.infoHashHex));
    for (const hex of this.sent.keys()) {
      if (present.has(hex)) continue;
      this.sent.delete(hex);
      update.removed.push(hex);
    }
    for (const item of list) this.compare(item, update);
    const order = [...present];
    if (order.join() !== this.order) {
      this.order = order.join();
      update.order = order;
    }
    this.compareDetails(list, update);
    const linkChanged = this.changed('linkJson', link);
    const storageChanged = this.changed('storageJson', storage);
    const torrentsChanged = update.metadata.length + update.stats.length + update.removed.length > 0
      || update.order !== undefined || update.details !== undefined;
    return torrentsChanged || linkChanged || storageChanged ? update : undefined;
  }

  private compare(item: ListedTorrent, update: StateUpdate): void {
    const last = this.sent.get(item.infoHashHex);
    const stats = item.stats();
    const newSource = last?.source !== item.source;
    if (newSource) update.metadata.push(item.metadata());
    if (newSource || !sameFields(last!.stats, stats)) update.stats.push(stats);
    this.sent.set(item.infoHashHex, { source: item.source, stats });
  }

  private compareDetails(list: readonly ListedTorrent[], update: StateUpdate): void {
    const shown = this.shownHex === undefined ? undefined : list.find((item) => item.infoHashHex === this.shownHex);
    if (!shown) {
      this.detailsJson = ''; // when it is listed again (a magnet becoming a torrent), send them
      return;
    }
    const details = shown.details();
    const json = JSON.stringify(details);
    if (json === this.detailsJson) return;
    this.detailsJson = json;
    update.details = details;
  }

  private changed(key: 'linkJson' | 'storageJson', value: unknown): boolean {
    const json = JSON.stringify(value) ?? '';
    if (json === this[key]) return false;
    this[key] = json;
    return true;
  }
}

/** Same keys, same primitive values (the stats are flat). */
function sameFields(a: TorrentStats, b: TorrentStats): boolean {
  const keys = Object.keys(a) as (keyof TorrentStats)[];
  return keys.length === Object.keys(b).length && keys.every((key) => a[key] === b[key]);
}
