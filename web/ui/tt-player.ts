// Plays a finished file in the page: a <video> or <audio> over a Blob URL of the stored pieces
// (disk-backed Blob slices, so the file is never read whole into memory). Closing revokes the URL.
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { emit } from './events.ts';
import { baseStyles } from './theme.ts';

export interface PlayingFile {
  infoHashHex: string;
  path: string;
  kind: 'video' | 'audio';
  url: string;
}

@customElement('tt-player')
export class TtPlayer extends LitElement {
  static override styles = [baseStyles, css`
    :host { display: block; }
    .head { display: flex; justify-content: space-between; align-items: center; gap: 0.5rem; margin-bottom: 0.4rem; }
    .path { word-break: break-all; font-weight: 600; }
    video, audio { width: 100%; max-height: 70vh; background: #000; border-radius: 6px; }
    audio { background: none; }
  `];

  @property({ attribute: false }) file?: PlayingFile;

  override render() {
    const file = this.file;
    if (!file) return nothing;
    const media = file.kind === 'video'
      ? html`<video controls autoplay playsinline src=${file.url} aria-label=${file.path}></video>`
      : html`<audio controls autoplay src=${file.url} aria-label=${file.path}></audio>`;
    return html`
      <div class="head">
        <span class="path">${file.path}</span>
        <button @click=${() => emit(this, 'player-close', {})}>Close player</button>
      </div>
      ${media}
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'tt-player': TtPlayer;
  }
}
