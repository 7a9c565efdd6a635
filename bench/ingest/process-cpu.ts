import { readdirSync, readFileSync } from 'node:fs';

/** /proc/<pid>/stat fields after the command name: ppid, utime, stime, cutime, cstime (clock ticks). */
function stat(pid: number): { ppid: number; ticks: number } | null {
  try {
    const rest = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ').pop()!.split(' ');
    // rest[0] is the state; field 4 (ppid) is rest[1], utime..cstime are fields 14-17.
    return { ppid: Number(rest[1]), ticks: Number(rest[11]) + Number(rest[12]) + Number(rest[13]) + Number(rest[14]) };
  } catch {
    return null;
  }
}

/** Clock ticks per second of utime/stime (sysconf(_SC_CLK_TCK), 100 on Linux x86). */
const TICKS_PER_SECOND = 100;

/**
 * CPU milliseconds used so far by a process and all its descendants, the ones that exited and
 * were waited for included (cutime/cstime). On a machine shared with other work a throughput
 * figure moves with the load; CPU per message does much less, so the benches print both.
 */
export function treeCpuMs(rootPids: number[]): number {
  const children = new Map<number, number[]>();
  const ticks = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const s = stat(Number(entry));
    if (!s) continue;
    ticks.set(Number(entry), s.ticks);
    const list = children.get(s.ppid) ?? [];
    list.push(Number(entry));
    children.set(s.ppid, list);
  }
  let total = 0;
  const stack = [...rootPids];
  const seen = new Set<number>();
  while (stack.length) {
    const pid = stack.pop()!;
    if (seen.has(pid)) continue;
    seen.add(pid);
    total += ticks.get(pid) ?? 0;
    stack.push(...(children.get(pid) ?? []));
  }
  return (total * 1000) / TICKS_PER_SECOND;
}

/** The pid in a daemon's pid file (Postfix and Dovecot write theirs as text). */
export function pidFromFile(path: string): number | null {
  try {
    const pid = Number(readFileSync(path, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}
