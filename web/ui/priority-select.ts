// The Priority select of one file (the add dialog's and the file list's): Skip / Low / Normal / High.
import { html } from 'lit';
import type { FilePriority } from '../worker/torrent/file-selection.ts';
import { PRIORITY_OPTIONS, parsePriority } from './file-choice.ts';

export function prioritySelect(path: string, value: FilePriority, onChange: (priority: FilePriority) => void) {
  return html`<select class="priority" aria-label="Priority ${path}" .value=${value}
    @change=${(e: Event) => onChange(parsePriority((e.target as HTMLSelectElement).value))}>
    ${PRIORITY_OPTIONS.map((option) => html`<option value=${option.value} ?selected=${option.value === value}>${option.label}</option>`)}
  </select>`;
}
