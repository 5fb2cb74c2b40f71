/**
 * The hub as a deployment runs it, on one machine: the compiled build in production mode with
 * every secret from a file, the migrate job, the six subgraphs, several gateway replicas behind
 * HAProxy (health-checked on /ready, requests retried on another replica when one dies), connector
 * workers and the connector scheduler, each a supervised process restarted when it dies.
 * PostgreSQL and Redis are given (the tests' own). For the cluster test and `npm run bench -- cluster`.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, runServiceOnce, Supervisor, waitUntilReady } from '@health-hub/hub';
import { DEFAULT_SIMULATOR_TOKEN } from '@health-hub/simulators';
import { SUBGRAPH_NAMES, type SubgraphName } from '@health-hub/schema';

const root = join(__dirname, '..', '..');

/** Compiles the hub (`npm run build`) once per process. */
let built = false;
export function buildHub(): void {
  if (built) return;
  const result = spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { stdio: 'pipe', encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`npm run build failed:\n${result.stderr}`);
  built = true;
}

/** Where HAProxy is, or an Error saying how to install it. */
export function haproxyBinary(): string {
  for (const dir of (process.env.PATH ?? '').split(':').concat(['/usr/sbin', '/usr/local/sbin'])) {
    if (existsSync(join(dir, 'haproxy'))) return join(dir, 'haproxy');
  }
  throw new Error('haproxy is not installed: npm run setup installs it (apt-get install haproxy).');
}

export interface ClusterOptions {
  databaseUrl: string;
  redisUrl: string;
  /** Gateway replicas behind the load balancer. */
  gateways: number;
  /** Connector workers, each running every connector in `connectors`. */
  workers: number;
  /** Connectors the workers run and the scheduler schedules, with their source variables. */
  connectors: string[];
  sourceEnv: Record<string, string>;
  /** Prefix of the connector queues' keys (one per cluster, on a shared Redis). */
  queuePrefix: string;
  /** Receives every process's output lines. Default: dropped. */
  log?: (line: string) => void;
}

export interface Cluster {
  /** The load balancer's address: what partners are given. */
  url: string;
  gateways: Supervisor[];
  subgraphs: Record<SubgraphName, Supervisor>;
  workers: Supervisor[];
  /** Absent when no connector runs. */
  scheduler?: Supervisor;
  /** The gateway replicas' own addresses, for a bench through one of them. */
  gatewayUrls: string[];
  stop(): Promise<void>;
}

/** Writes every secret the services need into files in `dir`, as a secret store mounts them. */
function writeSecrets(dir: string, options: ClusterOptions): Record<string, string> {
  const files: Record<string, string> = {
    DATABASE_URL: options.databaseUrl,
    REDIS_URL: options.redisUrl,
    HUB_GATEWAY_SECRET: randomBytes(32).toString('base64url'),
    HUB_ACCESS_KEK: randomBytes(32).toString('base64'),
    HUB_CERTIFICATES_KEK: randomBytes(32).toString('base64'),
    HUB_AUDIT_SIGNING_KEY: generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
  };
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(files)) {
    const file = join(dir, name.toLowerCase());
    writeFileSync(file, `${value}\n`, { mode: 0o600 });
    env[`${name}_FILE`] = file;
  }
  return env;
}

/** What HAProxy answers when no replica can take a request: the hub's error format, coded. */
const NO_REPLICA = JSON.stringify({ errors: [{ message: 'No gateway replica can answer now; retry shortly.', extensions: { code: 'HUB_GATEWAY_NO_REPLICA' } }] });

function haproxyConfig(port: number, gateways: number[], errorFile: string): string {
  return `global
  maxconn 4096
defaults
  mode http
  timeout connect 1s
  timeout client 30s
  timeout server 10s
  timeout http-request 10s
  timeout check 3s
  # A request whose replica died before answering goes to another one: the body is buffered,
  # so a POST can be sent again (a person-360 is a read).
  option http-buffer-request
  retries 3
  retry-on conn-failure empty-response junk-response response-timeout
  option redispatch 1
  errorfile 503 ${errorFile}
frontend partners
  bind 127.0.0.1:${port}
  default_backend gateways
backend gateways
  balance roundrobin
  option httpchk GET /ready
  http-check expect status 200
  default-server inter 1s fall 3 rise 1
${gateways.map((p, i) => `  server gateway${i + 1} 127.0.0.1:${p} check`).join('\n')}
`;
}

