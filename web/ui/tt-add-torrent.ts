// Adding torrents: a magnet link or .torrent URL, a file picker, and the whole page as a drop
// zone for .torrent files (and dragged magnet links).
import { LitElement, css, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { emit, type AddTorrentDetail } from './events.ts';
import { baseStyles } from './theme.ts';

const TORRENT_MIME = 'application/x-bittorrent';

@customElement('tt-add-torrent')
export class TtAddTorrent extends LitElement {
  static override styles = [baseStyles, css`
    :host { display: block; }
    form { display: flex; flex-wrap: wrap; gap: 0.5rem; align-items: flex-end; }
    .url { flex: 1 1 20rem; display: flex; flex-direction: column; gap: 0.25rem; min-width: 0; }
    .url label { font-size: 0.85rem; font-weight: 600; }
    .url input {
      width: 100%; padding: 0.4rem 0.6rem; border: 1px solid var(--tt-border-strong, #b8c0cc);
      border-radius: 6px; background: var(--tt-surface, #fff);
    }
    .actions { display: flex; gap: 0.5rem; flex-wrap: wrap; }
    .file-button {
      display: inline-block; border: 1px solid var(--tt-border-strong, #b8c0cc); border-radius: 6px;
      padding: 0.3rem 0.75rem; cursor: pointer; background: var(--tt-surface, #fff); line-height: 1.3; position: relative;
    }
    .file-button:hover { background: var(--tt-hover, #eef2f7); }
    .file-button:focus-within { outline: 2px solid var(--tt-focus, #2860d8); outline-offset: 2px; }
    .hint { margin: 0.4rem 0 0; font-size: 0.85rem; }
    .overlay {
      position: fixed; inset: 0; z-index: 10; display: grid; place-items: center; pointer-events: none;
      background: color-mix(in srgb, var(--tt-accent, #2860d8) 18%, transparent);
      border: 3px dashed var(--tt-accent, #2860d8); font-size: 1.4rem; font-weight: 600;
    }
    .overlay span { background: var(--tt-surface, #fff); padding: 1rem 1.5rem; border-radius: 10px; }
  `];

  @state() private url = '';
  @state() private pendingAdds = 0;
  @state() private dragging = false;
  private dragDepth = 0;

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('dragenter', this.onDragEnter);
    window.addEventListener('dragover', this.onDragOver);
    window.addEventListener('dragleave', this.onDragLeave);
    window.addEventListener('drop', this.onDrop);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('dragenter', this.onDragEnter);
    window.removeEventListener('dragover', this.onDragOver);
    window.removeEventListener('dragleave', this.onDragLeave);
    window.removeEventListener('drop', this.onDrop);
  }

  override render() {
    return html`
      <form @submit=${this.onSubmit}>
        <div class="url">
          <label for="url">Magnet link or torrent URL</label>
          <input id="url" type="text" inputmode="url" autocomplete="off" spellcheck="false"
            placeholder="magnet:?xt=urn:btih:… or https://…/file.torrent"
            .value=${this.url} @input=${(e: Event) => { this.url = (e.target as HTMLInputElement).value; }}>
        </div>
        <div class="actions">
          <button type="submit" class="primary">Add</button>
          <label class="file-button">Open torrent file<input class="visually-hidden" type="file"
            accept=".torrent,${TORRENT_MIME}" multiple @change=${this.onFilesChosen}></label>
        </div>
      </form>
      <p class="hint muted" role="status">${this.pendingAdds > 0 ? 'Adding…' : 'Or drop .torrent files anywhere on the page.'}</p>
      ${this.dragging ? html`<div class="overlay" aria-hidden="true"><span>Drop .torrent files to add them</span></div>` : nothing}
    `;
  }

  private onSubmit(event: Event): void {
    event.preventDefault();
    const url = this.url.trim();
    if (!url) {
      this.renderRoot.querySelector<HTMLInputElement>('#url')?.focus();
      return;
    }
    void this.request({ kind: 'url', url }, () => { if (this.url.trim() === url) this.url = ''; });
  }

  private async onFilesChosen(event: Event): Promise<void> {
    const input = event.target as HTMLInputElement;
    const files = [...(input.files ?? [])];
    input.value = ''; // the same file can be chosen again
    await this.addFiles(files);
  }

  /** Emits `add-torrent`; runs `onAdded` when the listener's promise resolves. */
  private async request(detail: AddTorrentDetail, onAdded?: () => void): Promise<void> {
    const sent = emit(this, 'add-torrent', detail);
    if (!sent.done) return;
    this.pendingAdds++;
    try {
      await sent.done;
      onAdded?.();
    } catch {
      // tt-app shows the error; the input keeps the text so it can be corrected.
    } finally {
      this.pendingAdds--;
    }
  }

  private async addFiles(files: File[]): Promise<void> {
    for (const file of files) {
      if (!isTorrentFile(file)) {
        emit(this, 'app-error', { message: `“${file.name}” is not a .torrent file, so it was not added.` });
        continue;
      }
      let bytes: Uint8Array;
      try {
        bytes = new Uint8Array(await file.arrayBuffer());
      } catch {
        emit(this, 'app-error', { message: `Could not read “${file.name}”.` });
        continue;
      }
      void this.request({ kind: 'file', bytes, fileName: file.name });
    }
  }

  private readonly onDragEnter = (event: DragEvent): void => {
    if (!carriesTorrent(event)) return;
    event.preventDefault();
    this.dragDepth++;
    this.dragging = true;
  };

  private readonly onDragOver = (event: DragEvent): void => {
    if (!carriesTorrent(event)) return;
    event.preventDefault(); // allows the drop
    if (event.dataTransfer) event.dataTransfer.dropEffect = 'copy';
  };

  private readonly onDragLeave = (): void => {
    this.dragDepth = Math.max(0, this.dragDepth - 1);
    if (this.dragDepth === 0) this.dragging = false;
  };

  private readonly onDrop = (event: DragEvent): void => {
    this.dragDepth = 0;
    this.dragging = false;
    const transfer = event.dataTransfer;
    if (!transfer || !carriesTorrent(event)) return;
    event.preventDefault(); // otherwise the browser opens the file
    const files = [...transfer.files];
    if (files.length > 0) {
      void this.addFiles(files);
      return;
    }
    const link = (transfer.getData('text/uri-list') || transfer.getData('text/plain')).split('\n')
      .map((line) => line.trim()).find((line) => line !== '' && !line.startsWith('#'));
    if (link) void this.request({ kind: 'url', url: link });
  };
}

function isTorrentFile(file: File): boolean {
  return file.name.toLowerCase().endsWith('.torrent') || file.type === TORRENT_MIME;
}

function carriesTorrent(event: DragEvent): boolean {
  const types = event.dataTransfer?.types ?? [];
  return types.includes('Files') || types.includes('text/uri-list');
}

declare global {
  interface HTMLElementTagNameMap {
    'tt-add-torrent': TtAddTorrent;
  }
}
