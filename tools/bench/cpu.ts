import { readdirSync, readFileSync } from 'node:fs';
import type { Client } from 'pg';

/**
 * Where the CPU went during a phase, from /proc (Linux only; elsewhere the figures are left out): the API and
 * worker children, every postgres process (backends, WAL writer, checkpointer…), redis-server, this benchmark
 * process itself (its HTTP client competes for the same cores), and the whole machine.
 */

/** Linux reports utime/stime in clock ticks; USER_HZ is 100 on every mainstream kernel and architecture. */
const TICKS_PER_SECOND = 100;

export interface CpuSnapshot {
  at: number;
  /** CPU seconds (user + system) so far, by process group. */
  seconds: Record<string, number>;
  /** The system (kernel) part of `seconds`. */
  systemSeconds: Record<string, number>;
  /** /proc/stat: all ticks and idle ticks, machine-wide. */
  machine: { total: number; idle: number } | null;
}

export interface CpuUsage {
  wallSeconds: number;
  /** Per group: CPU seconds spent in the interval, and as a share of one core (100% = one core busy throughout). */
  groups: Record<string, { cpuSeconds: number; percentOfCore: number; systemPercentOfCore: number }>;
  /** Busy share of the whole machine (all cores) over the interval. */
  machineBusyPercent: number | null;
  /** Busy time not accounted for by the groups above (other processes, the kernel), as a share of one core. */
  otherPercentOfCore: number | null;
}

function processTimes(pid: number | string): { comm: string; seconds: number; systemSeconds: number } | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // comm is in parentheses and may hold spaces: the fields after it are space-separated.
    const close = stat.lastIndexOf(')');
    const comm = stat.slice(stat.indexOf('(') + 1, close);
    const fields = stat.slice(close + 2).split(' ');
    // fields[0] is field 3 (state): utime is field 14, stime field 15.
    const utime = Number(fields[11]);
    const stime = Number(fields[12]);
    return { comm, seconds: (utime + stime) / TICKS_PER_SECOND, systemSeconds: stime / TICKS_PER_SECOND };
  } catch {
    return null;
  }
}

function machineTimes(): { total: number; idle: number } | null {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0];
    const values = line.trim().split(/\s+/).slice(1).map(Number);
    // user nice system idle iowait irq softirq steal (guest time is already counted in user).
    const total = values.slice(0, 8).reduce((s, v) => s + v, 0);
    const idle = values[3] + (values[4] ?? 0);
    return { total, idle };
  } catch {
    return null;
  }
}

export const cpuSamplingAvailable = () => machineTimes() !== null;

/**
 * How each postgres process is counted, from pg_stat_activity (see refreshPostgresRoles): `postgres` for backends
 * of the benchmark database (the service's connections, autovacuum on it), `bench-db` for the benchmark's own
 * monitoring connections, `pg-shared` for the server's background processes (WAL writer, checkpointer… shared by
 * every database on the server), and nothing for backends of other databases (they end up in `other`).
 */
const postgresRoles = new Map<string, 'postgres' | 'bench-db' | 'pg-shared' | null>();

export async function refreshPostgresRoles(db: Client, benchPids: Set<number>): Promise<void> {
  const { rows } = await db.query(`select pid, datname = current_database() as ours, datname is null as shared from pg_stat_activity`);
  postgresRoles.clear();
  for (const r of rows) {
    postgresRoles.set(String(r.pid), benchPids.has(r.pid) ? 'bench-db' : r.ours ? 'postgres' : r.shared ? 'pg-shared' : null);
  }
}

export function cpuSnapshot(children: Record<string, number | undefined>): CpuSnapshot {
  const seconds: Record<string, number> = {};
  const systemSeconds: Record<string, number> = {};
  const add = (group: string, total: number, system: number) => {
    seconds[group] = (seconds[group] ?? 0) + total;
    systemSeconds[group] = (systemSeconds[group] ?? 0) + system;
  };
  for (const [name, pid] of Object.entries(children)) {
    if (pid === undefined) continue;
    const times = processTimes(pid);
    // `worker#2`, `worker#3`: more processes of one group, counted together.
    if (times) add(name.split('#')[0], times.seconds, times.systemSeconds);
  }
  const self = process.cpuUsage();
  add('bench', (self.user + self.system) / 1e6, self.system / 1e6);
  let pids: string[] = [];
  try {
    pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return { at: performance.now(), seconds, systemSeconds, machine: null };
  }
  for (const group of ['postgres', 'pg-shared', 'bench-db', 'redis']) add(group, 0, 0);
  for (const pid of pids) {
    const times = processTimes(pid);
    if (!times) continue;
    if (times.comm === 'postgres' || times.comm.startsWith('postgres:')) {
      // Not in pg_stat_activity: the postmaster, or a backend that connected since the last refresh.
      const role = postgresRoles.has(pid) ? postgresRoles.get(pid) : 'pg-shared';
      if (role) add(role, times.seconds, times.systemSeconds);
    } else if (times.comm === 'redis-server') {
      add('redis', times.seconds, times.systemSeconds);
    }
  }
  return { at: performance.now(), seconds, systemSeconds, machine: machineTimes() };
}

export function cpuBetween(before: CpuSnapshot, after: CpuSnapshot): CpuUsage {
  const wallSeconds = (after.at - before.at) / 1000;
  const groups: CpuUsage['groups'] = {};
  for (const [name, end] of Object.entries(after.seconds)) {
    const start = before.seconds[name];
    if (start === undefined) continue;
    // A postgres backend that exited during the interval takes its ticks with it: never report below zero.
    const cpuSeconds = Math.max(0, end - start);
    const systemSeconds = Math.max(0, (after.systemSeconds[name] ?? 0) - (before.systemSeconds[name] ?? 0));
    groups[name] = {
      cpuSeconds: Math.round(cpuSeconds * 100) / 100,
      percentOfCore: wallSeconds > 0 ? Math.round((cpuSeconds / wallSeconds) * 100) : 0,
      systemPercentOfCore: wallSeconds > 0 ? Math.round((systemSeconds / wallSeconds) * 100) : 0,
    };
  }
  let machineBusyPercent: number | null = null;
  let otherPercentOfCore: number | null = null;
  if (before.machine && after.machine) {
    const total = after.machine.total - before.machine.total;
    const idle = after.machine.idle - before.machine.idle;
    machineBusyPercent = total > 0 ? Math.round(((total - idle) / total) * 100) : null;
    if (total > 0 && wallSeconds > 0) {
      // /proc/stat counts every core: busy ticks over wall seconds is the busy share of one core.
      const busyCoreSeconds = (total - idle) / TICKS_PER_SECOND;
      const known = Object.values(groups).reduce((s, g) => s + g.cpuSeconds, 0);
      otherPercentOfCore = Math.max(0, Math.round(((busyCoreSeconds - known) / wallSeconds) * 100));
    }
  }
  return { wallSeconds, groups, machineBusyPercent, otherPercentOfCore };
}