export async function startCluster(options: ClusterOptions): Promise<Cluster> {
  buildHub();
  const haproxy = haproxyBinary();
  const dir = mkdtempSync(join(tmpdir(), 'hub-cluster-'));
  const log = options.log ?? (() => {});
  const secrets = writeSecrets(dir, options);
  const common = { HUB_ENV: 'production', LOG_LEVEL: 'warn', HOST: '127.0.0.1', DATABASE_URL_FILE: secrets.DATABASE_URL_FILE! };
  const supervisors: Supervisor[] = [];
  const supervise = (name: ConstructorParameters<typeof Supervisor>[0], env: Record<string, string>) => {
    const s = new Supervisor(name, { compiled: true, inheritEnv: false, env: { ...common, ...env }, log });
    supervisors.push(s);
    return s;
  };
  let balancer: ChildProcess | undefined;
  const stop = async () => {
    balancer?.kill('SIGTERM');
    await Promise.all(supervisors.map((s) => s.stop()));
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    // Each subgraph is served from its own process, the secret signing the gateway's requests from a file.
    await runServiceOnce('migrate', { ...common, HUB_ACCESS_KEK_FILE: secrets.HUB_ACCESS_KEK_FILE!, HUB_CERTIFICATES_KEK_FILE: secrets.HUB_CERTIFICATES_KEK_FILE! }, log, { compiled: true, inheritEnv: false });
    const ports = {} as Record<SubgraphName, number>;
    const subgraphs = {} as Record<SubgraphName, Supervisor>;
    for (const name of SUBGRAPH_NAMES) {
      ports[name] = await freePort();
      subgraphs[name] = supervise(name, {
        PORT: String(ports[name]),
        HUB_GATEWAY_SECRET_FILE: secrets.HUB_GATEWAY_SECRET_FILE!,
        ...(name === 'vaccination' || name === 'testing' ? { HUB_CERTIFICATES_KEK_FILE: secrets.HUB_CERTIFICATES_KEK_FILE! } : {}),
        ...(name === 'audit' ? { HUB_AUDIT_SIGNING_KEY_FILE: secrets.HUB_AUDIT_SIGNING_KEY_FILE! } : {}),
      });
    }
    await Promise.all(SUBGRAPH_NAMES.map((name) => waitUntilReady(`http://127.0.0.1:${ports[name]}/ready`)));

    const gatewayPorts: number[] = [];
    const gateways: Supervisor[] = [];
    for (let i = 0; i < options.gateways; i++) {
      const port = await freePort();
      gatewayPorts.push(port);
      gateways.push(supervise('gateway', {
        PORT: String(port),
        REDIS_URL_FILE: secrets.REDIS_URL_FILE!,
        HUB_GATEWAY_SECRET_FILE: secrets.HUB_GATEWAY_SECRET_FILE!,
        HUB_ACCESS_KEK_FILE: secrets.HUB_ACCESS_KEK_FILE!,
        HUB_CERTIFICATES_KEK_FILE: secrets.HUB_CERTIFICATES_KEK_FILE!,
        ...Object.fromEntries(SUBGRAPH_NAMES.map((name) => [`SUBGRAPH_URL_${name.toUpperCase()}`, `http://127.0.0.1:${ports[name]}/graphql`])),
      }));
    }
    const gatewayUrls = gatewayPorts.map((p) => `http://127.0.0.1:${p}`);
    await Promise.all(gatewayUrls.map((url) => waitUntilReady(`${url}/ready`)));

    const balancerPort = await freePort();
    const errorFile = join(dir, 'no-replica.http');
    writeFileSync(errorFile, `HTTP/1.1 503 Service Unavailable\r\ncontent-type: application/json\r\nretry-after: 1\r\ncache-control: no-cache\r\nconnection: close\r\n\r\n${NO_REPLICA}\n`);
    writeFileSync(join(dir, 'haproxy.cfg'), haproxyConfig(balancerPort, gatewayPorts, errorFile));
    balancer = spawn(haproxy, ['-db', '-f', join(dir, 'haproxy.cfg')], { stdio: ['ignore', 'pipe', 'pipe'] });
    balancer.stderr!.on('data', (chunk: Buffer) => log(`[haproxy] ${chunk.toString().trim()}`));
    const url = `http://127.0.0.1:${balancerPort}`;
    await waitUntilReady(`${url}/ready`);

    const connectorEnv = { REDIS_URL_FILE: secrets.REDIS_URL_FILE!, HUB_CONNECTORS: options.connectors.join(','), HUB_QUEUE_PREFIX: options.queuePrefix };
    // The upstream systems' tokens are secrets too: files.
    const sourceEnv: Record<string, string> = {};
    for (const [name, value] of Object.entries(options.sourceEnv)) {
      if (!name.endsWith('_TOKEN')) sourceEnv[name] = value;
      else {
        writeFileSync(join(dir, name.toLowerCase()), value, { mode: 0o600 });
        sourceEnv[`${name}_FILE`] = join(dir, name.toLowerCase());
      }
    }
    const workers: Supervisor[] = [];
    for (let i = 0; i < options.workers; i++) {
      // A dead worker's run is taken over once its lock expires: 2 s here, 30 s by default.
      workers.push(supervise('connector-worker', { ...connectorEnv, ...sourceEnv, HUB_CONNECTOR_LOCK_MS: '2000', PORT: String(await freePort()) }));
    }
    const scheduler = options.connectors.length > 0 ? supervise('connector-scheduler', { ...connectorEnv, PORT: String(await freePort()) }) : undefined;
    return { url, gateways, subgraphs, workers, scheduler, gatewayUrls, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** The source variables of the registry and vaccination connectors pointed at simulators. */
export function simulatedSourceEnv(urls: { registry: string; vaccination: string }, pageSize = 100): Record<string, string> {
  return {
    HUB_REGISTRY_URL: urls.registry, HUB_REGISTRY_TOKEN: DEFAULT_SIMULATOR_TOKEN, HUB_REGISTRY_PAGE_SIZE: String(pageSize),
    HUB_VACCINATION_URL: urls.vaccination, HUB_VACCINATION_TOKEN: DEFAULT_SIMULATOR_TOKEN, HUB_VACCINATION_PAGE_SIZE: String(pageSize),
  };
}
