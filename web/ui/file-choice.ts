// The user's choice of files, as the add dialog and the file list show it: a Download checkbox and
// a Priority select per file, kept consistent (unticked = Skip), and the priorities the engine takes.
import type { FilePriority } from '../worker/torrent/file-selection.ts';

/** The select's options, in the order shown. */
export const PRIORITY_OPTIONS: readonly { value: FilePriority; label: string }[] = [
  { value: 'skip', label: 'Skip' },
  { value: 'low', label: 'Low' },
  { value: 'normal', label: 'Normal' },
  { value: 'high', label: 'High' },
];

/** What a file needs here: the fields of a FileView. */
export interface ChoosableFile {
  index: number;
  length: number;
  padding: boolean;
  selected: boolean;
  priority: FilePriority;
}

/** The priority a file has now: an unselected file is skipped whatever its priority says. */
export function effectivePriority(file: Pick<ChoosableFile, 'selected' | 'priority'>): FilePriority {
  return file.selected ? file.priority : 'skip';
}

/** Ticking the Download checkbox means Normal; unticking means Skip. */
export function priorityForTick(checked: boolean): FilePriority {
  return checked ? 'normal' : 'skip';
}

/** A select's value as a priority (anything unknown is Normal). */
export function parsePriority(value: string): FilePriority {
  return PRIORITY_OPTIONS.find((option) => option.value === value)?.value ?? 'normal';
}

/**
 * Every file's priority by index, for `start-torrent`: the user's changes over what the engine
 * proposed (a magnet's BEP 53 `so=` selection among them). Padding files (BEP 47) are Normal: they
 * are never shown, and the engine does not store them anyway.
 */
export function startPriorities(files: readonly ChoosableFile[], changes: ReadonlyMap<number, FilePriority>): FilePriority[] {
  const priorities: FilePriority[] = [];
  for (const file of files) priorities[file.index] = file.padding ? 'normal' : changes.get(file.index) ?? effectivePriority(file);
  return Array.from(priorities, (priority) => priority ?? 'normal');
}

export interface ChosenTotals {
  files: number;
  bytes: number;
  /** Non-padding files and their bytes, chosen or not. */
  allFiles: number;
  allBytes: number;
}

/** How many of the shown files, and how many bytes, the priorities download. */
export function chosenTotals(files: readonly ChoosableFile[], priorities: readonly FilePriority[]): ChosenTotals {
  const totals: ChosenTotals = { files: 0, bytes: 0, allFiles: 0, allBytes: 0 };
  for (const file of files) {
    if (file.padding) continue;
    totals.allFiles++;
    totals.allBytes += file.length;
    if ((priorities[file.index] ?? 'normal') === 'skip') continue;
    totals.files++;
    totals.bytes += file.length;
  }
  return totals;
}
