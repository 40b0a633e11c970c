// Self-test of the child-process helper: lines, waiting, failures with stderr, process-group stop.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { runCommand, spawnManaged } from './proc.ts';

function processState(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/status`, 'utf8').match(/^State:\s+(\S)/m)?.[1] ?? 'gone';
  } catch {
    return 'gone';
  }
}

describe('proc', () => {
  it('waits for a line, past or future', async () => {
    const proc = spawnManaged('bash', ['-c', 'echo one; sleep 0.2; echo "two 42"; sleep 30']);
    expect((await proc.waitForLine(/^two (\d+)$/, 5_000))[1]).toBe('42');
    expect((await proc.waitForLine(/^one$/, 10))[0]).toBe('one');
    await proc.stop();
  });

  it('rejects with the stderr tail when the process exits first or the time runs out', async () => {
    const quitter = spawnManaged('bash', ['-c', 'echo "bad config" >&2; exit 3'], { label: 'quitter' });
    await expect(quitter.waitForLine(/ready/, 5_000)).rejects.toThrow(/quitter.*exited \(code 3[\s\S]*bad config/);
    const sleeper = spawnManaged('sleep', ['30']);
    await expect(sleeper.waitForLine(/ready/, 100)).rejects.toThrow(/within 100 ms/);
    await sleeper.stop();
  });

  it('stop() ends the whole process group, grandchildren included', async () => {
    const proc = spawnManaged('bash', ['-c', 'sleep 30 & echo "child $!"; wait']);
    const childPid = Number((await proc.waitForLine(/^child (\d+)$/, 5_000))[1]);
    await proc.stop();
    await new Promise((r) => setTimeout(r, 100));
    expect(processState(childPid)).toMatch(/^(gone|Z)$/); // a zombie waits for a reaper: it is dead
  });

  it('runCommand returns stdout and throws on a non-zero exit', async () => {
    expect((await runCommand('echo', ['hi'])).stdout).toBe('hi');
    await expect(runCommand('false', [])).rejects.toThrow(/code 1/);
  });
});
