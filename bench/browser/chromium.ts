// Chromium for throughput figures, spawned directly (no Playwright: its DevTools link copies every
// WebSocket frame and caps a WebSocket at ~100 MB/s — DESIGN.md "Measuring it honestly"). A fresh
// profile per launch; the app reports through its console, which Chromium logs to stderr.
import { readdirSync, readFileSync } from 'node:fs';
import { spawnManaged, type ManagedProcess } from '../../test/helpers/proc.ts';
import { CHROMIUM_BASE_FLAGS, CHROMIUM_PATH } from '../../test/helpers/chromium-flags.ts';
import { peakRssMB } from '../../test/helpers/rss.ts';
import { makeTempDir, removeTempDir } from '../../test/helpers/temp.ts';
import { BENCH_REPORT_PREFIX } from '../../web/bench-hook.ts';

const CHROMIUM = CHROMIUM_PATH;
const FLAGS = [
  ...CHROMIUM_BASE_FLAGS,
  '--enable-blink-features=ForceEagerMeasureMemory', // measureUserAgentSpecificMemory answers at once
  '--disable-renderer-backgrounding',
  '--disable-background-timer-throttling',
  '--enable-logging=stderr', // the page's console lands in stderr as INFO:CONSOLE lines (failure messages)
];

export interface BenchChromium {
  process: ManagedProcess;
  /** The page's last console lines (from Chromium's stderr log). */
  consoleTail(lines?: number): string;
  /** Sum of the peak RSS (VmHWM) of Chromium's renderer processes, MB (10^6 bytes); call before stop(). */
  rendererPeakRssMB(): number | null;
  /** Resolves at the app's first console report whose event is one of `events` ('error' rejects). */
  waitForReport(events: readonly string[], timeoutMs: number): Promise<Record<string, unknown>>;
  stop(): Promise<void>;
}

export async function launchChromium(url: string): Promise<BenchChromium> {
  const profile = await makeTempDir('bench-chromium');
  // BENCH_CHROMIUM_FLAGS adds flags (separated by ';') for profiling, e.g. '--js-flags=--prof --logfile=/tmp/v8.log'.
  const extra = process.env.BENCH_CHROMIUM_FLAGS ? process.env.BENCH_CHROMIUM_FLAGS.split(';').filter(Boolean) : [];
  const proc = spawnManaged(CHROMIUM, [...FLAGS, ...extra, `--user-data-dir=${profile}`, url], { label: 'chromium' });
  return {
    process: proc,
    consoleTail: (lines = 15) =>
      proc.stderr().split('\n').filter((line) => line.includes('CONSOLE')).slice(-lines).join('\n'),
    rendererPeakRssMB: () => rendererPeakRssMB(proc.pid),
    waitForReport: (events, timeoutMs) => waitForConsoleReport(proc, events, timeoutMs),
    stop: async () => {
      await proc.stop();
      await removeTempDir(profile);
    },
  };
}

const REPORT_POLL_MS = 100;

/** The JSON of each `TABTORRENT_BENCH_REPORT {…}` console line in Chromium's log so far. */
function consoleReports(proc: ManagedProcess): Record<string, unknown>[] {
  const reports: Record<string, unknown>[] = [];
  for (const match of proc.stderr().matchAll(new RegExp(`${BENCH_REPORT_PREFIX}(\\{.*?\\})", source:`, 'g'))) {
    try {
      reports.push(JSON.parse(match[1]!) as Record<string, unknown>);
    } catch {
      // a line cut by the stderr buffer's start: not a report
    }
  }
  return reports;
}

function waitForConsoleReport(proc: ManagedProcess, events: readonly string[], timeoutMs: number): Promise<Record<string, unknown>> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const poll = () => {
      for (const report of consoleReports(proc)) {
        if (report.event === 'error') return reject(new Error(`page reported an error: ${String(report.message)}`));
        if (events.includes(String(report.event))) return resolve(report);
      }
      if (Date.now() > deadline) return reject(new Error(`no ${events.join('/')} report within ${timeoutMs} ms`));
      setTimeout(poll, REPORT_POLL_MS);
    };
    poll();
  });
}

/** Renderer processes in the process group `pgid` (spawnManaged starts each child in its own group). */
function rendererPeakRssMB(pgid: number): number | null {
  let total = 0;
  let found = false;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[2]) !== pgid) continue; // field 5 of stat: process group
      if (!readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes('--type=renderer')) continue;
      const rss = peakRssMB(Number(entry));
      if (rss !== null) {
        total += rss;
        found = true;
      }
    } catch {
      // the process went away while we looked
    }
  }
  return found ? total : null;
}
