// Child processes for tests and the bench: each runs in its own process group so stop() ends it and
// everything it spawned; stdout is split into lines that waitForLine() can watch; stderr is kept (the
// last 64 KiB) so a failure can say why. Every process started here is also recorded, so a test
// file's afterAll (see test/helpers/setup.ts) or process exit ends whatever a test forgot.
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';

const STDERR_KEEP_CHARS = 64 * 1024;
const live = new Set<ManagedProcess>();

export interface SpawnManagedOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Name used in error messages; defaults to the command. */
  label?: string;
  /** Keep stdin open as a pipe (closing it is how some helpers ask a child to exit). */
  stdinPipe?: boolean;
  /** Echo the child's stderr to ours as it arrives (debugging). */
  echoStderr?: boolean;
}

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
}

type LineListener = (line: string) => void;

export class ManagedProcess {
  readonly child: ChildProcess;
  readonly label: string;
  readonly lines: string[] = [];
  readonly exited: Promise<ExitInfo>;
  private stderrText = '';
  private partialLine = '';
  private exitInfo: ExitInfo | null = null;
  private readonly listeners = new Set<LineListener>();

  constructor(command: string, args: readonly string[], options: SpawnManagedOptions = {}) {
    this.label = options.label ?? command;
    const spawnOptions: SpawnOptions = {
      cwd: options.cwd,
      env: options.env ?? process.env,
      detached: true, // own process group, so stop() reaches grandchildren too
      stdio: [options.stdinPipe ? 'pipe' : 'ignore', 'pipe', 'pipe'],
    };
    this.child = spawn(command, [...args], spawnOptions);
    this.child.stdout!.setEncoding('utf8');
    this.child.stderr!.setEncoding('utf8');
    this.child.stdout!.on('data', (chunk: string) => this.onStdout(chunk));
    this.child.stderr!.on('data', (chunk: string) => {
      if (options.echoStderr) process.stderr.write(`[${this.label}] ${chunk}`);
      this.stderrText = (this.stderrText + chunk).slice(-STDERR_KEEP_CHARS);
    });
    this.child.stdin?.on('error', () => {}); // EPIPE when the child already left
    this.exited = new Promise((resolve) => {
      const finish = (info: ExitInfo) => {
        if (this.exitInfo) return;
        this.exitInfo = info;
        live.delete(this);
        resolve(info);
      };
      // 'close', not 'exit': the last stdout lines have been read by then.
      this.child.on('close', (code, signal) => finish({ code, signal }));
      this.child.on('error', (err) => {
        this.stderrText += `\nspawn error: ${err.message}`;
        finish({ code: null, signal: null });
      });
    });
    live.add(this);
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  get hasExited(): boolean {
    return this.exitInfo !== null;
  }

  stderr(): string {
    return this.stderrText;
  }

  /** Called for every complete stdout line from now on; returns an unsubscribe function. */
  onLine(listener: LineListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Resolves with the match of the first stdout line (already seen or future) that matches; rejects
   * on timeout or if the process exits first, with the stderr tail in the message.
   */
  waitForLine(pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray> {
    for (const line of this.lines) {
      const match = line.match(pattern);
      if (match) return Promise.resolve(match);
    }
    return new Promise((resolve, reject) => {
      let settled = false;
      const settle = () => {
        settled = true;
        clearTimeout(timer);
        unsubscribe();
      };
      const timer = setTimeout(() => {
        settle();
        reject(this.failure(`no line matching ${pattern} within ${timeoutMs} ms`));
      }, timeoutMs);
      const unsubscribe = this.onLine((line) => {
        const match = line.match(pattern);
        if (!match || settled) return;
        settle();
        resolve(match);
      });
      void this.exited.then((info) => {
        if (settled) return;
        settle();
        reject(this.failure(`exited (code ${info.code}, signal ${info.signal}) before a line matching ${pattern}`));
      });
    });
  }

  /** An Error naming the process, with the last lines of its stderr and stdout. */
  failure(message: string): Error {
    const stderrTail = this.stderrText.trim().split('\n').slice(-30).join('\n');
    const stdoutTail = this.lines.slice(-10).join('\n');
    return new Error(
      `${this.label} (pid ${this.pid}): ${message}` +
        (stderrTail ? `\n--- stderr (tail) ---\n${stderrTail}` : '') +
        (stdoutTail ? `\n--- stdout (tail) ---\n${stdoutTail}` : ''),
    );
  }

  /** SIGTERM to the process group, SIGKILL after graceMs; resolves when the child has exited. */
  async stop(graceMs = 3000): Promise<ExitInfo> {
    if (this.exitInfo) return this.exitInfo;
    this.signalGroup('SIGTERM');
    const timer = setTimeout(() => this.signalGroup('SIGKILL'), graceMs);
    const info = await this.exited;
    clearTimeout(timer);
    this.signalGroup('SIGKILL'); // leftovers in the group (grandchildren that ignored SIGTERM)
    return info;
  }

  signalGroup(signal: NodeJS.Signals): void {
    if (this.pid <= 0) return;
    try {
      process.kill(-this.pid, signal);
    } catch {
      // the group is already gone
    }
  }

  private onStdout(chunk: string): void {
    const parts = (this.partialLine + chunk).split('\n');
    this.partialLine = parts.pop() ?? '';
    for (const raw of parts) {
      const line = raw.replace(/\r$/, '');
      this.lines.push(line);
      if (this.lines.length > 10_000) this.lines.splice(0, 5_000);
      for (const listener of [...this.listeners]) listener(line);
    }
  }
}

export function spawnManaged(command: string, args: readonly string[], options?: SpawnManagedOptions): ManagedProcess {
  return new ManagedProcess(command, args, options);
}

/** Stops every process started through this module that is still running. */
export async function stopAllProcesses(): Promise<void> {
  await Promise.all([...live].map((p) => p.stop()));
}

/** Runs a command to completion; rejects with its stderr when the exit code is not 0. */
export async function runCommand(
  command: string,
  args: readonly string[],
  options: SpawnManagedOptions & { timeoutMs?: number } = {},
): Promise<{ stdout: string; stderr: string }> {
  const proc = spawnManaged(command, args, options);
  const timeoutMs = options.timeoutMs ?? 60_000;
  const timer = setTimeout(() => proc.signalGroup('SIGKILL'), timeoutMs);
  const info = await proc.exited;
  clearTimeout(timer);
  const stdout = proc.lines.join('\n');
  if (info.code !== 0) {
    throw proc.failure(`exited with code ${info.code}, signal ${info.signal} (timeout ${timeoutMs} ms)`);
  }
  return { stdout, stderr: proc.stderr() };
}

process.on('exit', () => {
  for (const p of live) p.signalGroup('SIGKILL');
});
