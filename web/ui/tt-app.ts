// The page: header (gateway link, settings, storage), adding torrents (and the add dialog of a
// torrent waiting for the user's choice of files), messages, the player, the torrent list and the
// selected torrent's details. The only element that talks to the engine: the others fire events
// and this one turns them into commands, and failed commands into messages people understand.
import { LitElement, css, html } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { LinkPreference } from '../worker/protocol.ts';
import type { EngineHome } from '../engine-lock.ts';
import { askFirst, encryptionMode, limitSettings, saveAskFirst, saveEncryptionMode, saveLimitSettings } from '../settings.ts';
import { checkLimitSettings } from '../worker/rate-limit/limit-settings.ts';
import type { LimitsChangeDetail } from './tt-limits.ts';
import './tt-limits.ts';
import type { EncryptionMode } from '../worker/peer/encryption-mode.ts';
import { streamingStatus } from '../stream/streaming-status.ts';
import { streamUrl } from '../stream/stream-url.ts';
import type { EngineClient, TorrentView } from './engine-client.ts';
import { AddQueue } from './add-queue.ts';
import { EngineController } from './engine-controller.ts';
import type {
  AddCancelDetail, AddStartDetail, AddTorrentDetail, AppErrorDetail, FilePlayDetail, PlayerDurationDetail, FilePriorityDetail, FileSaveDetail,
  FileSelectDetail, MessageDismissDetail, SaveAllDetail, SequentialDetail, TorrentActionDetail, TorrentSelectDetail,
} from './events.ts';
import { pickFolder, saveAllToFolder, saveFile } from './file-export.ts';
import { baseStyles } from './theme.ts';
import type { UiMessage } from './tt-messages.ts';
import './tt-add-dialog.ts';
import './tt-add-torrent.ts';
import './tt-engine-elsewhere.ts';
import './tt-link-status.ts';
import './tt-messages.ts';
import './tt-player.ts';
import './tt-settings.ts';
import type { PlayingFile } from './tt-player.ts';
import { playableType } from './media-type.ts';
import './tt-storage-meter.ts';
import './tt-torrent-details.ts';
import './tt-torrent-list.ts';

const MAX_ERRORS = 5;
const NOTICE_MS = 6000;
const ENGINE_ERROR_ID = 0;
const TITLE = html`<h1><span aria-hidden="true">⇅</span> TabTorrent</h1>`;

@customElement('tt-app')
export class TtApp extends LitElement {
  static override styles = [baseStyles, css`
    :host { display: block; min-height: 100vh; }
    header {
      display: flex; flex-wrap: wrap; align-items: center; gap: 0.5rem 1.5rem; padding: 0.75rem 1.25rem;
      background: var(--tt-surface, #fff); border-bottom: 1px solid var(--tt-border, #e1e5eb);
    }
    h1 { margin: 0; font-size: 1.25rem; letter-spacing: -0.01em; margin-right: auto; }
    h1 span { color: var(--tt-accent, #2860d8); }
    main { max-width: 90rem; margin: 0 auto; padding: 1rem 1.25rem 3rem; display: flex; flex-direction: column; gap: 1rem; }
    .panel { background: var(--tt-surface, #fff); border: 1px solid var(--tt-border, #e1e5eb); border-radius: 12px; padding: 1rem; }
    .columns { display: grid; grid-template-columns: minmax(0, 2fr) minmax(0, 3fr); gap: 1rem; align-items: start; }
    .list-section h2 { display: flex; justify-content: space-between; }
    @media (max-width: 900px) { .columns { grid-template-columns: minmax(0, 1fr); } }
    @media (max-width: 480px) { main { padding: 0.75rem 0.5rem 2rem; } header { padding: 0.6rem 0.75rem; } .panel { padding: 0.75rem; } }
  `];

  /** The engine. Set it once, before or after the element is connected. */
  @property({ attribute: false }) client: EngineClient | undefined;
  /** False when the gateway does not know this page (no sign-in cookie): the link cannot work. */
  @property({ type: Boolean }) signedIn = true;
  /** The link the user prefers; the select starts on it. */
  @property() linkPreference: LinkPreference = 'webrtc';
  /** Whether this tab runs the engine; otherwise the page says where it is instead of the torrents. */
  @property() engineHome: EngineHome = 'here';

