import type { FastifyInstance } from 'fastify';
import { freshDatabase, signedRequest } from '@health-hub/subgraph-kit/testing';
import { build, upsertCards, type CardUpsert } from '../src';

function card(cardNumber: string, personId: string | null, overrides: Partial<CardUpsert> = {}): CardUpsert {
  return {
    source: 'social-insurance',
    sourceRecordId: cardNumber,
    personId,
    personRef: personId ? { soDinhDanh: personId } : { hoTen: 'Lê Văn Minh', ngaySinh: '12/05/1980' },
    cardNumber,
    socialInsuranceCode: cardNumber.slice(5),
    beneficiaryGroup: cardNumber.slice(0, 2),
    benefitLevel: Number(cardNumber[2]),
    validFrom: '2021-01-01',
    validTo: '2099-12-31',
    registeredClinic: { code: '79001', name: 'Bệnh viện Chợ Rẫy' },
    raw: { maThe: cardNumber },
    sourceUpdatedAt: '2021-06-01T00:00:00.000Z',
    ...overrides,
  };
}

async function gql(app: FastifyInstance, query: string, variables: Record<string, unknown> = {}) {
  const res = await app.inject(signedRequest({ query, variables }));
  return res.json();
}

describe('insurance subgraph', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let app: FastifyInstance;

  beforeAll(async () => {
    db = await freshDatabase();
    app = await build({ databaseUrl: db.url, logLevel: 'silent' });
    await upsertCards(app.pg, [
      // The same person's earlier card (another group, same lifelong code): no longer current.
      card('DN4790123456789', '079187000001', { validFrom: '2020-01-01', validTo: '2020-12-31' }),
      card('HT3790123456789', '079187000001'),
      card('TE1010987654321', '001220000002', { validFrom: '2022-01-01', validTo: '2027-12-31', registeredClinic: { code: '01002', name: 'Bệnh viện Nhi Trung ương' } }),
      card('GD4480555555555', null),
    ]);
  });
  afterAll(async () => {
    await app.close();
    await db.drop();
  });

  it('answers healthInsuranceCard(cardNumber) with the stored fields', async () => {
    const body = await gql(app, `{ healthInsuranceCard(cardNumber: "HT3790123456789") { cardNumber person { id } socialInsuranceCode
      beneficiaryGroup benefitLevel validFrom validTo registeredClinic { code name } sourceUpdatedAt } }`);
    expect(body.errors).toBeUndefined();
    expect(body.data.healthInsuranceCard).toEqual({
      cardNumber: 'HT3790123456789', person: { id: '079187000001' }, socialInsuranceCode: '0123456789',
      beneficiaryGroup: 'HT', benefitLevel: 3, validFrom: '2021-01-01', validTo: '2099-12-31',
      registeredClinic: { code: '79001', name: 'Bệnh viện Chợ Rẫy' }, sourceUpdatedAt: '2021-06-01T00:00:00.000Z',
    });
  });

  it('tells whether a card is valid on a day, today in Việt Nam by default', async () => {
    const body = await gql(app, `{ healthInsuranceCard(cardNumber: "TE1010987654321") {
      before: validOn(date: "2021-12-31") first: validOn(date: "2022-01-01") last: validOn(date: "2027-12-31") after: validOn(date: "2028-01-01") } }`);
    expect(body.data.healthInsuranceCard).toEqual({ before: false, first: true, last: true, after: false });
    const today = await gql(app, '{ current: healthInsuranceCard(cardNumber: "HT3790123456789") { validOn } old: healthInsuranceCard(cardNumber: "DN4790123456789") { validOn } }');
    expect(today.data).toEqual({ current: { validOn: true }, old: { validOn: false } });
  });

  it('accepts a number typed with spaces and in lower case, and answers null for an unknown one', async () => {
    const body = await gql(app, '{ spaced: healthInsuranceCard(cardNumber: "te 1 01 0987654321") { cardNumber } unknown: healthInsuranceCard(cardNumber: "DN4790000000000") { cardNumber } }');
    expect(body.errors).toBeUndefined();
    expect(body.data).toEqual({ spaced: { cardNumber: 'TE1010987654321' }, unknown: null });
  });

  it('rejects a malformed card number with a coded error', async () => {
    for (const cardNumber of ['DN479012345678', 'DN6790123456789', '4DN790123456789', 'DN479012345678X']) {
      const body = await gql(app, 'query ($n: String!) { healthInsuranceCard(cardNumber: $n) { cardNumber } }', { n: cardNumber });
      expect(body.data.healthInsuranceCard).toBeNull();
      expect(body.errors[0].extensions.code).toBe('HUB_INSURANCE_BAD_CARD_NUMBER');
    }
    const badDay = await gql(app, '{ healthInsuranceCard(cardNumber: "TE1010987654321") { validOn(date: "2021-02-30") } }');
    expect(badDay.errors[0].extensions.code).toBe('HUB_BAD_SCALAR_VALUE');
  });

  it("gives each person's latest card in one statement per batch of Person representations", async () => {
    const before = await statementCount(app);
    const body = await gql(app, 'query ($r: [_Any!]!) { _entities(representations: $r) { ... on Person { id healthInsurance { cardNumber } } } }', {
      r: ['079187000001', '001220000002', '079190000003'].map((id) => ({ __typename: 'Person', id })),
    });
    expect(body.errors).toBeUndefined();
    expect(body.data._entities).toEqual([
      { id: '079187000001', healthInsurance: { cardNumber: 'HT3790123456789' } },
      { id: '001220000002', healthInsurance: { cardNumber: 'TE1010987654321' } },
      { id: '079190000003', healthInsurance: null },
    ]);
    expect((await statementCount(app)) - before).toBe(1);
  });

  it('resolves card references in one statement per batch', async () => {
    const before = await statementCount(app);
    const body = await gql(app, 'query ($r: [_Any!]!) { _entities(representations: $r) { ... on HealthInsuranceCard { cardNumber person { id } } } }', {
      r: ['GD4480555555555', 'DN4790000000000', 'DN4790123456789'].map((cardNumber) => ({ __typename: 'HealthInsuranceCard', cardNumber })),
    });
    expect(body.data._entities).toEqual([
      { cardNumber: 'GD4480555555555', person: null },
      null,
      { cardNumber: 'DN4790123456789', person: { id: '079187000001' } },
    ]);
    expect((await statementCount(app)) - before).toBe(1);
  });

  it('ignores a repeated record and one older than the stored one', async () => {
    const repeated = await upsertCards(app.pg, [card('TE1010987654321', '001220000002', { validFrom: '2022-01-01', validTo: '2027-12-31', registeredClinic: { code: '01002', name: 'Bệnh viện Nhi Trung ương' } })]);
    expect(repeated).toEqual([]); // same version, same payload: nothing rewritten
    const older = await upsertCards(app.pg, [card('TE1010987654321', '001220000002', { registeredClinic: { code: '01999', name: 'Old clinic' }, sourceUpdatedAt: '2021-01-01T00:00:00.000Z' })]);
    expect(older).toEqual([]);
    const body = await gql(app, '{ healthInsuranceCard(cardNumber: "TE1010987654321") { validTo registeredClinic { code } } }');
    expect(body.data.healthInsuranceCard).toEqual({ validTo: '2027-12-31', registeredClinic: { code: '01002' } });
    const { rows } = await app.pg.query('SELECT count(*)::int AS n FROM insurance.card');
    expect(rows[0].n).toBe(4);
  });

  it('keeps the latest version when a batch repeats a record, and links a card to a person later', async () => {
    const written = await upsertCards(app.pg, [
      card('GD4480555555555', '079190000003', { sourceUpdatedAt: '2021-07-02T00:00:00.000Z' }),
      card('GD4480555555555', null, { sourceUpdatedAt: '2021-07-01T00:00:00.000Z' }),
    ]);
    expect(written).toEqual(['GD4480555555555']);
    const body = await gql(app, '{ _entities(representations: [{ __typename: "Person", id: "079190000003" }]) { ... on Person { healthInsurance { cardNumber person { id } } } } }');
    expect(body.data._entities).toEqual([{ healthInsurance: { cardNumber: 'GD4480555555555', person: { id: '079190000003' } } }]);
  });

  it('rejects a batch holding a malformed card before writing any of it, naming the record and field', async () => {
    const good = card('DN4790111111111', null);
    const cases: Array<[Partial<CardUpsert>, string]> = [
      [{ socialInsuranceCode: '2222222222' }, 'socialInsuranceCode'],
      [{ benefitLevel: 5 }, 'benefitLevel'],
      [{ validFrom: '2022-01-01', validTo: '2021-12-31' }, 'validTo'],
      [{ validTo: '2021-02-29' }, 'validTo'],
      [{ cardNumber: 'DN479011111111' }, 'cardNumber'],
      [{ personId: '999187000001' }, 'personId'],
      [{ sourceUpdatedAt: '2021-06-01T00:00:00' }, 'sourceUpdatedAt'],
      [{ raw: undefined }, 'raw'],
    ];
    for (const [overrides, field] of cases) {
      const bad = card('DN4790222222222', null, { sourceRecordId: 'bad-1', ...overrides });
      await expect(upsertCards(app.pg, [good, bad])).rejects.toMatchObject({
        code: 'HUB_INSURANCE_BAD_RECORD', details: { index: 1, source: 'social-insurance', sourceRecordId: 'bad-1', field },
      });
    }
    expect((await gql(app, '{ healthInsuranceCard(cardNumber: "DN4790111111111") { cardNumber } }')).data.healthInsuranceCard).toBeNull();
  });

  it('reports ready when the database answers', async () => {
    expect((await app.inject('/ready')).statusCode).toBe(200);
    expect((await app.inject('/health')).json()).toEqual({ status: 'ok', subgraph: 'insurance' });
  });
});

async function statementCount(app: FastifyInstance): Promise<number> {
  const metric = await app.metrics.getSingleMetric('hub_sql_statements_total')!.get();
  return metric.values.reduce((sum, v) => sum + v.value, 0);
}
