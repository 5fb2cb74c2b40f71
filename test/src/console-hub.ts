// The browser test harness of the console and the public page: a hub run as npm start runs it
// (the migrate job, which publishes the console's operations, then the subgraphs and the
// gateway, each its own process running the service entry) over a fresh database with a
// generated population and epidemic, a partner per role, and Debian's Chromium signed in as one.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { createRolePartnerCredentials, freePort, runServiceOnce, seedPopulation, startHubProcesses, type HubProcesses, type PartnerCredentials } from '@health-hub/hub';
import { ROLES, SUBGRAPH_NAMES, type Role, type SubgraphName } from '@health-hub/schema';
import { createPopulation, type Population } from '@health-hub/simulators';
import { createPool } from '@health-hub/subgraph-kit';
import { freshDatabase } from '@health-hub/subgraph-kit/testing';
import type { Page } from 'playwright-core';
import { openBrowser, seriousViolations, staysOnThisMachine, type Browser } from './browser';
import { seedEpidemic } from './epidemic';

export interface ConsoleHubOptions {
  /** The generated population. Default seed 23, 1,000 people. */
  population?: { seed: number; size: number };
  /** The days of the generated epidemic (cases, quarantines, daily reports). Default August 2021; false for none. */
  epidemic?: { from: string; to: string } | false;
  /** More environment for the gateway process. */
  gatewayEnv?: Record<string, string>;
  /** Told each line the processes write. Default: kept, the last 200 shown when start fails. */
  log?: (line: string) => void;
}

export interface ConsoleHub {
  gatewayUrl: string;
  databaseUrl: string;
  population: Population;
  /** What `seedEpidemic` generated, or null. */
  epidemic: Awaited<ReturnType<typeof seedEpidemic>> | null;
  /** One partner per role (the province one limited to province 79), free-form queries allowed. */
  partners: Record<Role, PartnerCredentials>;
  processes: HubProcesses;
  /** Opens Debian's Chromium on a fresh profile, every request recorded. */
  openBrowser(options?: Parameters<typeof openBrowser>[0]): Promise<ConsoleBrowser>;
  stop(): Promise<void>;
}

/** A browser on the hub, with the console's own steps. */
export interface ConsoleBrowser extends Browser {
  /**
   * Opens `/console/` and signs in as `partner` stating `purpose` (default the role's first),
   * waiting for the nav. `at` fixes the browser's clock first (an ISO instant).
   */
  signIn(partner: PartnerCredentials | Role, options?: { purpose?: string; at?: string; lang?: 'vi' | 'en' }): Promise<Page>;
  /** Opens a page of the console by its registry path (`daily-reports`) and waits for its heading. */
  openPage(path: string): Promise<Page>;
  /** Signs out with the shell's button and waits for the sign-in form. */
  signOut(): Promise<void>;
  /** The paths of the pages in the nav, in order. */
  navPages(): Promise<string[]>;
  /** axe-core's serious and critical violations on the page as it is now. */
  seriousViolations(): Promise<Array<{ id: string; impact: string; targets: string[] }>>;
  /** Every URL the browser asked for that would leave this machine (should be none). */
  requestsLeavingTheMachine(): string[];
}

/** Builds the web pages (skipped when current), as `npm run build` and `npm run setup` do. */
export function buildWebPages(): void {
  const built = spawnSync(process.execPath, [join(__dirname, '..', '..', 'console', 'scripts', 'build-web.mjs')], { encoding: 'utf8' });
  if (built.status !== 0) throw new Error(`Building the web pages failed: ${built.stderr}`);
}

