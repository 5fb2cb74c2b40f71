/**
 * `npm start`: runs the whole hub on this machine with simulated data.
 * Embedded PostgreSQL (or DATABASE_URL), Redis (REDIS_URL or redis-server from PATH), the migrate
 * job, the simulated upstream systems over a synthetic population, the connectors' first runs
 * (here, in order: the registry first), seeding for the sources without a connector, then every
 * service as its own supervised process running the production entry (`service.ts <name>`):
 * the seven subgraphs, the gateway, a connector worker, the connector scheduler and the webhook
 * dispatcher; Bull Board. A service that dies is restarted with backoff; Ctrl-C or SIGTERM stops
 * everything, Redis and PostgreSQL included.
 *
 *   npm start -- --people 100000 --seed 7 --port 4000 --board-port 4010 --no-seed --no-connectors
 *                --data-dir /var/tmp/hub --free-ports
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { AVAILABLE_CONNECTORS, startConnectorRuntime, type ConnectorRuntime } from '@health-hub/connectors';
import { DEFAULT_SUBGRAPH_PORTS, ROLES, ROLE_NAMES, SUBGRAPH_NAMES, type SubgraphName } from '@health-hub/schema';
import { createPopulation, DEFAULT_SIMULATOR_TOKEN, startEpidemiologySources, startSimulators, type EpidemiologySources, type RunningSimulators } from '@health-hub/simulators';
import { startQueueBoard, type QueueBoard } from './bull-board';
import { developerKey, EXAMPLE_PROVINCE, examplePartners } from './partners';
import { startPostgres } from './postgres';
import { freePort } from './free-port';
import { runServiceOnce, startHubProcesses, Supervisor, type HubProcesses } from './processes';
import { startRedis, type RedisServer } from './redis';
import { scheduleRetention, type ScheduledRetention } from './retention';
import { SEED_KINDS, seedPopulation, type SeedCounts } from './seed';

const root = join(__dirname, '..', '..');
/** The days the simulated citizen app and case-management exports cover. */
const EPIDEMIOLOGY_PERIOD = { from: '2021-08-01', to: '2021-08-31' } as const;
/** The days the provinces send daily reports: the whole epidemic the population's cases span. */
const REPORTING_PERIOD = { from: '2021-01-01', to: '2022-06-30' } as const;
/** The cases treated at home, and their households quarantined at home, with daily health reports: the Omicron wave. */
const HOME_ISOLATION_PERIOD = { from: '2022-02-01', to: '2022-02-28' } as const;
/** The ward health stations' lists are shown as of noon on this day. */
const HOME_ISOLATION_EXAMPLE_AT = '2022-02-20T12:00:00+07:00';
/**
 * Share of people the citizen app and the provinces name without a citizen ID (an old CMND, or
 * name, birth date and phone): people who declared in older apps, carried over by the identity
 * link the connectors make at ingest rather than by declaring again.
 */
const OLDER_APP_SHARE = 0.05;

