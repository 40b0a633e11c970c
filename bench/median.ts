// The bench's rule for noisy figures: run a measurement several times, keep the median run by speed.

/**
 * Runs `once` `runs` times and keeps the median run by speed (short downloads are noisy: aria2 works
 * on a 1-second tick). A failure ends the series and counts as no result (null).
 */
export async function medianOf<T extends { mbps: number }>(runs: number, log: (line: string) => void, name: string, once: () => Promise<T>): Promise<T | null> {
  const results: T[] = [];
  for (let i = 0; i < runs; i++) {
    try {
      results.push(await once());
    } catch (err) {
      log(`${name}: failed: ${(err as Error).message}`);
      return null;
    }
  }
  results.sort((x, y) => x.mbps - y.mbps);
  return results[Math.floor((results.length - 1) / 2)] ?? null;
}
