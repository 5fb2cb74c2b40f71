// The epidemic control map page of the console (/console/#/control-map) in Debian's Chromium
// against a hub run as processes, as npm start runs it: the layers toggle, the map drills down
// from the province to a district and a ward and opens the ward's list, a province partner gets
// its own province only, nothing leaves the machine, and axe-core finds no serious or critical
// violation. Screenshots are saved under test/screenshots/.
import { EXAMPLE_PROVINCE } from '@health-hub/hub';
import { generateEpidemiology, type Epidemiology } from '@health-hub/simulators';
import { createPool } from '@health-hub/subgraph-kit';
import { seedControlMapLayers } from '../src/control-map-seed';
import { startConsoleHub, type ConsoleBrowser, type ConsoleHub } from '../src/console-hub';

const PERIOD = { from: '2021-08-01', to: '2021-08-31' };
const DAY = '2021-08-20';
const AT = `${DAY}T10:00:00+07:00`;
let hub: ConsoleHub;
let browser: ConsoleBrowser;
let epi: Epidemiology;
let province: string;

/** The province with the most cases in the 14 days ending DAY: the one the test opens. */
function busiestProvince(): string {
  const end = Date.parse(`${DAY}T00:00:00+07:00`) + 86_400_000;
  const recent = new Map<string, number>();
  for (const c of hub.epidemic!.cases) if (Date.parse(c.confirmedAt) < end && Date.parse(c.confirmedAt) >= end - 14 * 86_400_000) recent.set(c.provinceCode, (recent.get(c.provinceCode) ?? 0) + 1);
  return [...recent].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]![0];
}

beforeAll(async () => {
  hub = await startConsoleHub({ epidemic: PERIOD });
  // The layers seedEpidemic leaves out: F1s, checkpoints, lockdowns, check-ins, isolations at home.
  epi = generateEpidemiology({ population: hub.population, ...PERIOD, checkInsPerPersonDay: 1, homeIsolation: PERIOD });
  const pool = createPool({ databaseUrl: hub.databaseUrl, applicationName: 'control-map-test-seed', max: 2 });
  try {
    province = busiestProvince();
    // A lockdown in force over DAY in that province (the generator's are few at this size).
    await seedControlMapLayers(pool, epi, [{
      code: 'PT-TEST', name: 'Phong tỏa thử', provinceCode: province, wardCodes: [epi.homeIsolations.find((h) => h.provinceCode === province)?.wardCode ?? '00001'],
      startsAt: '2021-08-15T00:00:00Z', endsAt: '2021-08-29T00:00:00Z', updatedAt: '2021-08-15T00:00:00Z',
    }]);
  } finally {
    await pool.end();
  }
  browser = await hub.openBrowser();
}, 600_000);
afterAll(async () => {
  await hub?.stop();
});

/** A ward of `province` with isolations at home open at the end of DAY, and its district. */
function wardWithIsolations(province: string): { district: string; ward: string } {
  const end = Date.parse(`${DAY}T00:00:00+07:00`) + 86_400_000;
  const open = epi.homeIsolations.filter((h) => h.provinceCode === province && Date.parse(h.startsAt) < end && Date.parse(h.endsAt) > end);
  if (open.length === 0) throw new Error(`no isolation at home open in province ${province} on ${DAY}: change the day`);
  const ward = open[0]!.wardCode;
  for (let i = 0; i < hub.population.size; i++) {
    const address = hub.population.person(i).addresses.find((a) => a.wardCode === ward);
    if (address) return { district: address.districtCode, ward };
  }
  throw new Error(`no district found for ward ${ward}`);
}

