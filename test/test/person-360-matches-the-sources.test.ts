import { freshDatabase } from '@health-hub/subgraph-kit/testing';
import { seedPopulation, startInProcessHub, type InProcessHub } from '@health-hub/hub';
import { createPopulation, type Population } from '@health-hub/simulators';
import { PERSON_360, query } from '../src/graphql-client';

const SIZE = 400;

describe('person-360 through the gateway', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let hub: InProcessHub;
  let population: Population;

  beforeAll(async () => {
    db = await freshDatabase();
    population = createPopulation({ seed: 7, size: SIZE });
    hub = await startInProcessHub({ databaseUrl: db.url });
    await seedPopulation({ databaseUrl: db.url, population, batchPeople: 150 });
  });
  afterAll(async () => {
    await hub?.stop();
    await db?.drop();
  });

  /** What the graph must show for person i, computed from the generator alone. */
  function expected(i: number) {
    const p = population.person(i);
    const linked = <T extends { personRef: { kind: string } }>(records: T[]) => records.filter((r) => r.personRef.kind === 'CITIZEN_ID');
    const card = population.insuranceCard(i);
    return {
      id: p.citizenId,
      fullName: p.fullName,
      familyName: p.familyName,
      middleName: p.middleName,
      givenName: p.givenName,
      sex: p.sex,
      birthDate: p.birthDate,
      birthYear: p.birthYear,
      phone: p.phone,
      oldIds: p.oldId ? [{ kind: 'CMND', number: p.oldId }] : [],
      addresses: p.addresses.map((a) => ({ kind: a.kind, provinceCode: a.provinceCode, districtCode: a.districtCode, wardCode: a.wardCode, line: a.line })),
      vaccinations: linked(population.vaccinations(i))
        .sort((a, b) => a.administeredOn.localeCompare(b.administeredOn) || a.doseNumber - b.doseNumber)
        .map((v) => ({
          id: `${v.source}:${v.sourceRecordId}`,
          doseNumber: v.doseNumber,
          vaccine: v.vaccine.toUpperCase().replace(/[^A-Z]+/g, '_'),
          lot: v.lot,
          administeredOn: v.administeredOn,
          siteProvinceCode: v.siteProvinceCode,
        })),
      testResults: linked(population.testResults(i))
        .sort((a, b) => b.sampledAt.localeCompare(a.sampledAt))
        .map((t) => ({
          id: `${t.source}:${t.sourceRecordId}`,
          method: t.method,
          result: t.result,
          sampledAt: new Date(t.sampledAt).toISOString(),
          lab: { id: t.labId, name: t.labName },
          pooledSample: t.poolId ? { id: t.poolId } : null,
        })),
      healthInsurance: card && card.personRef.kind === 'CITIZEN_ID'
        ? { cardNumber: card.cardNumber, socialInsuranceCode: card.socialInsuranceCode, validFrom: card.validFrom, validTo: card.validTo, registeredClinic: card.registeredClinic }
        : null,
      cases: linked(population.cases(i))
        .sort((a, b) => b.confirmedAt.localeCompare(a.confirmedAt))
        .map((c) => {
          const test = population.testResults(i).find((t) => t.sourceRecordId === c.confirmingTestRecordId);
          return {
            code: c.caseCode,
            status: c.status,
            provinceCode: c.provinceCode,
            confirmedAt: new Date(c.confirmedAt).toISOString(),
            confirmingTest: test ? { id: `${test.source}:${test.sourceRecordId}` } : null,
          };
        }),
    };
  }

  it('answers one query with every subgraph, field by field equal to the generator', async () => {
    // People who have something in every subgraph, plus a plain one.
    const full = Array.from({ length: SIZE }, (_, i) => i).filter(
      (i) => population.cases(i).length > 0 && population.vaccinations(i).length > 0 && population.insuranceCard(i) !== null,
    );
    expect(full.length).toBeGreaterThan(0);
    for (const i of [...full.slice(0, 5), 0, 1, 2]) {
      const body = await query(hub.client(), PERSON_360, { id: population.person(i).citizenId });
      expect(body.errors).toBeUndefined();
      const person = body.data.person;
      const want = expected(i);
      expect({
        ...person,
        addresses: person.addresses.map(({ provinceName: _n, ...a }: { provinceName: string }) => a),
        vaccinations: person.vaccinations.map(({ manufacturer: _m, siteName: _s, ...v }: Record<string, unknown>) => v),
        testResults: person.testResults.map((t: { pooledSample: { id: string } | null } & Record<string, unknown>) => ({ ...t, pooledSample: t.pooledSample && { id: t.pooledSample.id } })),
        vaccinationStatus: undefined,
      }).toEqual({ ...want, vaccinationStatus: undefined });
      expect(person.vaccinationStatus.doses).toBe(want.vaccinations.length);
    }
  });

  it('follows a case to its confirming test in the testing subgraph', async () => {
    const i = Array.from({ length: SIZE }, (_, k) => k).find((k) => population.cases(k).some((c) => c.confirmingTestRecordId && c.personRef.kind === 'CITIZEN_ID'))!;
    const kase = population.cases(i).find((c) => c.confirmingTestRecordId)!;
    const body = await query(hub.client(), `query ($code: String!) { case(code: $code) { code person { id fullName } confirmingTest { id result sampledAt } } }`, { code: kase.caseCode });
    expect(body.errors).toBeUndefined();
    const test = population.testResults(i).find((t) => t.sourceRecordId === kase.confirmingTestRecordId)!;
    expect(body.data.case).toEqual({
      code: kase.caseCode,
      person: { id: population.person(i).citizenId, fullName: population.person(i).fullName },
      confirmingTest: { id: `${test.source}:${test.sourceRecordId}`, result: 'POSITIVE', sampledAt: new Date(test.sampledAt).toISOString() },
    });
  });

  it('answers null with no error for a well-formed but unknown citizen ID', async () => {
    const unknown = '079099999999';
    expect(population.findByCitizenId(unknown)).toBeNull();
    const body = await query(hub.client(), '{ person(id: "079099999999") { id fullName vaccinations { id } } }');
    expect(body).toEqual({ data: { person: null } });
  });

  it('refuses a malformed citizen ID at the gateway with a coded error', async () => {
    const literal = await query(hub.client(), '{ person(id: "12345") { id } }');
    expect(literal.data).toBeUndefined();
    expect(literal.errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(literal.errors[0].message).toMatch(/12 digits/);
    const variable = await query(hub.client(), 'query ($id: CitizenId!) { person(id: $id) { id } }', { id: '999187000001' });
    expect(variable.data).toBeUndefined();
    expect(variable.errors[0].extensions.code).toBe('HUB_BAD_SCALAR_VALUE');
    expect(variable.errors[0].message).toMatch(/not a province code/);
  });

  it('refuses 1,001 IDs with a coded error that says the limit', async () => {
    const ids = Array.from({ length: 1001 }, (_, i) => population.person(i % SIZE).citizenId);
    const body = await query(hub.client(), 'query ($ids: [CitizenId!]!) { persons(ids: $ids) { id } }', { ids });
    expect(body.errors[0].extensions.code).toBe('HUB_REGISTRY_TOO_MANY_IDS');
    expect(body.errors[0].message).toMatch(/1 to 1000/);
  });

  it('serves GraphiQL from the hub itself and reports ready', async () => {
    const page = await fetch(`${hub.gatewayUrl}/graphiql`);
    const html = await page.text();
    expect(page.status).toBe(200);
    expect(html).toContain('renderYogaGraphiQL');
    expect(html).not.toMatch(/<script[^>]+src=["']https?:/);
    expect(html).not.toMatch(/<link[^>]+href=["']https?:/);
    const ready = await fetch(`${hub.gatewayUrl}/ready`);
    expect(ready.status).toBe(200);
  });
});