/** The kind of record each connector fills, by connector name (null: one the seeder never wrote). */
const CONNECTOR_KINDS: Readonly<Record<string, keyof SeedCounts | null>> = {
  registry: 'persons',
  vaccination: 'doses',
  insurance: 'cards',
  'lab-fhir': 'testResults',
  'lab-csv': 'testResults',
  'case-management': 'cases',
  'citizen-app': null,
  // Derives household F2s from the F1s the others store: its source is the hub itself.
  'household-contacts': null,
  // Projects the registry's crosswalk for the references the cases store holds (tracing reads it).
  'person-links': null,
};
/** Runs after the sources on start: it reads the F1s they stored. */
const DERIVED_CONNECTORS: ReadonlySet<string> = new Set(['person-links', 'household-contacts']);

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      people: { type: 'string', default: '10000' },
      seed: { type: 'string', default: '2021' },
      port: { type: 'string', default: '4000' },
      'board-port': { type: 'string', default: '4010' },
      'no-seed': { type: 'boolean', default: false },
      'no-connectors': { type: 'boolean', default: false },
      // Where embedded PostgreSQL, the development keys and the simulated drop folders live.
      'data-dir': { type: 'string', default: join(root, '.data') },
      // Every port chosen free (a second hub beside the first; tests).
      'free-ports': { type: 'boolean', default: false },
    },
  });
  const people = Number(values.people);
  const seed = Number(values.seed);
  const connectors = !values['no-connectors'];
  if (!Number.isInteger(people) || people < 1 || people > 100_000_000) throw new Error('--people must be an integer from 1 to 100000000');

  const dataDir = values['data-dir'];
  const freePorts = values['free-ports'];
  const port = async (fixed: number) => (freePorts ? freePort() : fixed);
  console.log(process.env.DATABASE_URL ? 'Using PostgreSQL from DATABASE_URL' : `Starting embedded PostgreSQL (data in ${join(dataDir, 'postgres')})…`);
  const postgres = await startPostgres({ dataDir: join(dataDir, 'postgres'), ...(freePorts ? { port: await freePort() } : {}) });
  let hub: HubProcesses | undefined;
  const services: Supervisor[] = [];
  let redis: RedisServer | undefined;
  let simulators: RunningSimulators | undefined;
  let epidemiology: EpidemiologySources | undefined;
  let retention: ScheduledRetention | undefined;
  let runtime: ConnectorRuntime | undefined;
  let board: QueueBoard | undefined;
  let stopping = false;
  // Consumers before what they consume: the services (restarting none from now on) and the
  // runtime commit their page in hand before the simulators, Redis and PostgreSQL go away.
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    console.log('\nStopping the hub…');
    const stopServices = async () => void (await Promise.all([...services.map((s) => s.stop()), hub?.stop()]));
    const steps: Array<[string, (() => Promise<void>) | undefined]> = [
      ['services', stopServices], ['connector runtime', runtime?.close], ['retention', retention?.close], ['Bull Board', board?.close],
      ['simulators', simulators?.closeAll], ['epidemiology sources', epidemiology?.close], ['Redis', redis?.stop], ['PostgreSQL', postgres.stop],
    ];
    for (const [what, step] of steps) await step?.().catch((error: unknown) => console.error(`Stopping ${what}:`, error));
    process.exit(code);
  };
  // Ctrl-C reaches every process of the terminal's group at once; the services end by themselves
  // and the stop below finds them gone. SIGTERM (a service manager, `kill`) reaches this one alone.
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => void stop(0));
  const log = (line: string) => console.log(line);
  const reportExit = (name: string, code: number | null, signal: NodeJS.Signals | null) => {
    if (!stopping) console.error(`${name} exited (${signal ?? `code ${code}`}); restarting it.`);
  };

  try {
    if (connectors) {
      redis = await startRedis();
      console.log(redis.embedded ? `Started redis-server at ${redis.url}` : 'Using Redis from REDIS_URL');
    }
    // The migrate job, as a deployment runs it before the services: schemas and first keys.
    await runServiceOnce('migrate', { DATABASE_URL: postgres.url, LOG_LEVEL: 'warn' }, () => {});
    const population = createPopulation({ seed, size: people });
    // What each connector fills; the seeder writes only what no running connector does.
    const connected = connectors ? Object.keys(AVAILABLE_CONNECTORS).filter((name) => name in CONNECTOR_KINDS) : [];
    // A kind is left to connectors only when every connector that fills it runs.
    const seeded = SEED_KINDS.filter((kind) => {
      const fillers = Object.keys(CONNECTOR_KINDS).filter((name) => CONNECTOR_KINDS[name] === kind);
      return !(fillers.length > 0 && fillers.every((name) => connected.includes(name)));
    });
    if (!values['no-seed'] && seeded.length > 0) {
      console.log(`Seeding ${people.toLocaleString('en')} people (seed ${seed}): ${seeded.join(', ')}${connected.length ? ` (no connector yet; ${connected.join(', ')} come from their sources)` : ''}…`);
      let lastReport = 0;
      const result = await seedPopulation({
        databaseUrl: postgres.url,
        population,
        kinds: seeded,
        onProgress: (p) => {
          if (p.elapsedMs - lastReport < 2_000) return;
          lastReport = p.elapsedMs;
          console.log(`  ${p.people.toLocaleString('en')} people, ${p.records.toLocaleString('en')} records, ${Math.round((p.records / p.elapsedMs) * 1000).toLocaleString('en')} records/s`);
        },
      });
      const records = result.persons + result.doses + result.testResults + result.cards + result.cases;
      console.log(`Seeded ${records.toLocaleString('en')} records in ${(result.elapsedMs / 1000).toFixed(1)} s.`);
    }

    let sourceEnv: Record<string, string> = {};
    if (connectors) {
      simulators = await startSimulators({ population, labCsvDir: join(dataDir, 'lab-csv') });
      // The citizen app's check-ins and declarations for August 2021, isolations at home with
      // their daily health reports for February 2022, and the provinces' daily exports: cases,
      // quarantines and a daily report on every day of the epidemic (most before 18:00, some
      // late, a few never sent).
      epidemiology = await startEpidemiologySources({
        population, caseManagementDir: join(dataDir, 'case-management'), ...EPIDEMIOLOGY_PERIOD, reports: REPORTING_PERIOD, withoutCitizenIdShare: OLDER_APP_SHARE,
        homeIsolation: HOME_ISOLATION_PERIOD,
      });
      const urls = { ...simulators.urls, citizenApp: epidemiology.citizenApp.url };
      console.log(`Simulated sources: ${Object.entries(urls).map(([name, url]) => `${name} ${url}`).join(', ')}`);
      sourceEnv = {
        HUB_REGISTRY_URL: urls.registry, HUB_REGISTRY_TOKEN: DEFAULT_SIMULATOR_TOKEN,
        HUB_VACCINATION_URL: urls.vaccination, HUB_VACCINATION_TOKEN: DEFAULT_SIMULATOR_TOKEN,
        HUB_INSURANCE_URL: urls.insurance, HUB_INSURANCE_TOKEN: DEFAULT_SIMULATOR_TOKEN,
        HUB_LAB_FHIR_URL: `${urls.labFhir}/fhir`, HUB_LAB_FHIR_TOKEN: DEFAULT_SIMULATOR_TOKEN,
        HUB_LAB_CSV_DIR: join(dataDir, 'lab-csv'),
        HUB_CITIZEN_APP_URL: urls.citizenApp, HUB_CITIZEN_APP_TOKEN: DEFAULT_SIMULATOR_TOKEN,
        HUB_CASE_MANAGEMENT_DIR: join(dataDir, 'case-management'),
      };
      // Tracing data is deleted when its retention period is over, measured from the end of the
      // simulated period (else every 2021 check-in would be gone at once).
      retention = await scheduleRetention({
        databaseUrl: postgres.url, redisUrl: redis!.url, clock: () => new Date(`${EPIDEMIOLOGY_PERIOD.to}T23:59:59+07:00`),
        ...(process.env.HUB_RETENTION_DAYS ? { days: JSON.parse(process.env.HUB_RETENTION_DAYS) } : {}),
      });
      // The first runs from here, in order; the connector worker and scheduler take over after.
      runtime = await startConnectorRuntime({
        databaseUrl: postgres.url,
        redisUrl: redis!.url,
        logLevel: 'warn',
        schedules: false,
        connectors: connected.map((name) => ({ connector: AVAILABLE_CONNECTORS[name]!.connector, config: AVAILABLE_CONNECTORS[name]!.configFromEnv(sourceEnv) })),
      });
      // Schedules run later; the first runs now, so the graph is full when we say so. The
      // registry goes first: the insurance lookups sweep the citizen IDs it stores.
      const started = Date.now();
      const firstRun = async (name: string) => {
        await runtime!.waitForRun(name, await runtime!.runNow(name));
        console.log(`  ${name}: first run done after ${((Date.now() - started) / 1000).toFixed(1)} s`);
      };
      console.log(`Connectors: first runs of ${connected.join(', ')}…`);
      if (connected.includes('registry')) await firstRun('registry');
      await Promise.all(connected.filter((name) => name !== 'registry' && !DERIVED_CONNECTORS.has(name)).map(firstRun));
      for (const name of connected.filter((n) => DERIVED_CONNECTORS.has(n))) await firstRun(name);
      await runtime.close();
      runtime = undefined;
      board = await startQueueBoard({ redisUrl: redis!.url, queues: connected, port: await port(Number(values['board-port'])) });
    }

    // The developer partner's key of this start, prefilled in GraphiQL with an ID that exists.
    const apiKey = await developerKey(postgres.url);
    // One partner per role, to sign in to the console as each.
    const partners = await examplePartners(postgres.url);
    const example = population.person(0).citizenId;
    const subgraphPorts = Object.fromEntries(await Promise.all(SUBGRAPH_NAMES.map(async (name) => [name, await port(DEFAULT_SUBGRAPH_PORTS[name])]))) as Record<SubgraphName, number>;

    hub = await startHubProcesses({
      databaseUrl: postgres.url,
      subgraphPorts,
      gatewayPort: await port(Number(values.port)),
      // Rate limits and fair shares per partner are counted in Redis when there is one.
      env: redis ? { REDIS_URL: redis.url } : {},
      gatewayEnv: {
        HUB_GRAPHIQL_API_KEY: apiKey, HUB_GRAPHIQL_EXAMPLE_ID: example, HUB_PUBLIC_TODAY: EPIDEMIOLOGY_PERIOD.to,
        // The connector admin API shows the connectors that run, and links to their board.
        ...(connectors && board ? { HUB_CONNECTORS: connected.join(','), HUB_QUEUE_BOARD_URL: board.url } : {}),
      },
      log,
      // Each is restarted with backoff; the others keep answering meanwhile.
      onUnexpectedExit: reportExit,
    });
    if (connectors && redis) {
      const env = { DATABASE_URL: postgres.url, REDIS_URL: redis.url, LOG_LEVEL: 'warn', HUB_CONNECTORS: connected.join(','), ...sourceEnv };
      for (const [name, fixedPort] of [['connector-worker', 4201], ['connector-scheduler', 4202], ['webhook-dispatcher', 4203]] as const) {
        services.push(new Supervisor(name, { env: { ...env, PORT: String(await port(fixedPort)) }, log, onExit: (code, signal) => reportExit(name, code, signal) }));
      }
    }
    const { gatewayUrl } = hub;
    // The ward with the most isolations open at the example instant, for the list's example.
    const exampleAt = Date.parse(HOME_ISOLATION_EXAMPLE_AT);
    const openWards = new Map<string, number>();
    for (const h of epidemiology?.epidemiology.homeIsolations ?? []) {
      if (Date.parse(h.startsAt) <= exampleAt && Date.parse(h.endsAt) > exampleAt) openWards.set(h.wardCode, (openWards.get(h.wardCode) ?? 0) + 1);
    }
    const exampleWard = [...openWards].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0];
    const connectorLines = connectors && board && simulators && redis
      ? `
Connectors: ${connected.join(', ')} pull from the simulated sources on their schedules${seeded.length ? `; ${seeded.join(', ')} were seeded` : ''}.
  Queues (Bull Board): ${board.url}
  Run history, pause, backfill, rejected records: the connectors CLI, in another shell:
    export DATABASE_URL='${postgres.url}' REDIS_URL='${redis.url}' \\
${Object.entries(sourceEnv).map(([k, v]) => `           ${k}='${v}'`).join(' \\\n')}
    npm run connectors -w @health-hub/connectors -- list
`
      : '\nConnectors are off (--no-connectors): every source was seeded.\n';
    console.log(`
Health Hub is running.
  GraphQL:  ${gatewayUrl}/graphql
  GraphiQL: ${gatewayUrl}/graphiql (opens with the developer partner's headers below and an example person)
  Public epidemic page (no key needed, aggregates only): ${gatewayUrl}/public/
  Certificate verifier (works offline, no key needed): ${gatewayUrl}/certificates/verifier
  Operator console (sign in as a partner): ${gatewayUrl}/console/

Sign in to the console with a partner ID, its API key and a purpose; each example partner sees the
pages its role's scopes allow (keys valid until the next start):
${ROLE_NAMES.map((role) => `  ${role.padEnd(9)} ${partners[role].id.padEnd(17)} ${partners[role].apiKey}   purpose: ${ROLES[role].purposes.join(' | ')}${role === 'province' ? ` (province ${EXAMPLE_PROVINCE} only)` : ''}`).join('\n')}

Every request needs a partner's API key and a purpose of use. The local developer partner
(nationwide, every read scope, may introspect) has this key until the next start:
  authorization: Bearer ${apiKey}
  x-hub-purpose: epidemic-prevention
More partners: DATABASE_URL='${postgres.url}' npm run access -- partner create --id … --role province --province 79 …
  The developer partner sees neither stewardship nor audit: they are roles of their own, each with its purpose:
    DATABASE_URL='${postgres.url}' npm run access -- partner create --id steward-1 --name "Data steward" --role steward   (x-hub-purpose: identity-resolution)
    DATABASE_URL='${postgres.url}' npm run access -- partner create --id auditor-1 --name "Auditor" --role auditor   (x-hub-purpose: audit)
    DATABASE_URL='${postgres.url}' npm run access -- partner create --id operator-1 --name "Operator" --role operator   (x-hub-purpose: operations; ${gatewayUrl}/admin/connectors)
Backends may trade a partner ID and API key for a 15-minute access token, sent the same way:
  curl -s -u 'local-developer:${apiKey}' -d grant_type=client_credentials ${gatewayUrl}/oauth/token

Try:
  curl -s ${gatewayUrl}/graphql -H 'content-type: application/json' \\
    -H 'authorization: Bearer ${apiKey}' -H 'x-hub-purpose: epidemic-prevention' \\
    -d '{"query":"{ person(id: \\"${example}\\") { fullName birthDate vaccinationStatus { doses fullyVaccinated } testResults { method result sampledAt } healthInsurance { cardNumber validTo } cases { code status } } }"}'
${connectors ? `
Daily reports: the provinces reported every day from ${REPORTING_PERIOD.from} to ${REPORTING_PERIOD.to}, most before 18:00.
  Late at 18:01 on ${EPIDEMIOLOGY_PERIOD.to}: { lateProvinces(at: "${EPIDEMIOLOGY_PERIOD.to}T18:01:00+07:00") { provinceCode date submittedAt } }
${exampleWard ? `Isolations at home: the cases of ${HOME_ISOLATION_PERIOD.from}..${HOME_ISOLATION_PERIOD.to} treated at home and their households quarantined at home, with daily health reports.
  A ward health station's list: { homeIsolationWorklist(wardCode: "${exampleWard}", at: "${HOME_ISOLATION_EXAMPLE_AT}") { edges { node { due overdue alerted isolation { kind endsAt person { fullName } healthReports(last: 2) { spo2 temperature } } } } } }
` : ''}` : ''}${connectorLines}
Ctrl-C stops everything.`);
  } catch (error) {
    console.error(error);
    await stop(1);
  }
}

// What fails before anything runs (bad arguments, a data folder in use) is told in one line.
main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
