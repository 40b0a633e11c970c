// Resident set size of a process, from /proc (Linux). VmHWM is the kernel's high-water mark, so
// one read at the end of a run gives the peak — provided the process is still alive then.
import { readFileSync } from 'node:fs';

/** A memory field of /proc/<pid>/status ("VmHWM", "VmRSS") in MB (10^6 bytes), or null if the process is gone. */
function statusFieldMB(pid: number, field: string): number | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = status.match(new RegExp(`^${field}:\\s+(\\d+)\\s+kB`, 'm'));
    return match ? (Number(match[1]) * 1024) / 1e6 : null;
  } catch {
    return null;
  }
}

/** Peak RSS of `pid` in MB (10^6 bytes), or null if the process is gone. */
export function peakRssMB(pid: number): number | null {
  return statusFieldMB(pid, 'VmHWM');
}

/** Current RSS of `pid` in MB (10^6 bytes), or null if the process is gone. */
export function currentRssMB(pid: number): number | null {
  return statusFieldMB(pid, 'VmRSS');
}
