// The operator console's connectors, stewardship, audit and certificates pages in Debian's
// Chromium, against a hub run as processes (the console harness) with a real connector worker
// on Redis: an operator pauses and resumes a connector, a steward accepts a review item and the
// graph changes, an auditor sees the read just made, certificates are looked up, verified and
// revoked; each page is photographed and checked with axe-core; no request leaves the machine.
import { randomBytes } from 'node:crypto';
import { registryConnector, startConnectorRuntime, type ConnectorRuntime } from '@health-hub/connectors';
import { linkSourceReferences, upsertPersons, type PersonUpsert } from '@health-hub/registry';
import { createPopulation, DEFAULT_SIMULATOR_TOKEN, startRegistrySimulator, type RegistrySimulator } from '@health-hub/simulators';
import { createPool, personRefKey, type Pool } from '@health-hub/subgraph-kit';
import { upsertDoses, type DoseUpsert } from '@health-hub/vaccination';
import { startConsoleHub, type ConsoleBrowser, type ConsoleHub } from '../src/console-hub';

const AT = '2022-01-01T00:00:00.000Z';
// A and B: namesakes; the vaccination platform named someone with A's name and birth date and B's phone.
const A = '001090012345';
const B = '001090077777';
const AMBIGUOUS = { kind: 'DEMOGRAPHIC' as const, fullName: 'Nguyễn Văn An', birthDate: '1990-05-12', birthYear: 1990, phone: '0987654321' };

function person(citizenId: string, birthDate: string, phone: string): PersonUpsert {
  return {
    citizenId, source: 'population-registry', sourceRecordId: citizenId, familyName: 'Nguyễn', middleName: 'Văn', givenName: 'An', sex: 'MALE',
    birthDate, birthYear: Number(birthDate.slice(0, 4)), phone, oldIds: [],
    addresses: [{ kind: 'PERMANENT', provinceCode: '01', districtCode: '001', wardCode: '00001', line: 'Số 1' }],
    householdId: null, raw: {}, sourceUpdatedAt: AT,
  };
}

function dose(id: string, personId: string | null, personRef: DoseUpsert['personRef'], administeredOn: string): DoseUpsert {
  return {
    source: 'vaccination-platform', sourceRecordId: id, personId, personRef, doseNumber: 1, vaccine: 'COMIRNATY',
    manufacturer: 'Pfizer', lot: 'L1', administeredOn, siteName: 'Trạm Y tế', siteProvinceCode: '01', raw: {}, sourceUpdatedAt: AT,
  };
}

let hub: ConsoleHub;
let browser: ConsoleBrowser;
let pool: Pool;
let simulator: RegistrySimulator;
let runtime: ConnectorRuntime;
const queuePrefix = `t${randomBytes(6).toString('hex')}`;

/** Runs a query as one of the hub's example partners with its API key; the answer and its request ID. */
async function asPartner(role: 'ministry' | 'steward', query: string, variables: Record<string, unknown> = {}) {
  const response = await fetch(`${hub.gatewayUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${hub.partners[role].apiKey}`, 'x-hub-purpose': role === 'steward' ? 'identity-resolution' : 'epidemic-prevention' },
    body: JSON.stringify({ query, variables }),
  });
  return { body: (await response.json()) as any, requestId: response.headers.get('x-request-id')! };
}

beforeAll(async () => {
  const redisUrl = process.env.HUB_TEST_REDIS_URL!;
  hub = await startConsoleHub({
    population: { seed: 23, size: 400 }, epidemic: false,
    gatewayEnv: { REDIS_URL: redisUrl, HUB_QUEUE_PREFIX: queuePrefix, HUB_CONNECTORS: 'registry', HUB_QUEUE_BOARD_URL: 'http://127.0.0.1:4010' },
  });
  pool = createPool({ databaseUrl: hub.databaseUrl, applicationName: 'console-operator-test', max: 2 });
  await upsertPersons(pool, [person(A, '1990-05-12', '0326123456'), person(B, '1990-11-03', '0987654321')]);
  await upsertDoses(pool, [dose('a1', A, { kind: 'CITIZEN_ID', citizenId: A }, '2021-08-01'), dose('x1', null, AMBIGUOUS, '2021-11-01')]);
  await linkSourceReferences(pool, [{ system: 'vaccination-platform', personRef: AMBIGUOUS }], { actor: 'connector:test' });
  // A connector worker, as npm start runs one, on the queues the gateway's admin API operates.
  simulator = await startRegistrySimulator({ population: createPopulation({ seed: 9, size: 40 }) });
  runtime = await startConnectorRuntime({
    databaseUrl: hub.databaseUrl, redisUrl, queuePrefix, logLevel: 'silent', schedules: false,
    connectors: [{ connector: registryConnector, config: { baseUrl: simulator.url, token: DEFAULT_SIMULATOR_TOKEN, pageSize: 20 } }],
  });
  await runtime.waitForRun('registry', await runtime.runNow('registry'));
  browser = await hub.openBrowser();
}, 480_000);

