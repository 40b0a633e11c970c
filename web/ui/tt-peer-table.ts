// The peers a torrent is connected to right now.
import { LitElement, css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import type { PeerInfo } from '../worker/protocol.ts';
import type { PeerEncryption } from '../worker/peer/connection-description.ts';
import { formatPercent, formatRate } from './format.ts';
import { baseStyles } from './theme.ts';

@customElement('tt-peer-table')
export class TtPeerTable extends LitElement {
  static override styles = [baseStyles, css`
    :host { display: block; }
    .scroll { overflow-x: auto; }
    td.address { word-break: break-all; font-family: ui-monospace, monospace; font-size: 0.85em; }
    .tag { font-size: 0.75em; border: 1px solid var(--tt-border-strong, #b8c0cc); border-radius: 4px; padding: 0 0.25rem; margin-left: 0.3rem; }
    p { margin: 0; }
    @media (max-width: 560px) { .client { display: none; } }
  `];

  @property({ attribute: false }) peers: PeerInfo[] = [];

  override render() {
    if (this.peers.length === 0) return html`<p class="muted">No connected peers.</p>`;
    const peers = [...this.peers].sort((a, b) => b.downloadBps - a.downloadBps || a.address.localeCompare(b.address));
    return html`<div class="scroll"><table aria-label="Peers">
      <thead><tr>
        <th scope="col">Address</th><th scope="col" class="client">Client</th>
        <th scope="col">Transport</th><th scope="col">Encryption</th>
        <th scope="col" class="num">Down</th><th scope="col" class="num">Up</th><th scope="col" class="num">Has</th>
      </tr></thead>
      <tbody>${repeat(peers, (peer) => peer.address, (peer) => html`<tr>
        <td class="address">${peer.address}${peer.inbound ? html`<span class="tag" title="They connected to us">in</span>` : ''}${
          peer.choked ? html`<span class="tag" title="They are not sending to us right now (choked)">choked</span>` : ''}</td>
        <td class="client">${peer.client || 'unknown'}</td>
        ${transportCell(peer)}${encryptionCell(peer)}
        <td class="num">${formatRate(peer.downloadBps)}</td>
        <td class="num">${formatRate(peer.uploadBps)}</td>
        <td class="num">${formatPercent(peer.progress)}</td>
      </tr>`)}</tbody>
    </table></div>`;
  }
}

const TRANSPORT_LABELS = { tcp: 'TCP', utp: 'uTP' } as const;

function transportCell(peer: PeerInfo) {
  if (!peer.transport) return html`<td class="muted" title="Not known">—</td>`;
  return html`<td>${TRANSPORT_LABELS[peer.transport]}</td>`;
}

const ENCRYPTION_CELLS: Record<PeerEncryption, { label: string; title: string }> = {
  rc4: { label: 'RC4', title: 'Encrypted (MSE/PE with RC4)' },
  obfuscated: { label: 'obfuscated', title: 'MSE/PE handshake, plaintext after it' },
  plain: { label: 'plain', title: 'Not encrypted' },
};

function encryptionCell(peer: PeerInfo) {
  if (!peer.encryption) return html`<td class="muted">—</td>`;
  const { label, title } = ENCRYPTION_CELLS[peer.encryption];
  return html`<td title=${title}>${label}</td>`;
}

declare global {
  interface HTMLElementTagNameMap {
    'tt-peer-table': TtPeerTable;
  }
}
