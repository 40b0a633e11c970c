// Peak resident set size of a process, from /proc (Linux). VmHWM is the kernel's high-water mark, so
// one read at the end of a run gives the peak — provided the process is still alive then.
import { readFileSync } from 'node:fs';

/** Peak RSS of `pid` in MB (10^6 bytes), or null if the process is gone. */
export function peakRssMB(pid: number): number | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = status.match(/^VmHWM:\s+(\d+)\s+kB/m);
    return match ? (Number(match[1]) * 1024) / 1e6 : null;
  } catch {
    return null;
  }
}

/** Current RSS of `pid` in MB (10^6 bytes), or null if the process is gone. */
export function currentRssMB(pid: number): number | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = status.match(/^VmRSS:\s+(\d+)\s+kB/m);
    return match ? (Number(match[1]) * 1024) / 1e6 : null;
  } catch {
    return null;
  }
}
