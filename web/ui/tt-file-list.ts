// A torrent's files: which to download and at what priority, how far each is, Save for finished
// ones, and Play (media the browser plays) and Open (in a new tab). Where the service worker can
// stream (web/stream/), Play and Open work from the start, the engine fetching what is read first;
// elsewhere Play waits for the finished file (a Blob of the stored pieces) and the list says why.
// Padding files (BEP 47) are an artefact of piece alignment and are not shown.
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import { streamUrl } from '../stream/stream-url.ts';
import type { FilePriority } from '../worker/torrent/file-selection.ts';
import type { FileView } from './engine-client.ts';
import { emit } from './events.ts';
import { effectivePriority } from './file-choice.ts';
import { canSaveToFolder, isComplete } from './file-export.ts';
import { fileRatio, formatBytes, formatPercent } from './format.ts';
import { playableType } from './media-type.ts';
import { prioritySelect } from './priority-select.ts';
import { StreamingController } from './streaming-controller.ts';
import { baseStyles } from './theme.ts';

const NOT_STREAMING_TEXT = 'Files play and open here once they are complete.';

@customElement('tt-file-list')
export class TtFileList extends LitElement {
  static override styles = [baseStyles, css`
    :host { display: block; }
    .toolbar { display: flex; justify-content: space-between; align-items: center; gap: 0.5rem; flex-wrap: wrap; margin-bottom: 0.4rem; }
    .scroll { overflow-x: auto; }
    td.path { word-break: break-all; min-width: 10rem; }
    td.progress { min-width: 7rem; }
    td.progress .bar { height: 0.35rem; margin-top: 0.2rem; }
    td.actions { white-space: nowrap; }
    td.actions > * + * { margin-left: 0.3rem; }
    a.open {
      display: inline-block; border: 1px solid var(--tt-border-strong, #b8c0cc); border-radius: 6px; padding: 0.3rem 0.75rem;
      line-height: 1.3; color: inherit; text-decoration: none; background: var(--tt-surface, #fff);
    }
    a.open:hover { background: var(--tt-hover, #eef2f7); }
    a.open:focus-visible { outline: 2px solid var(--tt-focus, #2860d8); outline-offset: 2px; }
    input[type='checkbox'] { width: 1rem; height: 1rem; accent-color: var(--tt-accent, #2860d8); }
    select { border: 1px solid var(--tt-border-strong, #b8c0cc); border-radius: 6px; padding: 0.15rem 0.3rem; background: var(--tt-surface, #fff); }
    .why { margin: 0 0 0.4rem; font-size: 0.85rem; }
    @media (max-width: 560px) { .size { display: none; } }
  `];

  @property() infoHashHex = '';
  @property() name = '';
  @property({ attribute: false }) files: FileView[] = [];
  @state() private saving = new Set<number>();
  @state() private savingAll = false;
  private readonly streaming = new StreamingController(this);

  override render() {
    const visible = this.files.filter((file) => !file.padding);
    const anyComplete = visible.some(isComplete);
    const streaming = this.streaming.status;
    return html`
      ${!streaming.ready && visible.some((file) => !isComplete(file))
        ? html`<p class="why muted">${whyNotStreaming(streaming.reason)}</p>` : nothing}
      <div class="toolbar">
        <span class="muted">${visible.length === 1 ? '1 file' : `${visible.length} files`}</span>
        ${canSaveToFolder() ? html`<button @click=${this.saveAll} ?disabled=${!anyComplete || this.savingAll}
          title="Write every finished file into a folder you choose">${this.savingAll ? 'Saving…' : 'Save all to folder…'}</button>` : nothing}
      </div>
      <div class="scroll">
        <table>
          <thead><tr>
            <th scope="col"><span class="visually-hidden">Download</span></th>
            <th scope="col">Path</th><th scope="col" class="num size">Size</th>
            <th scope="col" class="num">Done</th><th scope="col">Priority</th>
            <th scope="col"><span class="visually-hidden">Actions</span></th>
          </tr></thead>
          <tbody>${repeat(visible, (file) => file.index, (file) => this.renderFile(file))}</tbody>
        </table>
      </div>
    `;
  }

  private renderFile(file: FileView) {
    const ratio = fileRatio(file.doneBytes, file.length);
    const complete = isComplete(file);
    return html`<tr>
      <td><input type="checkbox" .checked=${file.selected} aria-label="Download ${file.path}"
        title=${file.selected ? 'Downloading this file' : 'Skipping this file'}
        @change=${(e: Event) => this.select(file, (e.target as HTMLInputElement).checked)}></td>
      <td class="path">${file.path}</td>
      <td class="num size">${formatBytes(file.length)}</td>
      <td class="num progress">${formatPercent(ratio)}
        <div class="bar ${complete ? 'done' : ''}" aria-hidden="true"><span style="width: ${ratio * 100}%"></span></div></td>
      <td>${prioritySelect(file.path, effectivePriority(file), (priority) => this.prioritize(file, priority))}</td>
      <td class="actions">${this.renderActions(file, complete)}</td>
    </tr>`;
  }

  private renderActions(file: FileView, complete: boolean) {
    const streaming = this.streaming.status.ready;
    return html`<button aria-label="Save ${file.path}" title=${file.path} ?disabled=${!complete || this.saving.has(file.index)}
        @click=${() => this.save(file)}>Save</button>${(complete || streaming) && playableType(file.path) ? html`<button
        aria-label="Play ${file.path}" title="Play ${file.path} here" @click=${() => this.play(file)}>Play</button>` : nothing}${streaming
        ? html`<a class="open" href=${streamUrl(this.infoHashHex, file.index, file.path)} target="_blank" rel="noopener"
        aria-label="Open ${file.path}" title="Open ${file.path} in a new tab">Open</a>` : nothing}`;
  }

  private prioritize(file: FileView, priority: FilePriority): void {
    emit(this, 'file-priority', { infoHashHex: this.infoHashHex, fileIndex: file.index, priority });
  }

  private play(file: FileView): void {
    emit(this, 'file-play', { infoHashHex: this.infoHashHex, fileIndex: file.index, path: file.path });
  }

  private select(file: FileView, selected: boolean): void {
    emit(this, 'file-select', { infoHashHex: this.infoHashHex, fileIndex: file.index, selected });
  }

  private async save(file: FileView): Promise<void> {
    const detail = emit(this, 'file-save', { infoHashHex: this.infoHashHex, fileIndex: file.index, path: file.path });
    if (!detail.done) return;
    this.saving = new Set([...this.saving, file.index]);
    try {
      await detail.done;
    } catch {
      // tt-app reports it.
    } finally {
      const next = new Set(this.saving);
      next.delete(file.index);
      this.saving = next;
    }
  }

  private async saveAll(): Promise<void> {
    const detail = emit(this, 'files-save-all', { infoHashHex: this.infoHashHex, name: this.name, files: this.files });
    if (!detail.done) return;
    this.savingAll = true;
    try {
      await detail.done;
    } catch {
      // tt-app reports it.
    } finally {
      this.savingAll = false;
    }
  }
}

/** Why files cannot play or open before they are complete, in words. */
function whyNotStreaming(reason: string | undefined): string {
  return reason || NOT_STREAMING_TEXT;
}

declare global {
  interface HTMLElementTagNameMap {
    'tt-file-list': TtFileList;
  }
}
