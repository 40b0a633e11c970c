// How much of the browser's storage the downloads use, and whether the browser may evict it.
import { LitElement, css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { StorageStatus } from '../worker/protocol.ts';
import { formatBytes } from './format.ts';
import { baseStyles } from './theme.ts';

export function describeStorage(storage: StorageStatus): string {
  return `${formatBytes(storage.usageBytes)} used of ${formatBytes(storage.quotaBytes)} available`;
}

@customElement('tt-storage-meter')
export class TtStorageMeter extends LitElement {
  static override styles = [baseStyles, css`
    :host { display: flex; align-items: center; gap: 0.5rem; flex-wrap: wrap; font-size: 0.85rem; }
    meter { width: 7rem; height: 0.6rem; }
    .persist { border-radius: 999px; padding: 0 0.45rem; font-size: 0.75rem; border: 1px solid currentColor; }
    .persistent { color: var(--tt-ok, #1e8e4f); }
    .evictable { color: var(--tt-warn, #a86c00); }
  `];

  @property({ attribute: false }) storage: StorageStatus | undefined;

  override render() {
    const storage = this.storage;
    if (!storage) return html`<span class="muted">Storage: measuring…</span>`;
    const text = describeStorage(storage);
    return html`
      <meter min="0" max=${Math.max(1, storage.quotaBytes)} value=${storage.usageBytes}
        aria-label="Storage used" aria-valuetext=${text}></meter>
      <span>${text}</span>
      ${storage.persisted
        ? html`<span class="persist persistent" title="The browser keeps this data until you remove it">persistent</span>`
        : html`<span class="persist evictable" title="The browser may delete this data when the disk runs low">may be evicted</span>`}
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'tt-storage-meter': TtStorageMeter;
  }
}
