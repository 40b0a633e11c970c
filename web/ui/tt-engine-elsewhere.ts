// Shown instead of the torrents when this tab does not run the engine: another tab of the app runs
// it, or this one let another tab have it. "Use it here" fires `engine-take-over`; web/main.ts
// asks the other tab to let go and starts the engine here once it has.
import { LitElement, css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { EngineHome } from '../engine-lock.ts';
import { emit } from './events.ts';
import { baseStyles } from './theme.ts';

export const TAKE_OVER_BUTTON = 'Use it here';

interface HomeText {
  heading: string;
  detail: string;
  /** Whether "Use it here" is offered. */
  canTakeOver: boolean;
}

/** What the page says about where the engine runs (nothing while it runs here). */
export function describeEngineHome(home: EngineHome): HomeText | undefined {
  switch (home) {
    case 'starting':
    case 'here':
      return undefined;
    case 'elsewhere':
      return {
        heading: 'TabTorrent is running in another tab',
        detail: 'One tab at a time runs the downloads, so that two never share the same storage. They carry on in that tab.',
        canTakeOver: true,
      };
    case 'taking-over':
      return {
        heading: 'Moving TabTorrent to this tab…',
        detail: 'Waiting for the other tab to stop its downloads and save their progress.',
        canTakeOver: false,
      };
    case 'letting-go':
      return {
        heading: 'Moving TabTorrent to another tab…',
        detail: 'Stopping the downloads here and saving their progress.',
        canTakeOver: false,
      };
    case 'moved':
      return {
        heading: 'TabTorrent moved to another tab',
        detail: 'Another tab asked for the downloads: they carry on there, and this tab runs nothing.',
        canTakeOver: true,
      };
  }
}

@customElement('tt-engine-elsewhere')
export class TtEngineElsewhere extends LitElement {
  static override styles = [baseStyles, css`
    :host { display: block; }
    .box {
      max-width: 40rem; margin: 3rem auto; padding: 1.5rem; text-align: center;
      background: var(--tt-surface, #fff); border: 1px solid var(--tt-border, #e1e5eb); border-radius: 12px;
    }
    h2 { font-size: 1.2rem; }
    p { margin: 0 0 1rem; }
  `];

  @property() home: EngineHome = 'elsewhere';

  override render() {
    const text = describeEngineHome(this.home);
    if (!text) return html``;
    return html`
      <section class="box" aria-labelledby="engine-home-heading">
        <div role="status" aria-busy=${!text.canTakeOver}>
          <h2 id="engine-home-heading">${text.heading}</h2>
          <p class="muted">${text.detail}</p>
        </div>
        ${text.canTakeOver
          ? html`<button class="primary" @click=${this.onTakeOver}>${TAKE_OVER_BUTTON}</button>`
          : html``}
      </section>
    `;
  }

  private onTakeOver(): void {
    emit(this, 'engine-take-over', {});
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'tt-engine-elsewhere': TtEngineElsewhere;
  }
}