/** Starts a hub as processes, like `npm start`, with the web pages built and a partner per role. */
export async function startConsoleHub(options: ConsoleHubOptions = {}): Promise<ConsoleHub> {
  buildWebPages();
  const db = await freshDatabase();
  const lines: string[] = [];
  const log = options.log ?? ((line: string) => {
    lines.push(line);
    if (lines.length > 200) lines.shift();
  });
  let processes: HubProcesses | undefined;
  try {
    // The migrate job as npm start runs it: schemas, first keys, the console's trusted operations.
    await runServiceOnce('migrate', { DATABASE_URL: db.url, LOG_LEVEL: 'warn' }, log);
    const population = createPopulation(options.population ?? { seed: 23, size: 1_000 });
    await seedPopulation({ databaseUrl: db.url, population, kinds: ['persons', 'doses', 'testResults'] });
    let epidemic: ConsoleHub['epidemic'] = null;
    if (options.epidemic !== false) {
      const pool = createPool({ databaseUrl: db.url, applicationName: 'console-test-seed', max: 2 });
      try {
        epidemic = await seedEpidemic(pool, population, options.epidemic ?? { from: '2021-08-01', to: '2021-08-31' });
      } finally {
        await pool.end();
      }
    }
    const partners = await createRolePartnerCredentials(db.url);
    const subgraphPorts = {} as Record<SubgraphName, number>;
    for (const name of SUBGRAPH_NAMES) subgraphPorts[name] = await freePort();
    // A loaded machine (several test files, tsx compiling each service) can take minutes to start them.
    processes = await startHubProcesses({ databaseUrl: db.url, subgraphPorts, gatewayPort: await freePort(), gatewayEnv: options.gatewayEnv, log, readyTimeoutMs: 420_000 });
    const hub = processes;
    const browsers: ConsoleBrowser[] = [];
    return {
      gatewayUrl: hub.gatewayUrl, databaseUrl: db.url, population, epidemic, partners, processes: hub,
      async openBrowser(browserOptions) {
        const browser = consoleBrowser(await openBrowser(browserOptions), hub.gatewayUrl, partners);
        browsers.push(browser);
        return browser;
      },
      async stop() {
        await Promise.all(browsers.map((b) => b.close().catch(() => undefined)));
        await hub.stop();
        await db.drop();
      },
    };
  } catch (error) {
    await processes?.stop();
    await db.drop();
    throw new Error(`${(error as Error).message}\n--- last lines of the hub ---\n${lines.join('\n')}`);
  }
}

function consoleBrowser(browser: Browser, gatewayUrl: string, partners: Record<Role, PartnerCredentials>): ConsoleBrowser {
  const { page } = browser;
  return {
    ...browser,
    async signIn(who, options = {}) {
      const role = typeof who === 'string' ? who : (Object.keys(partners) as Role[]).find((r) => partners[r].id === who.id);
      const partner = typeof who === 'string' ? partners[who] : who;
      const purpose = options.purpose ?? (role ? ROLES[role].purposes[0] : 'epidemic-prevention');
      if (options.at) await page.clock.setFixedTime(new Date(options.at));
      await page.goto(`${gatewayUrl}/console/${options.lang === 'en' ? '?lang=en' : ''}`);
      const form = page.locator('[data-testid="sign-in"]');
      await form.locator('input[name="partner"]').fill(partner.id);
      await form.locator('input[name="key"]').fill(partner.apiKey);
      await form.locator('select[name="purpose"]').selectOption(purpose);
      await form.locator('button[type="submit"]').click();
      await page.waitForSelector('[data-testid="nav"]');
      return page;
    },
    async openPage(path) {
      await page.locator(`[data-testid="nav"] a[data-page="${path}"]`).click();
      await page.waitForSelector(`[data-testid="nav"] a[data-page="${path}"][aria-current="page"]`);
      await page.waitForSelector('main h1');
      return page;
    },
    async signOut() {
      await page.locator('[data-testid="session"] button').click();
      await page.waitForSelector('[data-testid="sign-in"]');
    },
    async navPages() {
      return page.locator('[data-testid="nav"] a').evaluateAll((links) => links.map((a) => a.getAttribute('data-page') ?? ''));
    },
    seriousViolations: () => seriousViolations(page),
    requestsLeavingTheMachine() {
      return browser.requests.filter((url) => !staysOnThisMachine(url));
    },
  };
}
