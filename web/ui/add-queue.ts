// Which torrent the add dialog asks about: the first one waiting in 'choosing', in list order; the
// others queue behind it. A torrent answered (Start download or Cancel) is not asked about again
// while the engine catches up, unless the engine refuses the answer.

type Listed = { infoHashHex: string; state: string };

export class AddQueue {
  private readonly answered = new Set<string>();

  /** The torrent to ask about now, if any. Answers the engine has taken (or whose torrent is gone) are forgotten. */
  next<T extends Listed>(torrents: readonly T[]): T | undefined {
    for (const hex of this.answered) {
      if (!torrents.some((t) => t.infoHashHex === hex && t.state === 'choosing')) this.answered.delete(hex);
    }
    return torrents.find((t) => t.state === 'choosing' && !this.answered.has(t.infoHashHex));
  }

  /** The user answered: move on to the next torrent. */
  answer(infoHashHex: string): void {
    this.answered.add(infoHashHex);
  }

  /** The engine refused the answer: ask again. */
  refused(infoHashHex: string): void {
    this.answered.delete(infoHashHex);
  }
}
