// "Add <name>": a modal dialog for a torrent waiting in 'choosing' (its files are known): which
// files to download and at what priority, then Start download or Cancel (Escape too). The initial
// choice is the engine's (a magnet's BEP 53 `so=` pre-selects files); the user's changes go over
// it. tt-app shows one torrent at a time and queues the others.
import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import type { FilePriority } from '../worker/torrent/file-selection.ts';
import type { FileView, TorrentView } from './engine-client.ts';
import { emit } from './events.ts';
import { chosenTotals, priorityForTick, startPriorities } from './file-choice.ts';
import { formatBytes } from './format.ts';
import { prioritySelect } from './priority-select.ts';
import { baseStyles } from './theme.ts';

@customElement('tt-add-dialog')
export class TtAddDialog extends LitElement {
  static override styles = [baseStyles, css`
    dialog {
      width: min(46rem, calc(100vw - 1.5rem)); max-height: min(40rem, calc(100vh - 1.5rem)); padding: 0;
      border: 1px solid var(--tt-border, #e1e5eb); border-radius: 12px; color: inherit;
      background: var(--tt-surface, #fff); box-shadow: 0 12px 40px rgb(0 0 0 / 0.25);
    }
    dialog::backdrop { background: rgb(15 20 30 / 0.45); }
    form { display: flex; flex-direction: column; gap: 0.6rem; padding: 1rem 1.1rem; max-height: inherit; }
    h2 { font-size: 1.1rem; margin: 0; overflow-wrap: anywhere; }
    p { margin: 0; }
    .scroll { overflow: auto; flex: 1 1 auto; min-height: 4rem; border: 1px solid var(--tt-border, #e1e5eb); border-radius: 8px; }
    thead th { position: sticky; top: 0; background: var(--tt-surface, #fff); }
    td.path { word-break: break-all; min-width: 10rem; }
    input[type='checkbox'] { width: 1rem; height: 1rem; accent-color: var(--tt-accent, #2860d8); }
    select { border: 1px solid var(--tt-border-strong, #b8c0cc); border-radius: 6px; padding: 0.15rem 0.3rem; background: var(--tt-surface, #fff); }
    .foot { display: flex; flex-wrap: wrap; gap: 0.5rem 1rem; align-items: center; justify-content: space-between; }
    .buttons { display: flex; gap: 0.5rem; margin-left: auto; }
    @media (max-width: 560px) { .size { display: none; } }
  `];

