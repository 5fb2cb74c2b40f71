// GraphiQL on a local hub, in Debian's Chromium: it opens with the developer partner's headers
// and an example person who exists, so running the example answers with that person at once.
import { developerKey, migrateAll, seedPopulation, startInProcessHub, type InProcessHub } from '@health-hub/hub';
import { createPopulation } from '@health-hub/simulators';
import { freshDatabase } from '@health-hub/subgraph-kit/testing';
import { openBrowser, staysOnThisMachine, type Browser } from '../src/browser';

const population = createPopulation({ seed: 2021, size: 200 });
const person = population.person(0);
let db: Awaited<ReturnType<typeof freshDatabase>>;
let hub: InProcessHub;
let browser: Browser;

beforeAll(async () => {
  db = await freshDatabase();
  await migrateAll(db.url);
  const apiKey = await developerKey(db.url);
  hub = await startInProcessHub({
    databaseUrl: db.url,
    gateway: { graphiql: { exampleCitizenId: person.citizenId, headers: { authorization: `Bearer ${apiKey}`, 'x-hub-purpose': 'epidemic-prevention' } } },
  });
  await seedPopulation({ databaseUrl: db.url, population, kinds: ['persons'] });
  browser = await openBrowser();
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await hub?.stop();
  await db?.drop();
});

test('running the example query answers with the example person, headers already in place', async () => {
  const { page } = browser;
  await page.goto(`${hub.gatewayUrl}/graphiql`);
  const answer = page.waitForResponse((r) => r.url().endsWith('/graphql') && r.request().method() === 'POST' && (r.request().postData() ?? '').includes('Person360'));
  await page.locator('.graphiql-execute-button').click();
  const response = await answer;
  expect(response.status()).toBe(200);
  expect(response.request().headers()['x-hub-purpose']).toBe('epidemic-prevention');
  const body = await response.json();
  expect(body.errors).toBeUndefined();
  expect(body.data.person).toMatchObject({ id: person.citizenId, fullName: person.fullName });
  await browser.screenshot('graphiql');
  expect(browser.requests.filter((url) => !staysOnThisMachine(url))).toEqual([]);
}, 60_000);
