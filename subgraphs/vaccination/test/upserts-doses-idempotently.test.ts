import type { FastifyInstance } from 'fastify';
import { freshDatabase } from '@health-hub/subgraph-kit/testing';
import { HubError } from '@health-hub/subgraph-kit';
import { build, dosesByIds, dosesByPersonIds, upsertDoses, VACCINE_PRODUCTS, type DoseUpsert } from '../src';

function dose(sourceRecordId: string, overrides: Partial<DoseUpsert> = {}): DoseUpsert {
  return {
    source: 'vaccination-platform',
    sourceRecordId,
    personId: '079187000001',
    personRef: { cccd: '079187000001' },
    doseNumber: 1,
    vaccine: 'COMIRNATY',
    manufacturer: 'Pfizer/BioNTech',
    lot: 'FK1234',
    administeredOn: '2021-08-01',
    siteName: 'Bệnh viện Chợ Rẫy',
    siteProvinceCode: '79',
    raw: { id: sourceRecordId },
    sourceUpdatedAt: '2021-08-01T10:00:00.000Z',
    ...overrides,
  };
}

async function rowOf(app: FastifyInstance, sourceRecordId: string) {
  const { rows } = await app.pg.query(
    'SELECT lot, person_id, person_ref, raw, ingested_at FROM vaccination.dose WHERE source = $1 AND source_record_id = $2',
    ['vaccination-platform', sourceRecordId],
  );
  return rows[0];
}

async function codeOf(work: Promise<unknown>): Promise<string | undefined> {
  try {
    await work;
  } catch (error) {
    return error instanceof HubError ? `${error.code} ${String(error.details.field)}` : String(error);
  }
  return undefined;
}

describe('upsertDoses', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let app: FastifyInstance;

  beforeAll(async () => {
    db = await freshDatabase();
    app = await build({ databaseUrl: db.url, logLevel: 'silent' });
  });
  afterAll(async () => {
    await app.close();
    await db.drop();
  });

  it('writes a batch in one statement and returns the hub IDs', async () => {
    const records = VACCINE_PRODUCTS.map((vaccine, i) => dose(`ALL-${i}`, { vaccine, personId: null, personRef: { hoTen: 'Phạm Thị Mai' } }));
    const before = await statementCount(app);
    const written = await upsertDoses(app.pg, records);
    // BEGIN, the INSERT, COMMIT: the statement count does not grow with the batch.
    expect((await statementCount(app)) - before).toBe(3);
    expect(written.sort()).toEqual(records.map((r) => `vaccination-platform:${r.sourceRecordId}`).sort());
    expect((await rowOf(app, 'ALL-0')).person_ref).toEqual({ hoTen: 'Phạm Thị Mai' });
  });

  it('changes nothing when the same record is sent again', async () => {
    await upsertDoses(app.pg, [dose('R-1')]);
    const first = await rowOf(app, 'R-1');
    const written = await upsertDoses(app.pg, [dose('R-1')]);
    expect(written).toEqual([]); // same version, same payload: nothing rewritten
    const again = await rowOf(app, 'R-1');
    expect({ ...again, ingested_at: undefined }).toEqual({ ...first, ingested_at: undefined });
    expect(await dosesByIds(app.pg, ['vaccination-platform:R-1'])).toHaveLength(1);
  });

  it('ignores a record older than the stored one', async () => {
    await upsertDoses(app.pg, [dose('O-1', { lot: 'NEW', sourceUpdatedAt: '2021-08-02T00:00:00+07:00' })]);
    const written = await upsertDoses(app.pg, [dose('O-1', { lot: 'OLD', sourceUpdatedAt: '2021-08-01T00:00:00Z' })]);
    expect(written).toEqual([]);
    expect((await rowOf(app, 'O-1')).lot).toBe('NEW');
  });

  it('links a dose to its person when a newer record carries the citizen ID', async () => {
    await upsertDoses(app.pg, [dose('L-1', { personId: null, personRef: { cmnd: '025123456' } })]);
    expect((await rowOf(app, 'L-1')).person_id).toBeNull();
    await upsertDoses(app.pg, [dose('L-1', { personId: '001090000002', sourceUpdatedAt: '2021-09-01T00:00:00Z' })]);
    expect((await dosesByPersonIds(app.pg, ['001090000002'])).map((d) => d.id)).toEqual(['vaccination-platform:L-1']);
  });

  it('keeps the latest of duplicate keys within one batch', async () => {
    const written = await upsertDoses(app.pg, [
      dose('B-1', { lot: 'LATEST', sourceUpdatedAt: '2021-08-03T00:00:00Z' }),
      dose('B-1', { lot: 'EARLIER', sourceUpdatedAt: '2021-08-02T00:00:00Z' }),
    ]);
    expect(written).toEqual(['vaccination-platform:B-1']);
    expect((await rowOf(app, 'B-1')).lot).toBe('LATEST');
  });

  it('rejects a malformed record with a coded error naming the field, writing nothing', async () => {
    const good = dose('BAD-0');
    const bad = (overrides: Record<string, unknown>) => upsertDoses(app.pg, [good, { ...dose('BAD-1'), ...overrides } as DoseUpsert]);
    expect(await codeOf(bad({ vaccine: 'SINOVAC' }))).toBe('HUB_VACCINATION_BAD_RECORD vaccine');
    expect(await codeOf(bad({ personId: '79187000001' }))).toBe('HUB_VACCINATION_BAD_RECORD personId');
    expect(await codeOf(bad({ administeredOn: '2021-02-30' }))).toBe('HUB_VACCINATION_BAD_RECORD administeredOn');
    expect(await codeOf(bad({ siteProvinceCode: '99' }))).toBe('HUB_VACCINATION_BAD_RECORD siteProvinceCode');
    expect(await codeOf(bad({ doseNumber: 0 }))).toBe('HUB_VACCINATION_BAD_RECORD doseNumber');
    expect(await codeOf(bad({ source: 'a:b' }))).toBe('HUB_VACCINATION_BAD_RECORD source');
    expect(await codeOf(bad({ sourceUpdatedAt: '2021-08-01 10:00' }))).toBe('HUB_VACCINATION_BAD_RECORD sourceUpdatedAt');
    expect(await codeOf(bad({ raw: undefined }))).toBe('HUB_VACCINATION_BAD_RECORD raw');
    expect(await rowOf(app, 'BAD-0')).toBeUndefined();
  });

  it('writes nothing for an empty batch', async () => {
    expect(await upsertDoses(app.pg, [])).toEqual([]);
  });
});

async function statementCount(app: FastifyInstance): Promise<number> {
  const metric = await app.metrics.getSingleMetric('hub_sql_statements_total')!.get();
  return metric.values.reduce((sum, v) => sum + v.value, 0);
}