  /** The torrent to ask about; none: the dialog is closed. */
  @property({ attribute: false }) torrent: TorrentView | undefined;
  /** The user's changes over the engine's proposal, by file index. */
  @state() private changes = new Map<number, FilePriority>();
  @query('dialog') private dialog!: HTMLDialogElement;
  @query('button[type=submit]') private startButton!: HTMLButtonElement | null;
  /** The torrent the dialog is open for. */
  private openHex: string | undefined;
  /** The torrent already answered (Start or Cancel): a later close is not a Cancel. */
  private answeredHex: string | undefined;
  /** Where showModal put the focus, and whether Start download is still to get it. */
  private focusAfterOpen: { pending: boolean; autoFocused: Element | null } = { pending: false, autoFocused: null };

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('torrent') && this.torrent?.infoHashHex !== this.openHex) this.changes = new Map();
  }

  override render() {
    return html`<dialog aria-labelledby="add-title" aria-describedby="add-hint"
      @cancel=${this.onCancel} @close=${this.onClose}>${this.torrent ? this.renderForm(this.torrent) : nothing}</dialog>`;
  }

  protected override updated(): void {
    const hex = this.torrent?.infoHashHex;
    if (hex !== this.openHex) {
      this.openHex = hex;
      this.answeredHex = undefined;
      // Closed and opened again for the next torrent: its name is announced as a new dialog.
      if (this.dialog.open) this.dialog.close();
      if (hex !== undefined) {
        this.dialog.showModal();
        this.focusAfterOpen = { pending: true, autoFocused: this.activeElement() };
      }
    }
    this.focusStartOnce();
  }

  /** Start download gets the focus once it can be pressed, unless the user went elsewhere meanwhile. */
  private focusStartOnce(): void {
    const start = this.startButton;
    if (!this.focusAfterOpen.pending || !start || start.disabled) return;
    this.focusAfterOpen.pending = false;
    const active = this.activeElement();
    if (!active || active === this.dialog || active === this.focusAfterOpen.autoFocused) start.focus();
  }

  private activeElement(): Element | null {
    return this.renderRoot instanceof ShadowRoot ? this.renderRoot.activeElement : null;
  }

  private renderForm(t: TorrentView) {
    const priorities = startPriorities(t.files, this.changes);
    const totals = chosenTotals(t.files, priorities);
    const visible = t.files.filter((file) => !file.padding);
    const canStart = t.detailsKnown && totals.files > 0;
    return html`<form @submit=${this.onSubmit}>
      <h2 id="add-title">Add ${t.name}</h2>
      <p id="add-hint" class="muted">${t.detailsKnown
        ? 'Choose the files to download and which come first. You can change this later in the file list.'
        : 'Reading the file list…'}</p>
      <div class="scroll">
        <table>
          <thead><tr>
            <th scope="col"><span class="visually-hidden">Download</span></th>
            <th scope="col">File</th><th scope="col" class="num size">Size</th><th scope="col">Priority</th>
          </tr></thead>
          <tbody>${repeat(visible, (file) => file.index, (file) => this.renderFile(file, priorities[file.index] ?? 'normal'))}</tbody>
        </table>
      </div>
      <div class="foot">
        <p aria-live="polite">${totals.files} of ${totals.allFiles === 1 ? '1 file' : `${totals.allFiles} files`} chosen:
          <strong>${formatBytes(totals.bytes)}</strong> of ${formatBytes(totals.allBytes)}</p>
        <div class="buttons">
          <button type="button" @click=${this.cancel}>Cancel</button>
          <button type="submit" class="primary" ?disabled=${!canStart}
            title=${canStart ? 'Download the chosen files' : totals.files === 0 ? 'Choose at least one file' : 'Waiting for the file list'}>Start download</button>
        </div>
      </div>
    </form>`;
  }

  private renderFile(file: FileView, priority: FilePriority) {
    return html`<tr>
      <td><input type="checkbox" aria-label="Download ${file.path}" .checked=${priority !== 'skip'}
        @change=${(e: Event) => this.choose(file.index, priorityForTick((e.target as HTMLInputElement).checked))}></td>
      <td class="path">${file.path}</td>
      <td class="num size">${formatBytes(file.length)}</td>
      <td>${prioritySelect(file.path, priority, (chosen) => this.choose(file.index, chosen))}</td>
    </tr>`;
  }

  private choose(fileIndex: number, priority: FilePriority): void {
    this.changes = new Map(this.changes).set(fileIndex, priority);
  }

  private onSubmit(event: Event): void {
    event.preventDefault();
    const t = this.torrent;
    if (!t || !t.detailsKnown || this.answeredHex === t.infoHashHex) return;
    const priorities = startPriorities(t.files, this.changes);
    if (chosenTotals(t.files, priorities).files === 0) return;
    this.answeredHex = t.infoHashHex;
    emit(this, 'add-start', { infoHashHex: t.infoHashHex, name: t.name, priorities });
  }

  private cancel(): void {
    const t = this.torrent;
    if (!t || this.answeredHex === t.infoHashHex) return;
    this.answeredHex = t.infoHashHex;
    emit(this, 'add-cancel', { infoHashHex: t.infoHashHex, name: t.name });
  }

  /** Escape: Cancel, with the dialog kept open until tt-app moves on. */
  private onCancel(event: Event): void {
    event.preventDefault();
    this.cancel();
  }

  /** The browser closed the dialog itself (a second Escape is not cancelable): that is a Cancel too. */
  private onClose(): void {
    if (this.dialog.open || !this.torrent || this.answeredHex === this.torrent.infoHashHex) return;
    this.cancel();
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'tt-add-dialog': TtAddDialog;
  }
}
