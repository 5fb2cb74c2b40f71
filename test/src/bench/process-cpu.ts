import { readFileSync } from 'node:fs';
import pg from 'pg';

// Clock ticks per second of /proc/<pid>/stat's utime and stime (USER_HZ: 100 on Linux).
const TICKS_PER_SECOND = 100;

/** CPU milliseconds a process has used so far (user + system), or null once it is gone. */
export function processCpuMs(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may hold spaces and parentheses: fields are counted after its last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
  } catch {
    return null;
  }
}

/** A process to watch, and the group its CPU is reported under. */
export interface WatchedProcess {
  pid: number;
  group: string;
}

/**
 * The backends of one PostgreSQL cluster, grouped by the application name their client set
 * (`hub-registry`, `hub-gateway`, …), background processes as `postgres (background)`.
 */
export async function postgresBackends(monitor: pg.Client): Promise<WatchedProcess[]> {
  const { rows } = await monitor.query<{ pid: number; application_name: string; backend_type: string }>(
    'SELECT pid, application_name, backend_type FROM pg_stat_activity WHERE pid <> pg_backend_pid()',
  );
  return rows.map((r) => ({
    pid: r.pid,
    group: r.backend_type === 'client backend' ? `postgres ${r.application_name || '(unnamed)'}` : 'postgres (background)',
  }));
}

/** CPU ms per group between two snapshots; a process first seen in `after` counts from zero. */
export function cpuByGroup(before: Map<number, number>, after: Map<number, number>, processes: readonly WatchedProcess[]): Map<string, number> {
  const byGroup = new Map<string, number>();
  for (const p of processes) {
    const end = after.get(p.pid);
    if (end === undefined) continue;
    byGroup.set(p.group, (byGroup.get(p.group) ?? 0) + end - (before.get(p.pid) ?? 0));
  }
  return byGroup;
}

/** CPU ms of each process now. */
export function snapshot(processes: readonly WatchedProcess[]): Map<number, number> {
  const cpu = new Map<number, number>();
  for (const p of processes) {
    const ms = processCpuMs(p.pid);
    if (ms !== null) cpu.set(p.pid, ms);
  }
  return cpu;
}
