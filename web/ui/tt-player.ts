// Plays a file in the page: a <video> or <audio> on the URL it is given, either the file's stream
// URL (the service worker answers Range requests as the engine fetches the pieces) or a Blob URL
// of a finished file's stored pieces. It says when the element waits for data, and why it failed.
// The src changes only when another file is played: never under a playing element.
import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { emit } from './events.ts';
import { mediaErrorText } from './media-type.ts';
import { baseStyles } from './theme.ts';

export interface PlayingFile {
  infoHashHex: string;
  fileIndex: number;
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
    .status { min-height: 1.3em; margin: 0.3rem 0 0; font-size: 0.9rem; }
    .error { margin: 0.3rem 0 0; color: var(--tt-danger, #c0392b); font-weight: 600; }
  `];

  @property({ attribute: false }) file?: PlayingFile;
  /** The element waits for data (`waiting`/`stalled`, until `playing`/`canplay`). */
  @state() private buffering = false;
  @state() private error = '';

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('file') && changed.get('file')?.url !== this.file?.url) {
      this.buffering = this.file !== undefined; // until it can play
      this.error = '';
    }
  }

  override render() {
    const file = this.file;
    if (!file) return nothing;
    const media = file.kind === 'video'
      ? html`<video controls autoplay playsinline src=${file.url} aria-label=${file.path}
          @waiting=${this.onWaiting} @stalled=${this.onStalled} @playing=${this.onReady} @canplay=${this.onReady}
          @error=${this.onError} @loadedmetadata=${this.onMetadata}></video>`
      : html`<audio controls autoplay src=${file.url} aria-label=${file.path}
          @waiting=${this.onWaiting} @stalled=${this.onStalled} @playing=${this.onReady} @canplay=${this.onReady}
          @error=${this.onError} @loadedmetadata=${this.onMetadata}></audio>`;
    return html`
      <div class="head">
        <span class="path">${file.path}</span>
        <button @click=${() => emit(this, 'player-close', {})}>Close player</button>
      </div>
      ${media}
      <p class="status muted" role="status">${this.buffering && !this.error ? 'Buffering…' : ''}</p>
      ${this.error ? html`<p class="error" role="alert">Could not play “${file.path}”: ${this.error}.</p>` : nothing}
    `;
  }

  private onWaiting(): void {
    this.buffering = true;
  }

  /** `stalled` (no data for a while) matters only if the element has too little to go on. */
  private onStalled(event: Event): void {
    if ((event.target as HTMLMediaElement).readyState < HTMLMediaElement.HAVE_FUTURE_DATA) this.buffering = true;
  }

  /** The duration is known: the engine sizes its read-ahead to the file's bitrate. */
  private onMetadata(event: Event): void {
    const file = this.file;
    const duration = (event.target as HTMLMediaElement).duration;
    if (!file || !Number.isFinite(duration) || duration <= 0) return;
    emit(this, 'player-duration', { infoHashHex: file.infoHashHex, fileIndex: file.fileIndex, seconds: duration });
  }

  private onReady(): void {
    this.buffering = false;
  }

  private onError(event: Event): void {
    this.buffering = false;
    this.error = mediaErrorText((event.target as HTMLMediaElement).error);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'tt-player': TtPlayer;
  }
}
