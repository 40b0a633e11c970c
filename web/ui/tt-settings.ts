// The tab's settings in the header (next to the gateway link): "Show files before downloading",
// "Peer encryption". Changing one only announces it (`ask-first-change`, `encryption-change`);
// tt-app keeps it (web/settings.ts).
import { LitElement, css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { emit } from './events.ts';
import { isEncryptionMode, type EncryptionMode } from '../worker/peer/encryption-mode.ts';
import { baseStyles } from './theme.ts';

const ENCRYPTION_CHOICES: ReadonlyArray<readonly [EncryptionMode, string]> = [
  ['prefer', 'Prefer encrypted'],
  ['require', 'Require encrypted'],
  ['plaintext', 'Plaintext only'],
];

@customElement('tt-settings')
export class TtSettings extends LitElement {
  static override styles = [baseStyles, css`
    :host { display: flex; align-items: center; gap: 0.8rem; }
    label { display: flex; align-items: center; gap: 0.4rem; font-size: 0.85rem; cursor: pointer; }
    input[type='checkbox'] { width: 1rem; height: 1rem; margin: 0; accent-color: var(--tt-accent, #2860d8); }
  `];

  /** A new torrent waits in the add dialog for the user's choice of files. */
  @property({ type: Boolean }) askFirst = true;
  /** MSE/PE for peer connections. */
  @property() encryption: EncryptionMode = 'prefer';

  override render() {
    return html`<label title="Choose the files of each new torrent before it starts">
      <input type="checkbox" .checked=${this.askFirst} @change=${this.onChange}>Show files before downloading
    </label>
    <label title="Message Stream Encryption (MSE/PE) for peer connections">Peer encryption
      <select aria-label="Peer encryption" @change=${this.onEncryptionChange}>
        ${ENCRYPTION_CHOICES.map(([mode, text]) => html`<option value=${mode} ?selected=${mode === this.encryption}>${text}</option>`)}
      </select>
    </label>`;
  }

  private onEncryptionChange(event: Event): void {
    const value = (event.target as HTMLSelectElement).value;
    if (!isEncryptionMode(value)) return;
    this.encryption = value;
    emit(this, 'encryption-change', value);
  }

  private onChange(event: Event): void {
    this.askFirst = (event.target as HTMLInputElement).checked;
    emit(this, 'ask-first-change', this.askFirst);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'tt-settings': TtSettings;
  }
}
