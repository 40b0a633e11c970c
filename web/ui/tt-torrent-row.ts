// One torrent in the list: name, progress, state, speeds, peers, ETA, size, and its buttons.
// Clicking the row (outside its buttons) selects it for the details.
import { LitElement, css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { TorrentView } from './engine-client.ts';
import { emit } from './events.ts';
import { formatBytes, formatEta, formatPercent, formatRate, percentInt } from './format.ts';
import { baseStyles } from './theme.ts';

export function stateLabel(torrent: TorrentView): string {
  switch (torrent.state) {
    case 'downloading': return 'Downloading';
    case 'seeding': return 'Seeding';
    case 'stopped': return torrent.stopReason ? `Paused: ${torrent.stopReason}` : 'Paused';
    case 'error': return `Error: ${torrent.error ?? 'unknown problem'}`;
    case 'metadata': return 'Fetching metadata from peers…';
    case 'choosing': return 'Waiting for your choice of files';
  }
}

@customElement('tt-torrent-row')
export class TtTorrentRow extends LitElement {
  static override styles = [baseStyles, css`
    :host { display: block; padding: 0.75rem 0.9rem; cursor: pointer; }
    .top { display: flex; gap: 0.5rem; align-items: center; flex-wrap: wrap; }
    .name {
      flex: 1 1 12rem; min-width: 0; text-align: left; border: none; background: none; padding: 0;
      font-weight: 600; white-space: normal; overflow-wrap: anywhere;
    }
    .name:hover:not(:disabled) { background: none; text-decoration: underline; }
    .buttons { display: flex; gap: 0.4rem; flex-wrap: wrap; align-items: center; }
    .progress { display: flex; align-items: center; gap: 0.6rem; margin: 0.5rem 0 0.35rem; }
    .progress .bar { flex: 1; }
    .percent { font-variant-numeric: tabular-nums; font-size: 0.85rem; min-width: 3.5rem; text-align: right; }
    .stats { display: flex; flex-wrap: wrap; gap: 0.25rem 1rem; font-size: 0.85rem; }
    .stats b { font-weight: 500; color: var(--tt-muted, #5b6575); margin-right: 0.25rem; }
    .state-error { color: var(--tt-danger, #c0392b); font-weight: 600; }
    .state-seeding { color: var(--tt-ok, #1e8e4f); }
  `];

  @property({ attribute: false }) torrent: TorrentView | undefined;
  @property({ type: Boolean, reflect: true }) selected = false;

  override connectedCallback(): void {
    super.connectedCallback();
    this.addEventListener('click', this.onRowClick);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.removeEventListener('click', this.onRowClick);
  }

  override render() {
    const t = this.torrent;
    if (!t) return html``;
    const percent = percentInt(t.progress);
    const running = t.state === 'downloading' || t.state === 'seeding' || t.state === 'metadata';
    const barClass = t.state === 'error' ? 'error' : t.state === 'stopped' ? 'paused' : percent === 100 ? 'done' : '';
    return html`
      <div class="top">
        <button class="name" title=${t.name} aria-current=${this.selected ? 'true' : 'false'}
          @click=${this.select}>${t.name}</button>
        <div class="buttons">
          ${running
            ? html`<button @click=${() => this.act('pause')}>Pause</button>`
            : html`<button @click=${() => this.act('resume')}>Resume</button>`}
          <button class="danger" title="Remove this torrent and delete its data"
            @click=${() => this.act('remove')}>Remove</button>
        </div>
      </div>
      <div class="progress">
        <div class="bar ${barClass}" role="progressbar" aria-label="Progress of ${t.name}"
          aria-valuemin="0" aria-valuemax="100" aria-valuenow=${percent}>
          <span style="width: ${Math.min(100, Math.max(0, t.progress * 100))}%"></span>
        </div>
        <span class="percent" aria-hidden="true">${formatPercent(t.progress)}</span>
      </div>
      <div class="stats">
        <span class="state-${t.state}">${stateLabel(t)}</span>
        <span><b>Down</b> ${formatRate(t.downloadBps)}</span>
        <span><b>Up</b> ${formatRate(t.uploadBps)}</span>
        <span><b>Peers</b> ${t.peerCount}</span>
        <span><b>ETA</b> ${t.state === 'downloading' ? formatEta(t.etaSeconds) : '—'}</span>
        <span><b>Size</b> ${formatBytes(t.totalBytes)}${t.wantedBytes < t.totalBytes
          ? html` <span class="muted">(${formatBytes(t.wantedBytes)} selected)</span>` : ''}</span>
      </div>
    `;
  }

  private act(action: 'pause' | 'resume' | 'remove'): void {
    if (this.torrent) emit(this, 'torrent-action', { infoHashHex: this.torrent.infoHashHex, name: this.torrent.name, action });
  }

  private select(): void {
    if (this.torrent) emit(this, 'torrent-select', { infoHashHex: this.torrent.infoHashHex });
  }

  private readonly onRowClick = (event: MouseEvent): void => {
    // Buttons do their own thing (the name button selects by itself).
    if (event.composedPath().some((node) => node instanceof HTMLButtonElement)) return;
    this.select();
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'tt-torrent-row': TtTorrentRow;
  }
}
