// The gateway connection in the header: how the tab is connected, and which link the user
// prefers. Changing the preference only announces it (`link-preference-change`); web/main.ts
// stores it and reconnects.
import { LitElement, css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { LinkPreference, LinkStatus } from '../worker/protocol.ts';
import { emit } from './events.ts';
import { baseStyles } from './theme.ts';

export const UNAUTHORIZED_TEXT = 'Access token missing or wrong — open the link the gateway printed';

type Tone = 'ok' | 'busy' | 'bad' | 'idle';

/** The words for a link status (and a tone for the dot next to them). */
export function describeLink(link: LinkStatus | undefined, signedIn: boolean): { text: string; tone: Tone } {
  if (!signedIn || link?.state === 'unauthorized') return { text: UNAUTHORIZED_TEXT, tone: 'bad' };
  if (!link) return { text: 'Starting…', tone: 'busy' };
  const over = link.kind === 'websocket' ? 'WebSocket' : link.kind === 'webrtc' ? 'WebRTC' : undefined;
  switch (link.state) {
    case 'connected':
      if (link.kind === 'websocket' && link.fellBack) return { text: 'Connected over WebSocket (fallback)', tone: 'ok' };
      return { text: over ? `Connected over ${over}` : 'Connected', tone: 'ok' };
    case 'connecting':
      return { text: over ? `Connecting to the gateway over ${over}…` : 'Connecting to the gateway…', tone: 'busy' };
    case 'disconnected':
      return { text: link.error ? `Disconnected from the gateway: ${link.error}` : 'Disconnected from the gateway', tone: 'bad' };
    case 'idle':
      return { text: 'Not connected to the gateway yet', tone: 'idle' };
  }
}

@customElement('tt-link-status')
export class TtLinkStatus extends LitElement {
  static override styles = [baseStyles, css`
    :host { display: flex; flex-wrap: wrap; align-items: center; gap: 0.5rem 1rem; }
    .status { display: flex; align-items: center; gap: 0.4rem; font-size: 0.9rem; }
    .dot { width: 0.6rem; height: 0.6rem; border-radius: 50%; flex: none; background: var(--tt-muted, #8a94a3); }
    .ok .dot { background: var(--tt-ok, #1e8e4f); }
    .busy .dot { background: var(--tt-warn, #d68a00); animation: pulse 1.2s ease-in-out infinite; }
    .bad .dot { background: var(--tt-danger, #c0392b); }
    .bad { color: var(--tt-danger, #c0392b); font-weight: 600; }
    label { display: flex; align-items: center; gap: 0.4rem; font-size: 0.85rem; }
    select {
      border: 1px solid var(--tt-border-strong, #b8c0cc); border-radius: 6px; padding: 0.2rem 0.4rem;
      background: var(--tt-surface, #fff);
    }
    @keyframes pulse { 50% { opacity: 0.35; } }
    @media (prefers-reduced-motion: reduce) { .busy .dot { animation: none; } }
  `];

  @property({ attribute: false }) link: LinkStatus | undefined;
  @property({ type: Boolean }) signedIn = true;
  @property() preference: LinkPreference = 'webrtc';

  override render() {
    const { text, tone } = describeLink(this.link, this.signedIn);
    return html`
      <div class="status ${tone}" role="status" aria-label="Gateway connection">
        <span class="dot" aria-hidden="true"></span><span>${text}</span>
      </div>
      <label>Gateway link
        <select .value=${this.preference} @change=${this.onChange}>
          <option value="webrtc" ?selected=${this.preference === 'webrtc'}>WebRTC (default)</option>
          <option value="websocket" ?selected=${this.preference === 'websocket'}>WebSocket</option>
        </select>
      </label>
    `;
  }

  private onChange(event: Event): void {
    const value = (event.target as HTMLSelectElement).value === 'websocket' ? 'websocket' : 'webrtc';
    this.preference = value;
    emit(this, 'link-preference-change', value);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'tt-link-status': TtLinkStatus;
  }
}
