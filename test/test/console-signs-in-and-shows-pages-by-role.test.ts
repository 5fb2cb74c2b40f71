// The operator console (/console/) in Debian's Chromium against a hub run as processes, as npm
// start runs it: sign-in with a partner's ID, API key and purpose through the token endpoint,
// the nav by role, sign-out, the daily reports against 18:00 on a fixed clock, a province
// partner seeing only its province, operations sent as hashes of the published manifest only,
// no request leaving the machine, and no serious or critical accessibility violation.
import { createPartner, operationHash } from '@health-hub/access';
import { consoleOperationsManifest } from '@health-hub/console';
import { EXAMPLE_PROVINCE } from '@health-hub/hub';
import { PURPOSES } from '@health-hub/schema';
import { PROVINCES } from '@health-hub/simulators';
import { createPool } from '@health-hub/subgraph-kit';
import { startConsoleHub, type ConsoleBrowser, type ConsoleHub } from '../src/console-hub';
import { localDate } from '../src/epidemic';

let hub: ConsoleHub;
let browser: ConsoleBrowser;
/** Every body the console posted to /graphql. */
const graphqlBodies: Array<Record<string, unknown>> = [];

beforeAll(async () => {
  hub = await startConsoleHub();
  browser = await hub.openBrowser();
  browser.context.on('request', (request) => {
    if (request.url().endsWith('/graphql') && request.method() === 'POST') graphqlBodies.push(JSON.parse(request.postData() ?? '{}'));
  });
}, 600_000);
afterAll(async () => {
  await hub?.stop();
});

/** A day of the generated epidemic on which some provinces sent on time, some late and some never. */
function dayWithEveryStatus(): { day: string; sentBefore: Set<string>; notBefore: Set<string> } {
  const submissions = hub.epidemic!.submissions;
  for (let d = 31; d >= 1; d--) {
    const day = `2021-08-${String(d).padStart(2, '0')}`;
    const deadline = Date.parse(`${day}T18:00:00+07:00`);
    const sent = new Map(submissions.filter((s) => s.date === day).map((s) => [s.provinceCode, Date.parse(s.submittedAt)]));
    const sentBefore = new Set([...sent].filter(([, at]) => at < deadline).map(([p]) => p));
    const notBefore = new Set(PROVINCES.map((p) => p.code).filter((p) => !sentBefore.has(p)));
    if (sentBefore.size > 0 && notBefore.size > 0) return { day, sentBefore, notBefore };
  }
  throw new Error('no day with provinces both on time and late');
}

