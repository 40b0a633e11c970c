// Rate limits, upload slots and stop-seeding goals as a small form: the global ones (in the
// header's panel; empty or 0: no limit) or a torrent's own (in its details, labels prefixed
// "Torrent "; empty: use the global setting). A change is checked first — a negative or non-number
// value shows why and applies nothing — then announced (`limits-change`); tt-app applies and keeps it.
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { emit } from './events.ts';
import { baseStyles } from './theme.ts';
import { LIMIT_FIELDS, LimitError, checkLimitValue, type LimitField, type TorrentLimits } from '../worker/rate-limit/limit-settings.ts';

const LABELS: Record<LimitField, string> = {
  downloadKiBps: 'Download limit (KiB/s)',
  uploadKiBps: 'Upload limit (KiB/s)',
  uploadSlots: 'Upload slots',
  stopRatio: 'Stop seeding at ratio',
  stopMinutes: 'Stop seeding after (minutes)',
};

/** `limits-change`: new global settings (`scope` 'global') or a torrent's overrides (`scope`: its info-hash). */
export interface LimitsChangeDetail {
  scope: 'global' | string;
  limits: TorrentLimits;
}

/** "Torrent " + "Download limit…" → "Torrent download limit…". */
export function limitLabel(field: LimitField, prefix = ''): string {
  const label = LABELS[field];
  return prefix ? `${prefix}${label[0]!.toLowerCase()}${label.slice(1)}` : label;
}

/** The text of one input as a value: empty is undefined; anything else must be a number ≥ 0. */
export function parseLimitInput(field: LimitField, text: string): number | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  return checkLimitValue(field, /^[+-]?(\d+\.?\d*|\.\d+)$/.test(trimmed) ? Number(trimmed) : Number.NaN);
}

@customElement('tt-limits')
export class TtLimits extends LitElement {
  static override styles = [baseStyles, css`
    :host { display: block; }
    form { display: grid; grid-template-columns: repeat(auto-fill, minmax(12rem, 1fr)); gap: 0.5rem 1rem; align-items: end; }
    label { display: flex; flex-direction: column; gap: 0.2rem; font-size: 0.85rem; }
    input { width: 100%; box-sizing: border-box; }
    .error { color: var(--tt-danger, #c0392b); margin: 0.4rem 0 0; }
    .hint { font-size: 0.8rem; margin: 0.4rem 0 0; }
  `];

  /** 'global', or the info-hash of the torrent whose overrides these are. */
  @property() scope = 'global';
  /** The values shown (a torrent's: only the fields it overrides). */
  @property({ attribute: false }) values: TorrentLimits = {};
  /** Put before each label ("Torrent "). */
  @property() labelPrefix = '';
  @state() private error = '';

  private get isTorrent(): boolean {
    return this.scope !== 'global';
  }

  override render() {
    return html`
      <form @change=${this.onChange} @submit=${(e: Event) => { e.preventDefault(); this.onChange(); }}>
        ${LIMIT_FIELDS.map((field) => html`<label>${limitLabel(field, this.labelPrefix)}
          <input name=${field} inputmode="decimal" autocomplete="off" placeholder=${this.isTorrent ? 'global' : 'no limit'}
            .value=${this.shown(field)} aria-invalid=${this.error.startsWith(limitLabel(field, this.labelPrefix)) ? 'true' : 'false'}>
        </label>`)}
      </form>
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
      <p class="hint muted">${this.isTorrent ? 'Empty: use the global setting; 0: no limit for this torrent.' : 'Empty or 0: no limit, no goal.'}</p>
    `;
  }

  /** A global 0 shows as empty (no limit); a torrent's 0 stays (no limit, unlike empty: the global one). */
  private shown(field: LimitField): string {
    const value = this.values[field];
    if (value === undefined || (!this.isTorrent && value === 0)) return '';
    return String(value);
  }

  private onChange(): void {
    const limits: TorrentLimits = {};
    for (const field of LIMIT_FIELDS) {
      const input = this.renderRoot.querySelector<HTMLInputElement>(`input[name="${field}"]`);
      try {
        const value = parseLimitInput(field, input?.value ?? '');
        if (value !== undefined) limits[field] = value;
        else if (!this.isTorrent) limits[field] = 0;
      } catch (error) {
        this.error = `${limitLabel(field, this.labelPrefix)}: ${error instanceof LimitError ? error.message : String(error)}`;
        return; // nothing applied
      }
    }
    this.error = '';
    emit(this, 'limits-change', { scope: this.scope, limits });
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'tt-limits': TtLimits;
  }
}

declare module './events.ts' {
  interface TabTorrentEvents {
    'limits-change': CustomEvent<LimitsChangeDetail>;
  }
}
