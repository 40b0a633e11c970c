// A torrent's files: which to download, how far each is, and Save (and, for media the browser
// plays, Play) buttons for finished ones.
// Padding files (BEP 47) are an artefact of piece alignment and are not shown.
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import type { FileView } from './engine-client.ts';
import { emit } from './events.ts';
import { canSaveToFolder, isComplete } from './file-export.ts';
import { fileRatio, formatBytes, formatPercent } from './format.ts';
import { playableType } from './media-type.ts';
import { baseStyles } from './theme.ts';

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
    td.actions button + button { margin-left: 0.3rem; }
    input[type='checkbox'] { width: 1rem; height: 1rem; accent-color: var(--tt-accent, #2860d8); }
    @media (max-width: 560px) { .size { display: none; } }
  `];

  @property() infoHashHex = '';
  @property() name = '';
  @property({ attribute: false }) files: FileView[] = [];
  @state() private saving = new Set<number>();
  @state() private savingAll = false;

  override render() {
    const visible = this.files.filter((file) => !file.padding);
    const anyComplete = visible.some(isComplete);
    return html`
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
            <th scope="col" class="num">Done</th><th scope="col"><span class="visually-hidden">Save</span></th>
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
      <td class="actions"><button aria-label="Save ${file.path}" title=${file.path} ?disabled=${!complete || this.saving.has(file.index)}
        @click=${() => this.save(file)}>Save</button>${complete && playableType(file.path) ? html`<button
        aria-label="Play ${file.path}" title="Play ${file.path} here" @click=${() => this.play(file)}>Play</button>` : nothing}</td>
    </tr>`;
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

declare global {
  interface HTMLElementTagNameMap {
    'tt-file-list': TtFileList;
  }
}