describe('the operator console', () => {
  it('signs in a ministry partner with its ID, key and purpose, keeps only a token in session storage, and shows the pages its scopes allow', async () => {
    const page = await browser.signIn('ministry');
    expect(await browser.navPages()).toEqual(['daily-reports', 'control-map', 'certificates']);
    await expect(page.locator('[data-testid="partner"]').textContent()).resolves.toContain(hub.partners.ministry.id);
    const stored = await page.evaluate(() => ({ session: Object.entries(sessionStorage), local: Object.entries(localStorage), cookie: document.cookie }));
    expect(stored.local).toEqual([]);
    expect(stored.cookie).toBe('');
    expect(stored.session).toHaveLength(1);
    const session = JSON.parse(stored.session[0]![1]);
    expect(session).toMatchObject({ partnerId: hub.partners.ministry.id, purpose: 'epidemic-prevention', province: null });
    expect(session.accessToken.split('.')).toHaveLength(3);
    // The API key itself is kept nowhere.
    expect(JSON.stringify(stored)).not.toContain(hub.partners.ministry.apiKey);
    await browser.screenshot('console-signed-in');
  }, 60_000);

  it('shows an auditor and a steward no daily reports, and refuses the page by its address', async () => {
    const pagesOf = { auditor: ['audit'], steward: ['stewardship', 'certificates'] };
    for (const role of ['auditor', 'steward'] as const) {
      await browser.signOut();
      const page = await browser.signIn(role);
      expect([role, await browser.navPages()]).toEqual([role, pagesOf[role]]);
      await page.goto(`${hub.gatewayUrl}/console/#/daily-reports`);
      await page.waitForSelector('[data-testid="not-allowed"]');
    }
  }, 60_000);

  it('refuses a wrong key and a purpose the partner is not granted, saying which', async () => {
    await browser.signOut();
    const { page } = browser;
    const form = page.locator('[data-testid="sign-in"]');
    // Every purpose of the hub can be chosen.
    expect(await form.locator('select[name="purpose"] option').evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value))).toEqual([...PURPOSES]);
    await form.locator('input[name="partner"]').fill(hub.partners.ministry.id);
    await form.locator('input[name="key"]').fill(`${hub.partners.ministry.apiKey}x`);
    await form.locator('button[type="submit"]').click();
    await expect(page.locator('[data-testid="sign-in-error"]').textContent()).resolves.toBe('Sai mã đối tác hoặc khóa API.');
    await form.locator('input[name="key"]').fill(hub.partners.ministry.apiKey);
    await form.locator('select[name="purpose"]').selectOption('audit');
    await form.locator('button[type="submit"]').click();
    await page.waitForSelector('[data-testid="sign-in-error"]:has-text("Phòng, chống dịch")');
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
    await browser.screenshot('console-sign-in-refused');
  }, 60_000);

  it('shows a province that has not sent its report as late at 18:01, and as not yet due at 17:59', async () => {
    const { day, sentBefore, notBefore } = dayWithEveryStatus();
    const statusesAt = async (time: string) => {
      await browser.signOut().catch(() => undefined);
      const page = await browser.signIn('ministry', { at: `${day}T${time}:00+07:00` });
      await browser.openPage('daily-reports');
      await page.waitForSelector(`[data-testid="daily-reports"][data-day="${day}"] tbody tr`);
      return new Map(await page.locator('[data-testid="daily-reports"] tbody tr').evaluateAll((rows) => rows.map((r) => [r.getAttribute('data-province')!, r.getAttribute('data-status')!] as [string, string])));
    };
    const at1801 = await statusesAt('18:01');
    expect(at1801.size).toBe(63);
    for (const p of sentBefore) expect([p, at1801.get(p)]).toEqual([p, 'ON_TIME']);
    for (const p of notBefore) expect([p, at1801.get(p)]).toEqual([p, 'MISSING']);
    const late = browser.page.locator(`[data-testid="daily-reports"] tr[data-province="${[...notBefore][0]}"]`);
    await expect(late.locator('.status-badge').textContent()).resolves.toBe('Muộn, chưa nộp');
    // Highlighted: the late row's background differs from an on-time row's.
    const background = (p: string) => browser.page.locator(`tr[data-province="${p}"]`).evaluate((r) => getComputedStyle(r).backgroundColor);
    expect(await background([...notBefore][0]!)).not.toBe(await background([...sentBefore][0]!));
    expect(await browser.seriousViolations()).toEqual([]);
    await browser.screenshot('console-daily-reports-1801');
    const at1759 = await statusesAt('17:59');
    for (const p of notBefore) expect([p, at1759.get(p)]).toEqual([p, 'DUE']);
  }, 90_000);

  it("opens a province's report of the day and its 31 days of history, each day judged as it stood at 18:01", async () => {
    const { day, notBefore } = dayWithEveryStatus();
    const at = Date.parse(`${day}T18:01:00+07:00`);
    const province = [...notBefore][0]!;
    await browser.signOut();
    const page = await browser.signIn('ministry', { at: `${day}T18:01:00+07:00` });
    await browser.openPage('daily-reports');
    await page.locator(`[data-testid="daily-reports"] tr[data-province="${province}"] button`).click();
    await page.waitForSelector(`[data-testid="province-report"][data-province="${province}"] [data-testid="report-history"] tbody tr`);
    const history = new Map(await page.locator('[data-testid="report-history"] tbody tr').evaluateAll((rows) => rows.map((r) => [r.getAttribute('data-date')!, r.getAttribute('data-status')!] as [string, string])));
    expect(history.size).toBe(31);
    const expected = new Map([...history.keys()].map((date) => {
      const sent = hub.epidemic!.submissions.find((s) => s.provinceCode === province && s.date === date);
      const sentAt = sent ? Date.parse(sent.submittedAt) : Infinity;
      const deadline = Date.parse(`${date}T18:00:00+07:00`);
      return [date, sentAt <= at ? (sentAt < deadline ? 'ON_TIME' : 'LATE') : deadline <= at ? 'MISSING' : 'DUE'];
    }));
    expect(history).toEqual(expected);
    expect(history.get(day)).toBe('MISSING');
    // The day's figures as the hub counts them.
    const newToday = hub.epidemic!.cases.filter((c) => c.provinceCode === province && localDate(c.confirmedAt) === day).length;
    await expect(page.locator('[data-testid="report-form"] [data-field="newCases"]').textContent()).resolves.toBe(String(newToday));
    expect(await browser.seriousViolations()).toEqual([]);
    await browser.screenshot('console-province-report');
  }, 60_000);

  it('subscribes a nationwide partner to new-case pushes, shows the signing key once, and unsubscribes it', async () => {
    const { page } = browser;
    const pushes = page.locator('[data-testid="new-case-pushes"]');
    await pushes.waitFor();
    const url = 'http://127.0.0.1:9/new-cases';
    await pushes.locator('input[name="url"]').fill(url);
    await pushes.locator('select[name="province"]').selectOption(EXAMPLE_PROVINCE);
    await pushes.locator('form button[type="submit"]').click();
    await page.waitForSelector('[data-testid="push-secret"] code');
    expect((await page.locator('[data-testid="push-secret"] code').textContent())!.length).toBeGreaterThan(20);
    const item = pushes.locator('li', { hasText: url });
    await expect(item.textContent()).resolves.toContain('Hồ Chí Minh');
    await item.locator('button').click();
    await pushes.locator('li', { hasText: url }).waitFor({ state: 'detached' });
  }, 60_000);

  it('shows a province partner only its own province', async () => {
    await browser.signOut();
    const page = await browser.signIn('province', { at: '2021-08-31T18:01:00+07:00' });
    await expect(page.locator('[data-testid="scope-area"]').textContent()).resolves.toContain('Hồ Chí Minh');
    await browser.openPage('daily-reports');
    await page.waitForSelector('[data-testid="daily-reports"] tbody tr');
    const provinces = await page.locator('[data-testid="daily-reports"] tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-province')));
    expect(provinces).toEqual([EXAMPLE_PROVINCE]);
    // Its own report is open, and it cannot subscribe to new cases (nationwide partners only).
    await page.waitForSelector(`[data-testid="province-report"][data-province="${EXAMPLE_PROVINCE}"] [data-testid="report-history"]`);
    await page.locator('[data-testid="new-case-pushes"]').waitFor();
    expect(await page.locator('[data-testid="subscribe"]').count()).toBe(0);
    await browser.screenshot('console-province-partner');
  }, 60_000);

  it("lets a province partner send its own report of the day from the report's form", async () => {
    // A day of the period on which the province had sent nothing: the form offers to send it.
    const sentDays = new Set(hub.epidemic!.submissions.filter((s) => s.provinceCode === EXAMPLE_PROVINCE).map((s) => s.date));
    const day = Array.from({ length: 31 }, (_, i) => `2021-08-${String(31 - i).padStart(2, '0')}`).find((d) => !sentDays.has(d))!;
    expect(day).toBeDefined();
    await browser.signOut();
    const page = await browser.signIn('province', { at: `${day}T17:30:00+07:00` });
    await browser.openPage('daily-reports');
    const form = page.locator(`[data-testid="province-report"][data-province="${EXAMPLE_PROVINCE}"]`);
    await form.locator('[data-testid="send-report"]').click();
    await form.locator('[data-testid="report-sent"]').waitFor();
    // Sent: the form no longer offers it, and the graph has the sending (judged by the server's clock).
    await form.locator('[data-testid="report-history"]').waitFor();
    expect(await form.locator('[data-testid="send-report"]').count()).toBe(0);
    const answer = await (await fetch(`${hub.gatewayUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${hub.partners.ministry.apiKey}`, 'x-hub-purpose': 'epidemic-prevention' },
      body: JSON.stringify({ query: 'query ($d: Date!, $p: ProvinceCode!) { dailyReports(from: $d, to: $d, provinceCode: $p) { submittedAt } }', variables: { d: day, p: EXAMPLE_PROVINCE } }),
    })).json();
    expect(answer.data.dailyReports[0].submittedAt).toEqual(expect.any(String));
    expect(await browser.seriousViolations()).toEqual([]);
    await browser.screenshot('console-report-sent');
  }, 120_000);

  it('sends only the hashes of operations in the published manifest', () => {
    const manifest = consoleOperationsManifest()!;
    const published = new Set(manifest.operations.map((o) => o.id));
    expect(graphqlBodies.length).toBeGreaterThan(0);
    for (const body of graphqlBodies) {
      expect(body.query).toBeUndefined();
      expect(published.has((body.extensions as { persistedQuery: { sha256Hash: string } }).persistedQuery.sha256Hash)).toBe(true);
    }
  });

  it("runs the console's published operations for a partner limited to trusted operations, and refuses any other", async () => {
    const pool = createPool({ databaseUrl: hub.databaseUrl, applicationName: 'console-test', max: 1 });
    const { apiKey } = await createPartner(pool, { id: 'trusted-only-ministry', name: 'Trusted only', role: 'ministry', trustedOperationsOnly: true }).finally(() => pool.end());
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${apiKey}`, 'x-hub-purpose': 'epidemic-prevention' };
    const post = async (body: unknown) => {
      const response = await fetch(`${hub.gatewayUrl}/graphql`, { method: 'POST', headers, body: JSON.stringify(body) });
      return { status: response.status, body: await response.json() as { data?: unknown; errors?: Array<{ extensions?: { code?: string } }> } };
    };
    const operation = consoleOperationsManifest()!.operations.find((o) => o.name === 'ConsoleDailyReports')!;
    const variables = { from: '2021-08-31', to: '2021-08-31' };
    const published = await post({ operationName: operation.name, variables, extensions: { persistedQuery: { version: 1, sha256Hash: operation.id } } });
    expect(published.status).toBe(200);
    expect((published.body.data as { dailyReports: unknown[] }).dailyReports).toHaveLength(63);
    // A console-like operation that is not in the manifest: its hash is unknown, its text refused.
    const other = operation.body.replace('newCases', 'newCases communityCases');
    const byHash = await post({ variables, extensions: { persistedQuery: { version: 1, sha256Hash: operationHash(other) } } });
    expect(byHash.body.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    const byText = await post({ query: other, variables });
    expect([byText.status, byText.body.errors?.[0]?.extensions?.code]).toEqual([403, 'HUB_GATEWAY_OPERATION_NOT_TRUSTED']);
  }, 30_000);

  it('has no serious or critical accessibility violation on the sign-in form, and makes no request that leaves the machine', async () => {
    await browser.signOut();
    expect(await browser.seriousViolations()).toEqual([]);
    await browser.screenshot('console-sign-in');
    expect(browser.requests.length).toBeGreaterThan(5);
    expect(browser.requestsLeavingTheMachine()).toEqual([]);
  }, 30_000);
});
