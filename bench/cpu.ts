/**
 * CPU time spent by each process of the run (hub, PostgreSQL, Redis, the
 * load generator), read from /proc: on a shared two-core machine, which
 * process the time goes to says more than any one process's profile.
 * PostgreSQL backends that exited are counted through their postmaster's
 * children times. Linux only; elsewhere every figure is null.
 */
import { readdirSync, readFileSync } from 'node:fs';

const TICK_MS = 10; // USER_HZ is 100 on Linux

type Group = 'hub' | 'postgres' | 'redis' | 'client';

function classify(pid: string, hubPid: number): Group | null {
  if (Number(pid) === hubPid) return 'hub';
  if (Number(pid) === process.pid) return 'client';
  let cmd: string;
  try {
    cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return null;
  }
  if (cmd.startsWith('postgres') || cmd.includes('/postgres')) return 'postgres';
  if (cmd.startsWith('redis-server')) return 'redis';
  return null;
}

/** CPU milliseconds per group, now. */
export function cpuSnapshot(hubPid: number): Record<Group, number> | null {
  const out: Record<Group, number> = { hub: 0, postgres: 0, redis: 0, client: 0 };
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((p) => /^\d+$/.test(p));
  } catch {
    return null;
  }
  for (const pid of pids) {
    const group = classify(pid, hubPid);
    if (!group) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    } catch {
      continue;
    }
    // Fields after "(comm) ": state ppid … utime(14) stime(15) cutime(16) cstime(17).
    const f = stat.slice(stat.lastIndexOf(') ') + 2).split(' ');
    const own = Number(f[11]) + Number(f[12]);
    const children = group === 'postgres' ? Number(f[13]) + Number(f[14]) : 0;
    out[group] += (own + children) * TICK_MS;
  }
  return out;
}

/** CPU milliseconds per alert, per group, between two snapshots. */
export function cpuPerAlert(before: Record<Group, number> | null, after: Record<Group, number> | null, alerts: number) {
  if (!before || !after || alerts === 0) return null;
  const per = (g: Group) => Math.round(((after[g] - before[g]) / alerts) * 100) / 100;
  return { hub: per('hub'), postgres: per('postgres'), redis: per('redis'), client: per('client') };
}
