// Everything about one torrent: totals, the order of download, files (with Save, Play, Open),
// peers, trackers and warnings.
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { TorrentView } from './engine-client.ts';
import type { TrackerInfo } from '../worker/protocol.ts';
import { emit } from './events.ts';
import { formatBytes, formatEta, formatRatio } from './format.ts';
import { baseStyles } from './theme.ts';
import { stateLabel } from './tt-torrent-row.ts';
import './tt-file-list.ts';
import './tt-peer-table.ts';
import './tt-limits.ts';

@customElement('tt-torrent-details')
export class TtTorrentDetails extends LitElement {
  static override styles = [baseStyles, css`
    :host { display: block; }
    h2 { font-size: 1.1rem; word-break: break-word; }
    section { margin-top: 1.25rem; }
    dl { display: grid; grid-template-columns: repeat(auto-fill, minmax(10rem, 1fr)); gap: 0.5rem 1rem; margin: 0; }
    dl div { min-width: 0; }
    dt { font-size: 0.8rem; color: var(--tt-muted, #5b6575); }
    dd { margin: 0; font-variant-numeric: tabular-nums; overflow-wrap: anywhere; }
    dd.hash { font-family: ui-monospace, monospace; font-size: 0.8rem; }
    ul.plain { list-style: none; margin: 0; padding: 0; }
    ul.plain li { padding: 0.3rem 0; border-bottom: 1px solid var(--tt-border, #e1e5eb); overflow-wrap: anywhere; }
    .error { color: var(--tt-danger, #c0392b); }
    .url { font-family: ui-monospace, monospace; font-size: 0.85em; }
    p { margin: 0; }
    .order { display: flex; flex-wrap: wrap; align-items: center; gap: 0.25rem 0.75rem; margin-top: 1rem; }
    .order label { display: flex; align-items: center; gap: 0.4rem; cursor: pointer; }
    .order input { width: 1rem; height: 1rem; margin: 0; accent-color: var(--tt-accent, #2860d8); }
    .order .muted { font-size: 0.85rem; }
    .reason { margin-top: 0.4rem; font-weight: 600; }
  `];

  @property({ attribute: false }) torrent: TorrentView | undefined;

  override render() {
    const t = this.torrent;
    if (!t) return html`<p class="muted">Select a torrent to see its files and peers.</p>`;
    return html`
      <h2 id="title">${t.name}</h2>
      ${t.state === 'stopped' && t.stopReason ? html`<p class="reason" role="status">${t.stopReason}</p>` : nothing}
      <dl aria-labelledby="title">
        ${item('State', stateLabel(t))}
        ${item('Size', formatBytes(t.totalBytes))}
        ${item('Selected', formatBytes(t.wantedBytes))}
        ${item('Verified', formatBytes(t.verifiedBytes))}
        ${item('Downloaded', formatBytes(t.downloadedBytes))}
        ${item('Uploaded', formatBytes(t.uploadedBytes))}
        ${item('Ratio', formatRatio(t.uploadedBytes, t.downloadedBytes))}
        ${item('Wasted', formatBytes(t.wastedBytes))}
        ${item('Seeding time', formatDuration(t.seedingSeconds ?? 0))}
        ${item('Time left', t.state === 'downloading' ? formatEta(t.etaSeconds) : '—')}
        ${item('Peers', `${t.peerCount} connected, ${t.knownPeers} known`)}
        ${item('Pieces', `${t.pieceCount} × ${formatBytes(t.pieceLength)}`)}
        <div><dt>Info hash</dt><dd class="hash">${t.infoHashHex}</dd></div>
      </dl>

      <div class="order">
        <label><input type="checkbox" .checked=${t.sequential} aria-describedby="order-hint"
          @change=${(e: Event) => this.setSequential((e.target as HTMLInputElement).checked)}>Download in order</label>
        <span id="order-hint" class="muted">From the first piece on instead of rarest first: for playing a file while it downloads.</span>
      </div>

      <section aria-labelledby="limits">
        <h3 id="limits">Limits and seeding goals</h3>
        <tt-limits .scope=${t.infoHashHex} labelPrefix="Torrent " .values=${t.limits ?? {}}></tt-limits>
      </section>

      <section aria-labelledby="files">
        <h3 id="files">Files</h3>
        <tt-file-list .infoHashHex=${t.infoHashHex} .name=${t.name} .files=${t.files}></tt-file-list>
      </section>

      <section aria-labelledby="peers">
        <h3 id="peers">Peers</h3>
        <tt-peer-table .peers=${t.peers}></tt-peer-table>
      </section>

      <section aria-labelledby="trackers">
        <h3 id="trackers">Trackers</h3>
        ${t.trackers.length === 0 ? html`<p class="muted">No trackers (peers come from the DHT or the magnet link).</p>`
          : html`<ul class="plain">${t.trackers.map((tracker) => html`<li>
              <span class="url">${tracker.url}</span> <span class="muted">(tier ${tracker.tier + 1})</span> —
              ${tracker.error ? html`<span class="error">${tracker.error}</span>`
                : html`<span>${trackerCounts(tracker)}</span>`}
              ${tracker.warning ? html`<span class="warning" role="note">Tracker warning: ${tracker.warning}</span>` : nothing}
            </li>`)}</ul>`}
      </section>

      ${t.warnings.length === 0 ? nothing : html`<section aria-labelledby="warnings">
        <h3 id="warnings">Warnings</h3>
        <ul class="plain">${t.warnings.map((warning) => html`<li>${warning}</li>`)}</ul>
      </section>`}
    `;
  }

  private setSequential(sequential: boolean): void {
    const t = this.torrent;
    if (t) emit(this, 'sequential-change', { infoHashHex: t.infoHashHex, name: t.name, sequential });
  }
}

/** "2 h 05 min", "12 min", "40 s". */
function formatDuration(seconds: number): string {
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  return minutes < 60 ? `${minutes} min` : `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`;
}

function item(label: string, value: string) {
  return html`<div><dt>${label}</dt><dd>${value}</dd></div>`;
}

declare global {
  interface HTMLElementTagNameMap {
    'tt-torrent-details': TtTorrentDetails;
  }
}

/** "12 peers · 40 seeders, 3 leechers, 812 downloads": what the tracker told us. */
function trackerCounts(tracker: TrackerInfo): string {
  const parts = [tracker.peers === 1 ? '1 peer' : `${tracker.peers} peers`];
  if (tracker.seeders !== undefined && tracker.leechers !== undefined) parts.push(`${tracker.seeders} seeders, ${tracker.leechers} leechers`);
  if (tracker.downloaded !== undefined) parts.push(`${tracker.downloaded} downloads`);
  return parts.join(' · ');
}