  @state() private selectedHex: string | undefined;
  @state() private errors: UiMessage[] = [];
  @state() private notice = '';
  @state() private engineErrorDismissed = false;
  @state() private playing?: PlayingFile;
  /** "Show files before downloading" (web/settings.ts). */
  @state() private askFirst = askFirst();
  /** "Peer encryption" (web/settings.ts), sent to each engine client. */
  @state() private encryption = encryptionMode();
  /** Global rate limits, upload slots and seeding goals (web/settings.ts), sent to each engine client. */
  @state() private limits = limitSettings();
  /** The torrent the add dialog asks about (set before each render). */
  private asking: TorrentView | undefined;
  private readonly addQueue = new AddQueue();
  /** What was shown before the add dialog showed its torrent: shown again after a Cancel. */
  private selectedBeforeAsking: string | undefined;

  private readonly engine = new EngineController(this);
  private nextMessageId = ENGINE_ERROR_ID + 1;
  private noticeTimer: ReturnType<typeof setTimeout> | undefined;

  constructor() {
    super();
    this.addEventListener('add-torrent', (e) => this.onAdd(e.detail));
    this.addEventListener('torrent-action', (e) => this.onTorrentAction(e.detail));
    this.addEventListener('torrent-select', (e) => this.onSelect(e.detail));
    this.addEventListener('file-select', (e) => this.onFileSelect(e.detail));
    this.addEventListener('file-priority', (e) => this.onFilePriority(e.detail));
    this.addEventListener('sequential-change', (e) => this.onSequential(e.detail));
    this.addEventListener('add-start', (e) => this.onAddStart(e.detail));
    this.addEventListener('add-cancel', (e) => this.onAddCancel(e.detail));
    this.addEventListener('ask-first-change', (e) => this.onAskFirstChange(e.detail));
    this.addEventListener('encryption-change', (e) => this.onEncryptionChange(e.detail));
    this.addEventListener('limits-change', (e) => this.onLimitsChange(e.detail));
    this.addEventListener('file-save', (e) => this.onFileSave(e.detail));
    this.addEventListener('file-play', (e) => void this.onFilePlay(e.detail));
    this.addEventListener('player-close', () => this.closePlayer());
    this.addEventListener('player-duration', (e) => this.onPlayerDuration(e.detail));
    this.addEventListener('files-save-all', (e) => this.onSaveAll(e.detail));
    this.addEventListener('app-error', (e) => this.onAppError(e.detail));
    this.addEventListener('message-dismiss', (e) => this.onDismiss(e.detail));
    this.addEventListener('link-preference-change', (e) => { this.linkPreference = e.detail; });
  }

  protected override willUpdate(changed: Map<string, unknown>): void {
    if (changed.has('client')) {
      this.engine.client = this.client;
      void this.client?.setEncryption(this.encryption).catch(() => {});
      void this.client?.setLimits(this.limits).catch(() => {});
    }
    // The torrent asked about is the one shown: the engine sends its files' proposed choice.
    const asking = this.addQueue.next(this.engine.state?.torrents ?? []);
    if (asking && !this.asking) this.selectedBeforeAsking = this.selectedHex;
    if (asking && asking.infoHashHex !== this.asking?.infoHashHex) this.selectedHex = asking.infoHashHex;
    this.asking = asking;
  }

  /** The engine sends the details (files, peers, trackers) of the torrent shown, only. */
  protected override updated(): void {
    this.client?.showTorrent(this.engineHome === 'here' ? this.shownTorrent()?.infoHashHex : undefined);
  }

  /** The selected torrent, else the first one. */
  private shownTorrent(): TorrentView | undefined {
    const torrents = this.engine.state?.torrents ?? [];
    return torrents.find((t) => t.infoHashHex === this.selectedHex) ?? torrents[0];
  }

