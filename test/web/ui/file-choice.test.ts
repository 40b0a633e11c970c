import { describe, expect, it } from 'vitest';
import {
  type ChoosableFile, PRIORITY_OPTIONS, chosenTotals, effectivePriority, parsePriority, priorityForTick, startPriorities,
} from '../../../web/ui/file-choice.ts';
import type { FilePriority } from '../../../web/worker/torrent/file-selection.ts';

function file(index: number, length: number, choice: Partial<ChoosableFile> = {}): ChoosableFile {
  return { index, length, padding: false, selected: true, priority: 'normal', ...choice };
}

describe('the Download checkbox and the Priority select', () => {
  it('offers Skip, Low, Normal and High with the protocol’s values', () => {
    expect(PRIORITY_OPTIONS.map((o) => `${o.label}=${o.value}`)).toEqual(['Skip=skip', 'Low=low', 'Normal=normal', 'High=high']);
  });

  it('ticking means Normal, unticking means Skip', () => {
    expect(priorityForTick(true)).toBe('normal');
    expect(priorityForTick(false)).toBe('skip');
  });

  it('shows an unselected file as Skip whatever its priority', () => {
    expect(effectivePriority({ selected: false, priority: 'high' })).toBe('skip');
    expect(effectivePriority({ selected: true, priority: 'low' })).toBe('low');
  });

  it('reads a select’s value, anything unknown as Normal', () => {
    expect(parsePriority('high')).toBe('high');
    expect(parsePriority('skip')).toBe('skip');
    expect(parsePriority('__proto__')).toBe('normal');
  });
});

describe('startPriorities', () => {
  it('takes the engine’s proposal (a magnet’s so= selection) where the user changed nothing', () => {
    const files = [file(0, 10), file(1, 20, { selected: false, priority: 'skip' }), file(2, 30, { priority: 'high' })];
    expect(startPriorities(files, new Map())).toEqual(['normal', 'skip', 'high']);
  });

  it('puts the user’s changes over the proposal', () => {
    const files = [file(0, 10), file(1, 20, { selected: false, priority: 'skip' }), file(2, 30)];
    const changes = new Map<number, FilePriority>([[0, 'skip'], [1, priorityForTick(true)], [2, 'low']]);
    expect(startPriorities(files, changes)).toEqual(['skip', 'normal', 'low']);
  });

  it('gives every file by index, padding files Normal even if skipped or changed', () => {
    const files = [file(0, 10), { ...file(1, 6, { selected: false, priority: 'skip' }), padding: true }, file(2, 30)];
    expect(startPriorities(files, new Map([[1, 'skip' as const]]))).toEqual(['normal', 'normal', 'normal']);
  });

  it('places files by their index, whatever the order given', () => {
    expect(startPriorities([file(1, 5, { priority: 'high' }), file(0, 5, { priority: 'low' })], new Map())).toEqual(['low', 'high']);
  });
});

describe('chosenTotals', () => {
  it('counts the chosen files and bytes among the shown ones (padding files aside)', () => {
    const files = [file(0, 100), { ...file(1, 28), padding: true }, file(2, 50), file(3, 7)];
    expect(chosenTotals(files, ['high', 'normal', 'skip', 'low'])).toEqual({ files: 2, bytes: 107, allFiles: 3, allBytes: 157 });
    expect(chosenTotals(files, ['skip', 'normal', 'skip', 'skip'])).toMatchObject({ files: 0, bytes: 0 });
  });
});
