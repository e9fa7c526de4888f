/**
 * CPU time of a process's main thread — its event loop — in ms, from /proc (utime + stime, fields
 * 14 and 15 of /proc/<pid>/task/<pid>/stat, in clock ticks of 10 ms). process.cpuUsage() counts
 * every thread: render workers and V8's GC helpers too, which never hold the event loop. Tests that
 * call a late tick a stall only when the loop's own thread burnt that time use this. 0 once gone.
 */
import { readFileSync } from 'node:fs';

export function mainThreadCpuMs(pid: number = process.pid): number {
  try {
    const stat = readFileSync(`/proc/${pid}/task/${pid}/stat`, 'latin1');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) * 10;
  } catch {
    return 0;
  }
}
