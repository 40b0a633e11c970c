// The tab's settings in the header (next to the gateway link): "Show files before downloading".
// Changing it only announces it (`ask-first-change`); tt-app keeps it (web/settings.ts).
import { LitElement, css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { emit } from './events.ts';
import { baseStyles } from './theme.ts';

@customElement('tt-settings')
export class TtSettings extends LitElement {
  static override styles = [baseStyles, css`
    :host { display: flex; align-items: center; }
    label { display: flex; align-items: center; gap: 0.4rem; font-size: 0.85rem; cursor: pointer; }
    input[type='checkbox'] { width: 1rem; height: 1rem; margin: 0; accent-color: var(--tt-accent, #2860d8); }
  `];

  /** A new torrent waits in the add dialog for the user's choice of files. */
  @property({ type: Boolean }) askFirst = true;

  override render() {
    return html`<label title="Choose the files of each new torrent before it starts">
      <input type="checkbox" .checked=${this.askFirst} @change=${this.onChange}>Show files before downloading
    </label>`;
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
