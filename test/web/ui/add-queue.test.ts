import { describe, expect, it } from 'vitest';
import { AddQueue } from '../../../web/ui/add-queue.ts';

const t = (infoHashHex: string, state: string) => ({ infoHashHex, state });

describe('AddQueue', () => {
  it('asks about the first torrent waiting for a choice, one at a time, in list order', () => {
    const queue = new AddQueue();
    const list = [t('aa', 'downloading'), t('bb', 'choosing'), t('cc', 'metadata'), t('dd', 'choosing')];
    expect(queue.next(list)?.infoHashHex).toBe('bb');
    queue.answer('bb');
    expect(queue.next(list)?.infoHashHex, 'the next one while the engine catches up').toBe('dd');
    queue.answer('dd');
    expect(queue.next(list)).toBeUndefined();
  });

  it('asks again about a torrent whose answer the engine refused', () => {
    const queue = new AddQueue();
    const list = [t('aa', 'choosing')];
    queue.answer('aa');
    expect(queue.next(list)).toBeUndefined();
    queue.refused('aa');
    expect(queue.next(list)?.infoHashHex).toBe('aa');
  });

  it('forgets an answer once the engine took it, so the same torrent added again is asked about', () => {
    const queue = new AddQueue();
    queue.answer('aa');
    expect(queue.next([t('aa', 'downloading')])).toBeUndefined();
    expect(queue.next([]), 'removed (Cancel)').toBeUndefined();
    expect(queue.next([t('aa', 'choosing')])?.infoHashHex).toBe('aa');
  });
});
