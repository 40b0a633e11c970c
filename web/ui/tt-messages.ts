// Messages for the person at the screen: errors from commands that failed (an alert each, until
// dismissed), a short notice when something finished, and the engine's warnings as a quiet log.
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import { emit } from './events.ts';
import { baseStyles } from './theme.ts';

export interface UiMessage {
  id: number;
  text: string;
  timeMs: number;
}

@customElement('tt-messages')
export class TtMessages extends LitElement {
  static override styles = [baseStyles, css`
    :host { display: flex; flex-direction: column; gap: 0.5rem; }
    .alerts { display: flex; flex-direction: column; gap: 0.4rem; }
    .error {
      display: flex; gap: 0.75rem; align-items: flex-start; justify-content: space-between;
      padding: 0.6rem 0.8rem; border-radius: 8px; border: 1px solid var(--tt-danger, #c0392b);
      background: var(--tt-danger-bg, #fdecea); color: var(--tt-danger-text, #7d1d14);
    }
    .error p { margin: 0; overflow-wrap: anywhere; }
    .notice {
      margin: 0; padding: 0.5rem 0.8rem; border-radius: 8px; background: var(--tt-ok-bg, #e7f5ed);
      color: var(--tt-ok-text, #145c34);
    }
    details { font-size: 0.85rem; }
    summary { cursor: pointer; color: var(--tt-muted, #5b6575); }
    ol { margin: 0.4rem 0 0; padding-left: 1.2rem; max-height: 12rem; overflow-y: auto; }
    li { overflow-wrap: anywhere; padding: 0.1rem 0; }
    time { color: var(--tt-muted, #5b6575); margin-right: 0.4rem; font-variant-numeric: tabular-nums; }
  `];

  @property({ attribute: false }) errors: UiMessage[] = [];
  @property() notice = '';
  @property({ attribute: false }) warnings: UiMessage[] = [];

  override render() {
    return html`
      ${this.errors.length === 0 ? nothing : html`<div class="alerts" role="alert">
        ${repeat(this.errors, (error) => error.id, (error) => html`<div class="error">
          <p>${error.text}</p>
          <button aria-label="Dismiss: ${error.text}" title="Dismiss"
            @click=${() => emit(this, 'message-dismiss', { id: error.id })}>Dismiss</button>
        </div>`)}
      </div>`}
      <p class="notice" role="status" ?hidden=${this.notice === ''}>${this.notice}</p>
      ${this.warnings.length === 0 ? nothing : html`<details>
        <summary>Warnings (${this.warnings.length})</summary>
        <ol role="log" aria-label="Warnings">
          ${repeat(this.warnings, (warning) => warning.id, (warning) => html`<li>
            <time datetime=${new Date(warning.timeMs).toISOString()}>${clock(warning.timeMs)}</time>${warning.text}
          </li>`)}
        </ol>
      </details>`}
    `;
  }
}

function clock(timeMs: number): string {
  return new Date(timeMs).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

declare global {
  interface HTMLElementTagNameMap {
    'tt-messages': TtMessages;
  }
}
