import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');

/** Every process descending from `pid`, with its command line, read from /proc. */
function descendants(pid: number): Map<number, string> {
  const children = new Map<number, number[]>();
  const commands = new Map<number, string>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
      commands.set(Number(entry), readFileSync(`/proc/${entry}/cmdline`, 'utf8').replaceAll('\0', ' ').trim());
    } catch {
      // ended while we looked
    }
  }
  const found = new Map<number, string>();
  const walk = (p: number) => {
    for (const c of children.get(p) ?? []) {
      found.set(c, commands.get(c) ?? '');
      walk(c);
    }
  };
  walk(pid);
  return found;
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    // A zombie is gone for our purpose: it runs nothing.
    return !readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z ');
  } catch {
    return false;
  }
};

async function until<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 180_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

interface RunningHub {
  npm: ChildProcess;
  output: string[];
  gatewayUrl: string;
  apiKey: string;
  dataDir: string;
}

/** `npm start` in its own process group (as a terminal runs it), on free ports and its own data folder. */
async function npmStart(args: string[]): Promise<RunningHub> {
  const dataDir = mkdtempSync(join(tmpdir(), 'hub-start-'));
  // Embedded PostgreSQL runs as an unprivileged user that must reach its folder.
  chmodSync(dataDir, 0o755);
  const env = { ...process.env };
  for (const name of ['DATABASE_URL', 'REDIS_URL']) delete env[name];
  const npm = spawn('npm', ['start', '--', '--people', '200', '--free-ports', '--data-dir', dataDir, ...args], { cwd: root, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  for (const stream of [npm.stdout!, npm.stderr!]) stream.on('data', (chunk: Buffer) => output.push(...chunk.toString().split('\n')));
  const text = () => output.join('\n');
  await until('Health Hub is running', () => (text().includes('Health Hub is running.') ? true : npm.exitCode !== null ? Promise.reject(new Error(`npm start ended:\n${text()}`)) : undefined));
  const gatewayUrl = /GraphQL:\s+(http:\/\/\S+)\/graphql/.exec(text())![1]!;
  const apiKey = /authorization: Bearer (\S+)/.exec(text())![1]!;
  return { npm, output, gatewayUrl, apiKey, dataDir };
}

async function person(hub: RunningHub, id: string) {
  const res = await fetch(`${hub.gatewayUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${hub.apiKey}`, 'x-hub-purpose': 'epidemic-prevention' },
    body: JSON.stringify({ query: `{ person(id: "${id}") { fullName testResults { result } } }` }),
  });
  return (await res.json()) as { data: { person: { fullName: string; testResults: unknown[] | null } | null }; errors?: Array<{ extensions: { code: string; subgraph?: string } }> };
}

/** Ends `hub` by `signal`, sent as `to` says, then checks nothing it started is left. */
async function stopAndCheck(hub: RunningHub, signal: NodeJS.Signals, to: 'group' | 'npm', withRedis: boolean) {
  const started = descendants(hub.npm.pid!);
  expect([...started.values()].some((c) => c.includes('redis-server'))).toBe(withRedis);
  expect([...started.values()].some((c) => /postgres/.test(c))).toBe(true);
  const exited = new Promise<void>((resolve) => hub.npm.once('exit', () => resolve()));
  process.kill(to === 'group' ? -hub.npm.pid! : hub.npm.pid!, signal);
  await exited;
  const left = await until('every process of the hub to end', () => {
    const running = [...started].filter(([pid]) => alive(pid));
    return running.length === 0 ? [] : undefined;
  }, 60_000).catch(() => [...started].filter(([pid]) => alive(pid)).map(([pid, c]) => `${pid} ${c}`));
  // What the hub said last, to see why something was left.
  if (left.length > 0) console.error(hub.output.slice(-60).join('\n'));
  expect(left).toEqual([]);
  rmSync(hub.dataDir, { recursive: true, force: true });
}

// npm start brings its own PostgreSQL (embedded) whatever server the other tests use: the run
// against a standalone server (DATABASE_URL, in CI) has nothing more to learn from it.
const describeWithEmbedded = process.env.DATABASE_URL ? describe.skip : describe;

describeWithEmbedded('npm start', () => {
  let hub: RunningHub | undefined;
  afterEach(() => {
    // A failed test leaves nothing running either.
    if (hub && hub.npm.exitCode === null && hub.npm.signalCode === null) {
      try {
        process.kill(-hub.npm.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    hub = undefined;
  });

  it('restarts a subgraph killed with -9 while the others answer, and Ctrl-C ends every process it started', async () => {
    hub = await npmStart([]);
    const testing = () => [...descendants(hub!.npm.pid!)].find(([, c]) => / testing$/.test(c))?.[0];
    const killed = testing()!;
    expect(killed).toBeDefined();
    const id = /person\(id: \\"(\d+)\\"\)/.exec(hub.output.join('\n'))![1]!;
    expect((await person(hub, id)).data.person!.testResults).not.toBeNull();

    process.kill(killed, 'SIGKILL');
    const meanwhile: Awaited<ReturnType<typeof person>>[] = [];
    await until('the testing subgraph to answer again', async () => {
      const answer = await person(hub!, id);
      meanwhile.push(answer);
      return answer.data.person?.testResults ? true : undefined;
    }, 120_000);
    // Its fields were missing for a while, with the coded error; the person's other fields never were.
    expect(meanwhile.some((a) => a.errors?.some((e) => e.extensions.code === 'HUB_GATEWAY_SUBGRAPH_UNAVAILABLE' && e.extensions.subgraph === 'testing'))).toBe(true);
    for (const a of meanwhile) expect(a.data.person?.fullName).toEqual(expect.any(String));
    expect(testing()).not.toBe(killed);
    expect(hub.output.join('\n')).toMatch(/testing exited \(SIGKILL\); restarting it/);

    await stopAndCheck(hub, 'SIGINT', 'group', true);
  }, 400_000);

  // Without connectors there is no Redis: PostgreSQL and the services.
  it('ends every process it started on SIGTERM to npm alone', async () => {
    hub = await npmStart(['--no-connectors']);
    await stopAndCheck(hub, 'SIGTERM', 'npm', false);
  }, 300_000);
});