afterAll(async () => {
  await runtime?.close();
  await simulator?.close();
  await pool?.end();
  await hub?.stop();
});

const pausedInTheDatabase = async () => (await pool.query<{ paused: boolean }>(`SELECT bool_or(paused) AS paused FROM connectors.stream_state WHERE connector = 'registry'`)).rows[0]!.paused;

describe('the operator console\'s operations pages', () => {
  it('lets an operator pause and resume a connector, with its health, runs and a link to Bull Board', async () => {
    const page = await browser.signIn('operator');
    expect(await browser.navPages()).toEqual(['connectors']);
    await browser.openPage('connectors');
    const registry = page.locator('[data-connector="registry"]');
    await registry.and(page.locator('[data-paused="false"]')).waitFor();
    await expect(registry.getAttribute('data-health')).resolves.toBe('ok');
    await expect(registry.locator('tr[data-stream="persons"] td').nth(5).textContent()).resolves.toBe('40');
    await expect(page.locator('[data-testid="bull-board"]').getAttribute('href')).resolves.toBe('http://127.0.0.1:4010');
    expect(await browser.seriousViolations()).toEqual([]);
    await browser.screenshot('console-connectors');

    await registry.locator('button[data-action="pause"]').click();
    await page.locator('[data-connector="registry"][data-paused="true"]').waitFor();
    await expect(registry.getAttribute('data-health')).resolves.toBe('paused');
    expect(await pausedInTheDatabase()).toBe(true);
    await expect(registry.locator('button[data-action="run"]').isDisabled()).resolves.toBe(true);
    await browser.screenshot('console-connectors-paused');

    await registry.locator('button[data-action="resume"]').click();
    await page.locator('[data-connector="registry"][data-paused="false"]').waitFor();
    expect(await pausedInTheDatabase()).toBe(false);
    // And it runs again: run now is taken by the worker.
    await registry.locator('button[data-action="run"]').click();
    await page.locator('[data-testid="connector-message"]:has-text("registry")').waitFor();
  }, 90_000);

  it('lets a steward accept a review item, candidates side by side with their evidence, and the graph changes', async () => {
    await browser.signOut();
    const page = await browser.signIn('steward');
    expect(await browser.navPages()).toEqual(['stewardship', 'certificates']);
    await browser.openPage('stewardship');
    const item = page.locator(`[data-testid="review-item"][data-reference="${personRefKey(AMBIGUOUS)}"]`);
    await item.waitFor();
    await expect(item.locator('[data-testid="candidate"]').evaluateAll((cs) => cs.map((c) => c.getAttribute('data-person')).sort())).resolves.toEqual(expect.arrayContaining([A, B]));
    await expect(item.locator(`[data-person="${A}"] .evidence tbody tr`).count()).resolves.toBeGreaterThan(2);
    expect(await browser.seriousViolations()).toEqual([]);
    await browser.screenshot('console-stewardship');
    const before = await asPartner('ministry', `{ person(id: "${A}") { vaccinations { id } } }`);
    expect(before.body.data.person.vaccinations.map((v: { id: string }) => v.id)).toEqual(['vaccination-platform:a1']);

    // No reason, no decision.
    await item.locator(`[data-person="${A}"] button[data-action="accept"]`).click();
    await item.locator('[role="alert"]').waitFor();
    await item.locator('textarea[name="reason"]').fill('Đã gọi điện xác nhận với trạm y tế');
    await item.locator(`[data-person="${A}"] button[data-action="accept"]`).click();
    await page.locator('[data-testid="steward-message"]:has-text("LINKED")').waitFor();
    await page.locator('[data-testid="history"] tr[data-action="LINKED"]').waitFor();
    // Decided: it leaves the queue.
    await item.waitFor({ state: 'detached' });
    const after = await asPartner('ministry', `{ person(id: "${A}") { vaccinations { id } } }`);
    expect(after.body.data.person.vaccinations.map((v: { id: string }) => v.id)).toEqual(['vaccination-platform:a1', 'vaccination-platform:x1']);
    await browser.screenshot('console-stewardship-accepted');
  }, 90_000);

  it('shows an auditor the read just made, and that the log verifies', async () => {
    const read = await asPartner('ministry', `{ person(id: "${A}") { fullName } }`);
    expect(read.body.data.person.fullName).toBe('Nguyễn Văn An');
    await browser.signOut();
    const page = await browser.signIn('auditor');
    expect(await browser.navPages()).toEqual(['audit']);
    await browser.openPage('audit');
    await page.locator('[data-testid="audit-person-form"] input[name="personId"]').fill(A);
    // The entry reaches the chain once the audit subgraph drains the gateway's outbox.
    const row = page.locator(`[data-testid="audit-entries"] tr[data-request="${read.requestId}"]`);
    for (let k = 0; k < 40 && (await row.count()) === 0; k++) {
      await page.locator('[data-testid="audit-person-form"] button[type="submit"]').click();
      await page.waitForTimeout(500);
    }
    await expect(row.textContent()).resolves.toContain(hub.partners.ministry.id);
    await page.locator('button[data-action="verify"]').click();
    await page.locator('[data-testid="verification"][data-ok="true"]').waitFor();
    expect(await browser.seriousViolations()).toEqual([]);
    await browser.screenshot('console-audit');
  }, 90_000);

  it('looks up a person\'s certificate, verifies it, and lets a steward revoke it', async () => {
    const index = Array.from({ length: hub.population.size }, (_, i) => i).find((i) => hub.population.vaccinations(i).length > 0)!;
    const vaccinated = hub.population.person(index);
    await browser.signOut();
    let page = await browser.signIn('ministry');
    await browser.openPage('certificates');
    await page.locator('[data-testid="certificate-lookup"] input[name="personId"]').fill(vaccinated.citizenId);
    await page.locator('[data-testid="certificate-lookup"] button[type="submit"]').click();
    await page.locator('[data-testid="certificate"], [data-testid="certificate-lookup-error"]').first().waitFor({ timeout: 60_000 });
    await expect(page.locator('[data-testid="certificate-lookup-error"]').allTextContents()).resolves.toEqual([]);
    const certificate = page.locator('[data-testid="certificate"]').first();
    const uvci = (await certificate.getAttribute('data-uvci'))!;
    await certificate.locator('button', { hasText: 'Kiểm tra' }).click();
    await page.locator('[data-testid="certificate-verify"] button[type="submit"]').click();
    await page.locator('[data-testid="verification"][data-valid="true"]').waitFor();
    await expect(page.locator('[data-testid="certificate-revoke"]').count()).resolves.toBe(0);
    expect(await browser.seriousViolations()).toEqual([]);
    await browser.screenshot('console-certificates');
    const hc1 = await page.locator('[data-testid="certificate-verify"] textarea').inputValue();

    await browser.signOut();
    page = await browser.signIn('steward');
    await browser.openPage('certificates');
    await expect(page.locator('[data-testid="certificate-lookup"]').count()).resolves.toBe(0);
    await page.locator('[data-testid="certificate-revoke"] input[name="uvci"]').fill(uvci);
    await page.locator('[data-testid="certificate-revoke"] input[name="reason"]').fill('Cấp nhầm trên mũi tiêm sai');
    await page.locator('[data-testid="certificate-revoke"] button[type="submit"]').click();
    await page.locator('[data-testid="revoked"]').waitFor();
    await page.locator('[data-testid="certificate-verify"] textarea').fill(hc1);
    await page.locator('[data-testid="certificate-verify"] button[type="submit"]').click();
    await page.locator('[data-testid="verification"][data-valid="false"] [data-reason="REVOKED"]').waitFor();
    expect(await browser.seriousViolations()).toEqual([]);
    await browser.screenshot('console-certificates-revoked');
    expect(browser.requestsLeavingTheMachine()).toEqual([]);
  }, 150_000);

  it('reads in English and fits a phone\'s screen: tables scroll in their own region, the page does not', async () => {
    const phone = await hub.openBrowser({ width: 390, height: 844 });
    for (const [role, path, heading] of [['operator', 'connectors', 'Connectors'], ['steward', 'stewardship', 'Stewardship'], ['auditor', 'audit', 'Audit']] as const) {
      const page = await phone.signIn(role, { lang: 'en' });
      await phone.openPage(path);
      await expect(page.locator('main h1').textContent()).resolves.toBe(heading);
      await page.locator('main section.panel').first().waitFor();
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect([path, overflow]).toEqual([path, 0]);
      expect(await phone.seriousViolations()).toEqual([]);
      await phone.screenshot(`console-${path}-phone-en`);
      await phone.signOut();
    }
    expect(phone.requestsLeavingTheMachine()).toEqual([]);
  }, 150_000);
});
