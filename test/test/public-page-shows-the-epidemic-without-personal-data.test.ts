// The public epidemic page (/public/) in Debian's Chromium against a hub run as npm start runs
// it (the migrate job, then each service a process of its own): its charts and map draw the
// hub's figures, a province drills down to its wards with small counts coarsened, no request
// leaves the machine, axe-core finds no serious or critical violation, and nothing it received
// names a person: no citizen ID, old ID, name, phone or address line of the population.
import { hubClient } from '@health-hub/hub';
import { PROVINCES } from '@health-hub/simulators';
import { seriousViolations, staysOnThisMachine, type Browser } from '../src/browser';
import { startConsoleHub, type ConsoleHub } from '../src/console-hub';
import { localDate, type seedEpidemic } from '../src/epidemic';
import { query } from '../src/graphql-client';

const PERIOD = { from: '2021-08-01', to: '2021-08-31' };
const PUBLIC_LIMIT = 30;
let day: string;
let hub: ConsoleHub;
let browser: Browser;
let epi: Awaited<ReturnType<typeof seedEpidemic>>;
let population: ConsoleHub['population'];

/** Counts the pixels of a chart's canvas that are not background: the chart drew something. */
async function drawnPixels(testId: string): Promise<number> {
  return browser.page.locator(`[data-testid="${testId}"] canvas`).first().evaluate((canvas: HTMLCanvasElement) => {
    const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
    let drawn = 0;
    for (let i = 0; i < data.length; i += 4) if (data[i + 3]! > 0 && !(data[i]! > 240 && data[i + 1]! > 240 && data[i + 2]! > 240)) drawn += 1;
    return drawn;
  });
}

/**
 * Counts a chart's coloured pixels inside its plot, above the bottom axis and below the legend:
 * the series' bars and lines where they rise above zero (axes, grid and labels are grey).
 */
async function seriesPixels(testId: string): Promise<number> {
  return browser.page.locator(`[data-testid="${testId}"] canvas`).first().evaluate((canvas: HTMLCanvasElement) => {
    const scale = canvas.height / canvas.clientHeight;
    // The plot's box as `timeSeries` lays it out (top 36, bottom 28), less a zero line and its dots.
    const top = Math.ceil(36 * scale), bottom = Math.floor(canvas.height - (28 + 8) * scale);
    const { data } = canvas.getContext('2d')!.getImageData(0, top, canvas.width, bottom - top);
    let coloured = 0;
    for (let i = 0; i < data.length; i += 4) if (data[i + 3]! > 0 && Math.max(data[i]!, data[i + 1]!, data[i + 2]!) - Math.min(data[i]!, data[i + 1]!, data[i + 2]!) > 60) coloured += 1;
    return coloured;
  });
}

beforeAll(async () => {
  // Few public requests a minute per address, so the last test can reach the limit.
  hub = await startConsoleHub({
    population: { seed: 23, size: 3_000 },
    epidemic: PERIOD,
    gatewayEnv: { HUB_PUBLIC_TODAY: PERIOD.to, HUB_PUBLIC_REQUESTS_PER_MINUTE: String(PUBLIC_LIMIT) },
  });
  population = hub.population;
  epi = hub.epidemic!;
  // The page opens on the period's last day; the test reads the period's last day that has cases.
  day = epi.cases.map((c) => localDate(c.confirmedAt)).filter((d) => d <= PERIOD.to).sort().at(-1)!;
  browser = await hub.openBrowser();
}, 600_000);
afterAll(async () => {
  await hub?.stop();
});

