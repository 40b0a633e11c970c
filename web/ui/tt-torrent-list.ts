// The list of torrents, one list item per torrent.
import { LitElement, css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import type { TorrentView } from './engine-client.ts';
import { baseStyles } from './theme.ts';
import './tt-torrent-row.ts';

@customElement('tt-torrent-list')
export class TtTorrentList extends LitElement {
  static override styles = [baseStyles, css`
    :host { display: block; }
    ul { list-style: none; margin: 0; padding: 0; display: flex; flex-direction: column; gap: 0.5rem; }
    li {
      border: 1px solid var(--tt-border, #e1e5eb); border-radius: 10px; background: var(--tt-surface, #fff);
      transition: border-color 0.15s;
    }
    li.selected { border-color: var(--tt-accent, #2860d8); box-shadow: 0 0 0 1px var(--tt-accent, #2860d8); }
    .empty {
      border: 1px dashed var(--tt-border-strong, #b8c0cc); border-radius: 10px; padding: 1.5rem; text-align: center; margin: 0;
    }
  `];

  @property({ attribute: false }) torrents: TorrentView[] = [];
  @property({ attribute: false }) selectedHex: string | undefined;

  override render() {
    if (this.torrents.length === 0) {
      return html`<p class="empty muted">No torrents yet. Add a magnet link or a .torrent file above.</p>`;
    }
    return html`<ul role="list" aria-label="Torrents">
      ${repeat(this.torrents, (t) => t.infoHashHex, (t) => html`
        <li class=${t.infoHashHex === this.selectedHex ? 'selected' : ''}>
          <tt-torrent-row .torrent=${t} ?selected=${t.infoHashHex === this.selectedHex}></tt-torrent-row>
        </li>`)}
    </ul>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'tt-torrent-list': TtTorrentList;
  }
}