  override render() {
    if (this.engineHome !== 'here') {
      return html`<header>${TITLE}</header><main><tt-engine-elsewhere .home=${this.engineHome}></tt-engine-elsewhere></main>`;
    }
    const state = this.engine.state;
    const torrents = state?.torrents ?? [];
    const selected = this.shownTorrent();
    return html`
      <header>
        ${TITLE}
        <tt-link-status .link=${state?.link} .signedIn=${this.signedIn} .preference=${this.linkPreference}></tt-link-status>
        <tt-settings .askFirst=${this.askFirst} .encryption=${this.encryption}></tt-settings>
        <tt-storage-meter .storage=${state?.storage}></tt-storage-meter>
        <details class="limits"><summary>Limits</summary><tt-limits .values=${this.limits}></tt-limits></details>
      </header>
      <main>
        <section class="panel" aria-label="Add a torrent"><tt-add-torrent></tt-add-torrent></section>
        <tt-messages .errors=${this.visibleErrors()} .notice=${this.notice} .warnings=${this.warningMessages()}></tt-messages>
        <section class="panel" aria-label="Player" ?hidden=${!this.playing}><tt-player .file=${this.playing}></tt-player></section>
        <div class="columns">
          <section class="panel list-section" aria-labelledby="list-heading">
            <h2 id="list-heading">Torrents</h2>
            <tt-torrent-list .torrents=${torrents} .selectedHex=${selected?.infoHashHex}></tt-torrent-list>
          </section>
          <section class="panel" aria-label="Torrent details" ?hidden=${!selected}>
            <tt-torrent-details .torrent=${selected}></tt-torrent-details>
          </section>
        </div>
      </main>
      <tt-add-dialog .torrent=${this.asking}></tt-add-dialog>
    `;
  }

  private visibleErrors(): UiMessage[] {
    const engineError = this.engine.engineError;
    if (engineError === undefined || this.engineErrorDismissed) return this.errors;
    const text = `The engine stopped (${engineError}). Reload the page to start it again; downloaded pieces are kept.`;
    return [{ id: ENGINE_ERROR_ID, text, timeMs: Date.now() }, ...this.errors];
  }

  private warningMessages(): UiMessage[] {
    const torrents = this.engine.state?.torrents ?? [];
    return this.engine.warnings.map((warning) => {
      const name = torrents.find((t) => t.infoHashHex === warning.infoHashHex)?.name;
      return { id: warning.id, text: name ? `${name}: ${warning.message}` : warning.message, timeMs: warning.timeMs };
    });
  }

  /** Runs a command; a failure becomes an error message starting with `what`. */
  private attempt<T>(what: string, run: (client: EngineClient) => Promise<T>): Promise<T> {
    const client = this.client;
    const promise = client ? run(client) : Promise.reject(new Error('the engine is not running'));
    promise.catch((error: unknown) => this.showError(`${what}: ${errorText(error)}`));
    return promise;
  }

  private showError(text: string): void {
    this.errors = [...this.errors, { id: this.nextMessageId++, text, timeMs: Date.now() }].slice(-MAX_ERRORS);
  }

  private showNotice(text: string): void {
    this.notice = text;
    clearTimeout(this.noticeTimer);
    this.noticeTimer = setTimeout(() => { this.notice = ''; }, NOTICE_MS);
  }

  private onAdd(detail: AddTorrentDetail): void {
    const ask = this.askFirst;
    detail.done = detail.kind === 'file'
      ? this.attempt(`Could not add “${detail.fileName}”`, (c) => c.addTorrentFile(detail.bytes, detail.fileName, ask))
      : this.attempt('Could not add that link', (c) => c.addTorrentUrl(detail.url, ask));
  }

  private onAddStart({ infoHashHex, name, priorities }: AddStartDetail): void {
    this.answer(infoHashHex, this.attempt(`Could not start “${name}”`, (c) => c.startTorrent(infoHashHex, priorities)));
  }

  private onAddCancel({ infoHashHex, name }: AddCancelDetail): void {
    this.answer(infoHashHex, this.attempt(`Could not remove “${name}”`, (c) => c.remove(infoHashHex)));
    if (this.selectedHex === infoHashHex) this.selectedHex = this.selectedBeforeAsking;
  }

  /** The dialog moves on at once; if the engine refuses the answer, the torrent is asked about again. */
  private answer(infoHashHex: string, done: Promise<unknown>): void {
    this.addQueue.answer(infoHashHex);
    this.requestUpdate();
    done.catch(() => {
      this.addQueue.refused(infoHashHex);
      this.requestUpdate();
    });
  }

  private onLimitsChange({ scope, limits }: LimitsChangeDetail): void {
    if (scope !== 'global') {
      void this.attempt('Could not change the torrent\'s limits', (c) => c.setTorrentLimits(scope, limits));
      return;
    }
    this.limits = checkLimitSettings(limits);
    saveLimitSettings(this.limits);
    void this.attempt('Could not change the limits', (c) => c.setLimits(this.limits));
  }

  private onEncryptionChange(mode: EncryptionMode): void {
    this.encryption = mode;
    saveEncryptionMode(mode);
    void this.attempt('Could not change peer encryption', (c) => c.setEncryption(mode));
  }

