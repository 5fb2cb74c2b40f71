/**
 * Measures the memory and CPU of each of the hub's processes under a person-360 load: the
 * figures behind the resource requests of the Kubernetes manifests (deploy/README.md "Sizing").
 * Against a hub already running on this machine, e.g. `npm start -- --people 100000 --no-connectors`:
 *
 *   npm run measure -w @health-hub/deploy -- --url http://127.0.0.1:4000 --key <developer key> \
 *     --people 100000 --seed 2021 --seconds 60 --connections 16
 *
 * Finds the processes by their entry (`gateway/src/server.ts`, `subgraphs/<name>/src/server.ts`,
 * `hub/dist/service.js <service>`) and PostgreSQL's as the server on `--postgres-data` (default
 * this checkout's `.data/postgres`) and its children. Samples each second the memory and CPU
 * time (utime + stime of /proc/<pid>/stat): 5 s idle, then during the load. Memory is the
 * resident set (VmRSS) of a Node process, and for PostgreSQL the proportional set (Pss of
 * smaps_rollup) summed over its processes, so shared buffers count once. Prints one line per
 * service: idle and peak memory, mean CPU in cores, CPU per request.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { createPopulation } from '@health-hub/simulators';
import { PERSON_360 } from '@health-hub/test/src/graphql-client';

const CLOCK_TICKS = 100; // USER_HZ on Linux
const REPOSITORY = resolve(__dirname, '..', '..');
const ENTRY = /(?:\/(gateway)\/src\/server\.ts|\/subgraphs\/(\w+)\/src\/server\.ts|service\.[jt]s\s+([\w-]+))/;

interface Sample { rssKiB: number; cpuTicks: number }

function read(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

/** The hub's processes on this machine by service name (PostgreSQL's together as `postgresql`). */
function hubProcesses(postgresData: string): Map<number, string> {
  const found = new Map<number, string>();
  const parents = new Map<number, number>();
  let postmaster: number | null = null;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const cmdline = read(`/proc/${entry}/cmdline`)?.replaceAll('\0', ' ');
    const status = read(`/proc/${entry}/status`);
    if (!cmdline || !status) continue;
    parents.set(Number(entry), Number(/PPid:\s+(\d+)/.exec(status)?.[1]));
    // Only this checkout's processes: others may run their own hub on the same machine.
    const match = cmdline.includes(REPOSITORY) ? ENTRY.exec(cmdline) : null;
    if (match) found.set(Number(entry), (match[1] ?? match[2] ?? match[3])!);
    else if (/postgres/.test(cmdline) && cmdline.includes(postgresData)) postmaster = Number(entry);
  }
  if (postmaster !== null) {
    for (const [pid, ppid] of parents) if (pid === postmaster || ppid === postmaster) found.set(pid, 'postgresql');
  }
  return found;
}

function sample(pid: number, proportional: boolean): Sample | null {
  try {
    const rss = proportional
      ? /Pss:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'))
      : /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    // Fields after the command (which may hold spaces) start after its closing parenthesis.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { rssKiB: Number(rss?.[1] ?? 0), cpuTicks: Number(fields[11]) + Number(fields[12]) };
  } catch {
    return null;
  }
}

/** Per service: summed memory of its processes now, and each process's CPU ticks. */
function sampleServices(processes: Map<number, string>, ticks: Map<number, number>): Map<string, number> {
  const memory = new Map<string, number>();
  for (const [pid, name] of processes) {
    const s = sample(pid, name === 'postgresql');
    if (!s) continue;
    memory.set(name, (memory.get(name) ?? 0) + s.rssKiB);
    ticks.set(pid, s.cpuTicks);
  }
  return memory;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      url: { type: 'string', default: 'http://127.0.0.1:4000' },
      key: { type: 'string' },
      purpose: { type: 'string', default: 'epidemic-prevention' },
      people: { type: 'string', default: '10000' },
      seed: { type: 'string', default: '2021' },
      seconds: { type: 'string', default: '60' },
      connections: { type: 'string', default: '16' },
      'postgres-data': { type: 'string', default: join(REPOSITORY, '.data', 'postgres') },
    },
  });
  if (!values.key) throw new Error('--key: the API key of a partner that may read person-360 (npm start prints the developer key)');
  const people = Number(values.people);
  const population = createPopulation({ seed: Number(values.seed), size: people });
  const postgresData = resolve(values['postgres-data']!);
  let processes = hubProcesses(postgresData);
  if (![...processes.values()].includes('gateway')) throw new Error('no gateway process of the hub is running on this machine');

  await new Promise((r) => setTimeout(r, 5_000));
  const startTicks = new Map<number, number>();
  const idle = sampleServices(processes, startTicks);
  const names = new Map(processes);

  // Re-scanned each second: PostgreSQL forks a backend for each connection a pool opens under load.
  const peak = new Map<string, number>();
  const endTicks = new Map<number, number>();
  const startedAt = Date.now();
  const timer = setInterval(() => {
    processes = hubProcesses(postgresData);
    for (const [pid, name] of processes) names.set(pid, name);
    for (const [name, kib] of sampleServices(processes, endTicks)) peak.set(name, Math.max(peak.get(name) ?? 0, kib));
  }, 1_000);
  const load = await autocannon({
    url: `${values.url}/graphql`,
    connections: Number(values.connections),
    duration: Number(values.seconds),
    requests: [{
      method: 'POST',
      headers: { authorization: `Bearer ${values.key}`, 'x-hub-purpose': values.purpose, 'content-type': 'application/json' },
      setupRequest: (req) => ({ ...req, body: JSON.stringify({ query: PERSON_360, variables: { id: population.person(Math.floor(Math.random() * people)).citizenId } }) }),
    }],
  });
  clearInterval(timer);
  sampleServices(processes, endTicks);
  const wallSeconds = (Date.now() - startedAt) / 1000;
  const cpuTicks = new Map<string, number>();
  for (const [pid, end] of endTicks) {
    const name = names.get(pid)!;
    cpuTicks.set(name, (cpuTicks.get(name) ?? 0) + end - (startTicks.get(pid) ?? 0));
  }

  console.log(`person-360, ${values.connections} connections, ${values.seconds} s: ${Math.round(load.requests.average)} req/s, p50 ${load.latency.p50} ms, p99 ${load.latency.p99} ms, non-2xx ${load.non2xx}, errors ${load.errors}`);
  console.log('service | processes | memory idle MiB | memory peak MiB | CPU cores (mean under load) | CPU ms per request');
  const count = (name: string) => [...names.values()].filter((n) => n === name).length;
  for (const name of [...cpuTicks.keys()].sort()) {
    const cores = cpuTicks.get(name)! / CLOCK_TICKS / wallSeconds;
    const perRequest = (cores * 1000) / load.requests.average;
    console.log(`${name} | ${count(name)} | ${((idle.get(name) ?? 0) / 1024).toFixed(0)} | ${((peak.get(name) ?? 0) / 1024).toFixed(0)} | ${cores.toFixed(2)} | ${perRequest.toFixed(2)}`);
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