describe('the public epidemic page', () => {
  it("shows the day's national figures, four charts and the risk map, drawn from the hub", async () => {
    const { page } = browser;
    await page.goto(`${hub.gatewayUrl}/public/?date=${day}`);
    await page.waitForSelector('[data-testid="risk-map"][data-rendered="true"]');
    for (const chart of ['chart-cases', 'chart-outcomes', 'chart-tests', 'chart-doses']) await page.waitForSelector(`[data-testid="${chart}"][data-rendered="true"]`);
    expect(await page.locator('html').getAttribute('lang')).toBe('vi');
    await expect(page.locator('h1').textContent()).resolves.toBe('Tình hình dịch COVID-19');

    // The day's new cases as counted from the generated records.
    const newToday = epi.cases.filter((c) => localDate(c.confirmedAt) === day).length;
    expect(newToday).toBeGreaterThan(0);
    expect(await page.locator('[data-testid="figure-new-cases"] .figure-value').textContent()).toBe(new Intl.NumberFormat('vi-VN').format(newToday));
    // Each chart drew more than axes: its series rise above zero.
    const drawn: Array<[string, number]> = [];
    for (const chart of ['chart-cases', 'chart-outcomes', 'chart-tests', 'chart-doses']) drawn.push([chart, await seriesPixels(chart)]);
    for (const [chart, pixels] of drawn) expect([chart, pixels > 0]).toEqual([chart, true]);
    expect(await drawnPixels('chart-cases')).toBeGreaterThan(2_000);
    expect(await drawnPixels('risk-map')).toBeGreaterThan(20_000);
    // Every province has a report status for the day.
    expect(await page.locator('[data-testid="reports"] tbody tr').count()).toBe(63);
    // The bundle (mostly the chart library) comes gzipped from the hub.
    const bundle = browser.responses.find((r) => /\/public\/assets\/.+\.js$/.test(r.url()));
    expect(bundle?.headers()['content-encoding']).toBe('gzip');
    await browser.screenshot('public-page');
  }, 90_000);

  it('drills down from a province to its districts and wards, small ward counts coarsened', async () => {
    const { page } = browser;
    // The province with the most cases in the week, so its wards have some.
    const since = new Date(Date.parse(`${day}T00:00:00Z`) - 6 * 86_400_000).toISOString().slice(0, 10);
    const byProvince = new Map<string, number>();
    for (const c of epi.cases.filter((c) => localDate(c.confirmedAt) >= since && localDate(c.confirmedAt) <= day)) byProvince.set(c.provinceCode, (byProvince.get(c.provinceCode) ?? 0) + 1);
    const [province] = [...byProvince].sort((a, b) => b[1] - a[1])[0]!;
    const areas = page.waitForResponse((r) => r.url().includes(`/public/api/areas?province=${province}`));
    await page.locator(`[data-province="${province}"] button`).click();
    const body = await (await areas).json();
    await page.waitForSelector('[data-testid="areas"] .district-row');
    const wards = body.districts.flatMap((d: { wards: Array<{ casesLast7Days: number | null; suppressed: boolean; residents: number }> }) => d.wards);
    const districtOf = new Map<string, string>(body.districts.flatMap((d: { code: string; wards: Array<{ code: string }> }) => d.wards.map((w) => [w.code, d.code])));
    expect(wards.length).toBeGreaterThan(0);
    for (const ward of wards) {
      if (ward.casesLast7Days !== null) expect(ward.casesLast7Days === 0 || ward.casesLast7Days >= 5).toBe(true);
      expect(ward.residents % 100).toBe(0);
    }
    // The hub's own figures, as a nationwide partner reads them: wards with 1 to 4 cases show as "< 5".
    const full = await query(hubClient(hub.gatewayUrl, hub.partners.ministry.apiKey, 'ministry'), `query($date: Date!, $p: ProvinceCode!) { riskMap(date: $date, provinceCode: $p) { districts { code wards { code casesLast7Days communityCasesLast7Days } } } }`, { date: day, p: province });
    type Counts = { code: string; casesLast7Days: number; communityCasesLast7Days: number };
    const truth: Array<{ code: string; wards: Counts[] }> = full.data.riskMap[0].districts;
    const small = truth.flatMap((d) => d.wards).filter((w) => w.casesLast7Days > 0 && w.casesLast7Days < 5);
    expect(small.length).toBeGreaterThan(0);
    // A district with a single small ward is there, the case a difference would give away.
    const isSmall = (n: number) => n > 0 && n < 5;
    expect(truth.filter((d) => d.wards.filter((w) => isSmall(w.casesLast7Days) || isSmall(w.communityCasesLast7Days)).length === 1).length).toBeGreaterThan(0);
    // No hidden ward's count is its district's published total minus its shown wards', and none carries a level.
    type Shown = { code: string; level: string | null; casesLast7Days: number | null; communityCasesLast7Days: number | null; suppressed: string | null };
    const recovered: string[] = [];
    for (const d of body.districts as Array<{ code: string; casesLast7Days: number | null; communityCasesLast7Days: number | null; wards: Shown[] }>) {
      const counts = new Map(truth.find((t) => t.code === d.code)!.wards.map((w) => [w.code, w]));
      const hidden = d.wards.filter((w) => w.suppressed);
      for (const w of hidden) expect([w.code, w.level, w.casesLast7Days, w.communityCasesLast7Days]).toEqual([w.code, null, null, null]);
      for (const measure of ['casesLast7Days', 'communityCasesLast7Days'] as const) {
        if (d[measure] === null) continue;
        const difference = d[measure]! - d.wards.reduce((n, w) => n + (w[measure] ?? 0), 0);
        // A hidden community count of 0 beside other zeros says nothing new.
        for (const w of hidden) if (counts.get(w.code)![measure] === difference && (measure === 'casesLast7Days' || difference > 0)) recovered.push(`${d.code}/${w.code}.${measure}`);
      }
    }
    expect(recovered).toEqual([]);
    for (const ward of small.slice(0, 5)) {
      // A district opens to show its wards.
      const district = page.locator(`[data-district="${districtOf.get(ward.code)}"] button`);
      if ((await district.getAttribute('aria-expanded')) !== 'true') await district.click();
      await expect(page.locator(`[data-ward="${ward.code}"] td`).nth(1).textContent()).resolves.toBe('< 5');
    }
    await browser.screenshot('public-page-province');
  }, 60_000);

  it('reads in English too', async () => {
    const { page } = browser;
    await page.getByLabel('Ngôn ngữ').selectOption('en');
    await expect(page.locator('h1').textContent()).resolves.toBe('COVID-19 situation');
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    await browser.screenshot('public-page-en');
  });

  it("fits a phone's screen: nothing wider than the viewport", async () => {
    const { page } = browser;
    await page.setViewportSize({ width: 390, height: 844 });
    await page.waitForTimeout(300); // the charts follow their boxes' new width
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await browser.screenshot('public-page-phone');
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it('has no serious or critical accessibility violation (axe-core)', async () => {
    const { page } = browser;
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('makes no request that leaves the machine', () => {
    expect(browser.requests.length).toBeGreaterThan(3);
    expect(browser.requests.filter((url) => !staysOnThisMachine(url))).toEqual([]);
  });

  it("carries no citizen ID, name, phone or address in any response the page received", async () => {
    const bodies: string[] = [];
    for (const response of browser.responses) {
      if (!response.url().startsWith(hub.gatewayUrl)) continue;
      bodies.push((await response.body().catch(() => Buffer.alloc(0))).toString('utf8'));
    }
    const text = bodies.join('\n');
    expect(text).toContain('"daily"');
    // Every run of 9 or more digits (IDs, phones) and every name and address line of the population.
    const digitRuns = new Set(text.match(/\d{9,}/g) ?? []);
    const found: string[] = [];
    for (let i = 0; i < population.size; i++) {
      const p = population.person(i);
      for (const id of [p.citizenId, p.oldId, p.phone]) if (id && digitRuns.has(id)) found.push(id);
      if (text.includes(p.fullName)) found.push(p.fullName);
      for (const a of p.addresses) if (text.includes(a.line)) found.push(a.line);
    }
    expect(found).toEqual([]);
  });

  it("answers anonymous callers with aggregates only and each province's report status, and refuses a bad day", async () => {
    const ok = await fetch(`${hub.gatewayUrl}/public/api/situation?date=${day}&days=7`, { headers: { 'accept-encoding': 'gzip' } });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-encoding')).toBe('gzip');
    const body = await ok.json();
    expect(Object.keys(body.daily[0]).sort()).toEqual(['communityCases', 'date', 'deaths', 'dosesGiven', 'inQuarantine', 'newCases', 'provinceCode', 'quarantineCases', 'recoveries', 'testsDone']);
    expect(body.daily).toHaveLength(63 * 7);
    // A day's report status of every province from the provinces' submissions: before 18:00,
    // after it (late, that evening or the next morning), or never (missing).
    const statusesOn = (date: string) => PROVINCES.map((p) => {
      const sent = epi.submissions.find((s) => s.provinceCode === p.code && s.date === date);
      return { provinceCode: p.code, status: !sent ? 'MISSING' : Date.parse(sent.submittedAt) < Date.parse(`${date}T18:00:00+07:00`) ? 'ON_TIME' : 'LATE' };
    });
    const reportDay = Array.from({ length: 31 }, (_, i) => `2021-08-${String(i + 1).padStart(2, '0')}`)
      .find((date) => new Set(statusesOn(date).map((r) => r.status)).size === 3)!;
    expect(reportDay).toBeDefined();
    const reports = (await (await fetch(`${hub.gatewayUrl}/public/api/situation?date=${reportDay}&days=1`)).json()).reports;
    expect(reports.map((r: { provinceCode: string; status: string }) => ({ provinceCode: r.provinceCode, status: r.status }))).toEqual(statusesOn(reportDay));
    const bad = await fetch(`${hub.gatewayUrl}/public/api/situation?date=31-08-2021`);
    expect(bad.status).toBe(400);
    expect((await bad.json()).errors[0].extensions.code).toBe('HUB_GATEWAY_BAD_REQUEST');
  });

  it("refuses a day outside the epidemic's span (2020-01-01 to the hub's today) and a window not in the fixed few, saying what is allowed", async () => {
    const refusals: Array<{ path: string; status: number; code?: string; allowed?: unknown; message?: string }> = [];
    for (const path of [
      'situation?date=0001-01-01', 'situation?date=2019-12-31', 'situation?date=2021-09-01', 'situation?date=9999-12-31',
      `situation?date=${day}&days=3`, `situation?date=${day}&days=93`, `situation?date=${day}&days=7.5`,
      'areas?province=79&date=2019-12-31', 'areas?province=79&date=2021-09-01',
    ]) {
      const response = await fetch(`${hub.gatewayUrl}/public/api/${path}`);
      const error = (await response.json()).errors?.[0];
      refusals.push({ path, status: response.status, code: error?.extensions.code, allowed: error?.extensions.allowed, message: error?.message });
    }
    const range = { date: { from: '2020-01-01', to: PERIOD.to } };
    expect(refusals.map(({ path, status, code, allowed }) => ({ path, status, code, allowed }))).toEqual([
      ...['situation?date=0001-01-01', 'situation?date=2019-12-31', 'situation?date=2021-09-01', 'situation?date=9999-12-31'].map((path) => ({ path, status: 400, code: 'HUB_GATEWAY_BAD_REQUEST', allowed: range })),
      ...[`situation?date=${day}&days=3`, `situation?date=${day}&days=93`, `situation?date=${day}&days=7.5`].map((path) => ({ path, status: 400, code: 'HUB_GATEWAY_BAD_REQUEST', allowed: { days: [1, 7, 14, 31, 92] } })),
      ...['areas?province=79&date=2019-12-31', 'areas?province=79&date=2021-09-01'].map((path) => ({ path, status: 400, code: 'HUB_GATEWAY_BAD_REQUEST', allowed: range })),
    ]);
    expect(refusals[0]!.message).toBe(`\`date\` must be a day from 2020-01-01 to ${PERIOD.to}, yyyy-MM-dd.`);
    expect(refusals[4]!.message).toBe('`days` must be one of 1, 7, 14, 31, 92.');
    // The span's ends themselves answer.
    for (const path of [`situation?date=2020-01-01&days=7`, `situation?date=${PERIOD.to}&days=92`]) expect([path, (await fetch(`${hub.gatewayUrl}/public/api/${path}`)).status]).toEqual([path, 200]);
  });

  it('refuses an address that asks too often, with a coded 429', async () => {
    const statuses: number[] = [];
    let refused: { errors?: Array<{ extensions: { code: string } }>; code?: string } | undefined;
    for (let i = 0; i <= PUBLIC_LIMIT; i++) {
      const response = await fetch(`${hub.gatewayUrl}/public/api/situation?date=${day}&days=7`);
      statuses.push(response.status);
      if (response.status === 429) refused = await response.json();
    }
    expect(statuses).toContain(429);
    expect(statuses.slice(0, statuses.indexOf(429)).every((s) => s === 200)).toBe(true);
    expect(JSON.stringify(refused)).toContain('HUB_GATEWAY_RATE_LIMITED');
  });
});