  private onAskFirstChange(value: boolean): void {
    this.askFirst = value;
    saveAskFirst(value);
  }

  private onTorrentAction({ infoHashHex, name, action }: TorrentActionDetail): void {
    void this.attempt(`Could not ${action} “${name}”`, (c) => c[action](infoHashHex)).then(() => {
      if (action !== 'remove') return;
      if (this.selectedHex === infoHashHex) this.selectedHex = undefined;
      if (this.playing?.infoHashHex === infoHashHex) this.closePlayer();
      this.showNotice(`Removed “${name}” and its data.`);
    }, () => {});
  }

  private onSelect({ infoHashHex }: TorrentSelectDetail): void {
    this.selectedHex = infoHashHex;
  }

  private onFileSelect({ infoHashHex, fileIndex, selected }: FileSelectDetail): void {
    void this.attempt(`Could not ${selected ? 'select' : 'skip'} that file`, (c) => c.selectFile(infoHashHex, fileIndex, selected))
      .catch(() => {});
  }

  private onFilePriority({ infoHashHex, fileIndex, priority }: FilePriorityDetail): void {
    void this.attempt('Could not change the priority of that file', (c) => c.setFilePriority(infoHashHex, fileIndex, priority))
      .catch(() => {});
  }

  private onSequential({ infoHashHex, name, sequential }: SequentialDetail): void {
    void this.attempt(`Could not change the order of download of “${name}”`, (c) => c.setSequential(infoHashHex, sequential))
      .catch(() => {});
  }

  /** Streamed where the service worker can (from the first byte on), else a Blob of the finished file. */
  private async onFilePlay({ infoHashHex, fileIndex, path }: FilePlayDetail): Promise<void> {
    const type = playableType(path);
    if (!type) return;
    if (streamingStatus().ready) {
      this.closePlayer();
      this.playing = { infoHashHex, fileIndex, path, kind: type.kind, url: streamUrl(infoHashHex, fileIndex, path) };
      return;
    }
    const blob = await this.attempt(`Could not play “${path}”`, (c) => c.fileBlob(infoHashHex, fileIndex)).catch(() => undefined);
    if (!blob) return;
    this.closePlayer();
    // A typed view of the same Blob (no copy): the media element then need not sniff the type.
    this.playing = { infoHashHex, fileIndex, path, kind: type.kind, url: URL.createObjectURL(new Blob([blob], { type: type.mime })) };
  }

  private onPlayerDuration({ infoHashHex, fileIndex, seconds }: PlayerDurationDetail): void {
    const length = this.client?.state?.torrents.find((t) => t.infoHashHex === infoHashHex)?.files[fileIndex]?.length;
    if (length) void this.client?.streamBitrate(infoHashHex, fileIndex, length / seconds).catch(() => {});
  }

  private closePlayer(): void {
    if (this.playing?.url.startsWith('blob:')) URL.revokeObjectURL(this.playing.url);
    this.playing = undefined;
  }

  private onFileSave(detail: FileSaveDetail): void {
    detail.done = this.attempt(`Could not save “${detail.path}”`,
      (c) => saveFile(c, detail.infoHashHex, { index: detail.fileIndex, path: detail.path }));
  }

  private onSaveAll(detail: SaveAllDetail): void {
    // The folder picker needs the click's user activation: ask now, synchronously.
    const folder = pickFolder();
    detail.done = this.attempt(`Could not save the files of “${detail.name}”`, async (c) => {
      const target = await folder;
      if (!target) return;
      const result = await saveAllToFolder(c, detail.infoHashHex, detail.files, target);
      for (const failure of result.failed) this.showError(`Could not save “${failure.path}”: ${failure.error}`);
      if (result.saved > 0) this.showNotice(`Saved ${result.saved === 1 ? '1 file' : `${result.saved} files`} to “${target.name}”.`);
    });
  }

  private onAppError({ message }: AppErrorDetail): void {
    this.showError(message);
  }

  private onDismiss({ id }: MessageDismissDetail): void {
    if (id === ENGINE_ERROR_ID) this.engineErrorDismissed = true;
    else this.errors = this.errors.filter((error) => error.id !== id);
  }
}

/** An error's words (the worker's are already meant for people). */
function errorText(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text === '' ? 'unknown error' : text;
}

declare global {
  interface HTMLElementTagNameMap {
    'tt-app': TtApp;
  }
}