describe('the epidemic control map in the console', () => {
  it('toggles its layers and drills down from the province to a district and a ward, with the ward\'s list', async () => {
    const page = await browser.signIn('ministry', { at: AT });
    await browser.openPage('control-map');
    const map = page.locator('[data-testid="control-map"]');
    await page.waitForSelector('[data-testid="district-table"] tbody tr', { timeout: 60_000 });
    // The busiest province, chosen in the list (a tile of the grid chooses the same way).
    await page.locator('select[name="province"]').selectOption(province);
    await page.waitForSelector(`[data-testid="control-map"][data-province="${province}"] [data-testid="district-table"] tbody tr`);
    await page.waitForSelector('[data-testid="province-grid"][data-rendered="true"]');

    // Layers: facilities are on at first, checkpoints off; each switch shows or hides its layer.
    await page.waitForSelector('[data-layer-list="facilities"] [data-facility]');
    await page.locator('[data-testid="layers"] input[name="facilities"]').uncheck();
    await expect(page.locator('[data-layer-list="facilities"]').count()).resolves.toBe(0);
    await expect(page.locator('[data-layer-list="checkpoints"]').count()).resolves.toBe(0);
    await page.locator('[data-testid="layers"] input[name="checkpoints"]').check();
    await expect(page.locator('[data-testid="checkpoints"] tbody tr').count()).resolves.toBe(epi.checkpoints.filter((c) => c.provinceCode === province).length);
    await expect(page.locator('th[data-layer="patients"]').count()).resolves.toBe(0);
    await page.locator('[data-testid="layers"] input[name="patients"]').check();
    await expect(page.locator('[data-testid="district-table"] th[data-layer="patients"]').count()).resolves.toBe(1);
    await page.locator('[data-testid="layers"] input[name="placesVisited"]').check();
    await page.locator('[data-testid="layers"] input[name="lockdowns"]').check();
    await page.waitForSelector('[data-testid="places-visited"]');
    await page.waitForSelector('[data-testid="lockdowns"] tbody tr');
    await expect(page.locator('[data-testid="lockdowns"] tbody').innerText()).resolves.toContain('Phong tỏa thử');
    await page.locator('[data-testid="layers"] input[name="workplaces"]').check();
    await expect(page.locator('[data-testid="district-table"] th[data-layer="workplaces"]').count()).resolves.toBe(1);
    await page.locator('[data-testid="layers"] input[name="workplaces"]').uncheck();
    await expect(page.locator('th[data-layer="workplaces"]').count()).resolves.toBe(0);
    await page.locator('[data-testid="layers"] input[name="facilities"]').check();
    await page.waitForSelector('[data-layer-list="facilities"] [data-facility]');
    await browser.screenshot('console-control-map');

    // Down to a district, then a ward: its figures and its open isolations at home.
    const { district, ward } = wardWithIsolations(province);
    await page.locator(`[data-testid="district-table"] tr[data-area="${district}"] button`).click();
    await page.waitForSelector(`[data-testid="ward-table"] tr[data-area="${ward}"]`);
    await expect(map.getAttribute('data-district')).resolves.toBe(district);
    await page.locator(`[data-testid="ward-table"] tr[data-area="${ward}"] button`).click();
    await page.waitForSelector('[data-testid="ward-detail"]');
    await expect(map.getAttribute('data-ward')).resolves.toBe(ward);
    await page.waitForSelector('[data-testid="ward-isolations"] tbody tr');
    const open = epi.homeIsolations.filter((h) => h.wardCode === ward && Date.parse(h.startsAt) <= Date.parse(`${DAY}T23:59:59+07:00`) && Date.parse(h.endsAt) > Date.parse(`${DAY}T23:59:59+07:00`));
    await expect(page.locator('[data-testid="ward-isolations"] tbody tr').count()).resolves.toBe(open.length);
    // The list names no one: no citizen ID appears on the page.
    const text = await page.locator('main').innerText();
    for (const h of epi.homeIsolations) expect(text).not.toContain(h.citizenId);
    await browser.screenshot('console-control-map-ward');

    expect(await browser.seriousViolations()).toEqual([]);
    expect(browser.requestsLeavingTheMachine()).toEqual([]);
    await browser.signOut();
  }, 240_000);

  it("shows a province partner its own province's map only", async () => {
    const page = await browser.signIn('province', { at: AT });
    await browser.openPage('control-map');
    await page.waitForSelector(`[data-testid="control-map"][data-province="${EXAMPLE_PROVINCE}"] [data-testid="district-table"]`);
    // No province to choose: the partner's own is the map's.
    await expect(page.locator('select[name="province"]').count()).resolves.toBe(0);
    expect(await browser.seriousViolations()).toEqual([]);
    await browser.screenshot('console-control-map-province-partner');
    await browser.signOut();
  }, 120_000);
});
