import type { FastifyInstance } from 'fastify';
import { freshDatabase } from '@health-hub/subgraph-kit/testing';
import { build, poolSizes, testResultsByIds, upsertTestResults, type TestResultUpsert } from '../src';

function record(sourceRecordId: string, overrides: Partial<TestResultUpsert> = {}): TestResultUpsert {
  return {
    source: 'lab-csv',
    sourceRecordId,
    personId: null,
    personRef: { name: 'Phạm Thị Lan', birthDate: '1975-02-14', phone: '0935123456' },
    method: 'RT_PCR',
    result: 'NEGATIVE',
    sampledAt: '2021-07-20T07:30:00+07:00',
    resultedAt: '2021-07-20T19:00:00+07:00',
    labId: 'BVDN',
    labName: 'Bệnh viện Đà Nẵng',
    poolId: 'G10-0720-3',
    raw: { ma_mau: sourceRecordId, ket_qua: 'Âm tính' },
    sourceUpdatedAt: '2021-07-20T12:00:00.000Z',
    ...overrides,
  };
}

describe('upserting test results', () => {
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

  it('writes a batch in one statement and keeps raw payloads and references', async () => {
    const before = await statementCount(app);
    const written = await upsertTestResults(app.pg, [record('a-1'), record('a-2', { personId: '048175000123' })]);
    // BEGIN, the upsert, COMMIT.
    expect((await statementCount(app)) - before).toBe(3);
    expect(written.sort()).toEqual(['lab-csv:a-1', 'lab-csv:a-2']);
    const { rows } = await app.pg.query(
      `SELECT source_record_id, person_id, person_ref, raw FROM testing.test_result ORDER BY source_record_id`,
    );
    expect(rows).toEqual([
      { source_record_id: 'a-1', person_id: null, person_ref: record('a-1').personRef, raw: record('a-1').raw },
      { source_record_id: 'a-2', person_id: '048175000123', person_ref: record('a-2').personRef, raw: record('a-2').raw },
    ]);
  });

  it('changes nothing when the same records are sent again', async () => {
    const { rows: [before] } = await app.pg.query(`SELECT count(*)::int AS n FROM testing.test_result`);
    const written = await upsertTestResults(app.pg, [record('a-1'), record('a-2', { personId: '048175000123' })]);
    // Same versions, same payloads, same person links as stored: nothing is rewritten.
    expect(written).toEqual([]);
    const [a1] = await testResultsByIds(app.pg, ['lab-csv:a-1']);
    expect(a1).toMatchObject({ id: 'lab-csv:a-1', personId: null, result: 'NEGATIVE', poolId: 'G10-0720-3' });
    const { rows: [after] } = await app.pg.query(`SELECT count(*)::int AS n FROM testing.test_result`);
    expect(after.n).toBe(before.n);
    expect(await poolSizes(app.pg, [{ labId: 'BVDN', poolId: 'G10-0720-3' }, { labId: 'BVDN', poolId: 'none' }])).toEqual([
      { labId: 'BVDN', poolId: 'G10-0720-3', memberCount: 2 },
    ]);
    // Pool IDs are the lab's own: another lab's pool of the same ID is another pool.
    expect(await poolSizes(app.pg, [{ labId: 'OTHER-LAB', poolId: 'G10-0720-3' }])).toEqual([]);
  });

  it('applies the same version again when only its person link changed (identity resolution linked it)', async () => {
    const written = await upsertTestResults(app.pg, [record('link-1', { poolId: null })]);
    expect(written).toEqual(['lab-csv:link-1']);
    expect(await upsertTestResults(app.pg, [record('link-1', { poolId: null, personId: '048175000777' })])).toEqual(['lab-csv:link-1']);
    expect((await testResultsByIds(app.pg, ['lab-csv:link-1']))[0]).toMatchObject({ personId: '048175000777' });
  });

  it('ignores a record older than the stored one and applies a newer one', async () => {
    const older = await upsertTestResults(app.pg, [record('a-1', { result: 'POSITIVE', sourceUpdatedAt: '2021-07-20T11:00:00.000Z' })]);
    expect(older).toEqual([]);
    expect((await testResultsByIds(app.pg, ['lab-csv:a-1']))[0]!.result).toBe('NEGATIVE');

    // Linked later by identity resolution, and moved out of the pool by a correction.
    const newer = await upsertTestResults(app.pg, [
      record('a-1', { personId: '048175000999', poolId: null, sourceUpdatedAt: '2021-07-21T00:00:00.000Z' }),
    ]);
    expect(newer).toEqual(['lab-csv:a-1']);
    expect((await testResultsByIds(app.pg, ['lab-csv:a-1']))[0]).toMatchObject({ personId: '048175000999', poolId: null });
    expect(await poolSizes(app.pg, [{ labId: 'BVDN', poolId: 'G10-0720-3' }])).toEqual([{ labId: 'BVDN', poolId: 'G10-0720-3', memberCount: 1 }]);
  });

  it('keeps the latest of several versions of one record within a batch', async () => {
    const written = await upsertTestResults(app.pg, [
      record('b-1', { result: 'INVALID', sourceUpdatedAt: '2021-07-22T10:00:00.000Z' }),
      record('b-1', { result: 'POSITIVE', sourceUpdatedAt: '2021-07-22T12:00:00.000Z' }),
      record('b-1', { result: 'NEGATIVE', sourceUpdatedAt: '2021-07-22T11:00:00.000Z' }),
    ]);
    expect(written).toEqual(['lab-csv:b-1']);
    expect((await testResultsByIds(app.pg, ['lab-csv:b-1']))[0]!.result).toBe('POSITIVE');
  });

  it.each<[string, Partial<TestResultUpsert>, string]>([
    ['an unknown method', { method: 'PCR' as never }, 'method'],
    ['an unknown outcome', { result: 'Dương tính' as never }, 'result'],
    ['a time without a zone', { sampledAt: '2021-07-20 07:30' }, 'sampledAt'],
    ['a result before its sample', { resultedAt: '2021-07-20T07:00:00+07:00' }, 'resultedAt'],
    ['a malformed citizen ID', { personId: '79187000001' }, 'personId'],
    ['a source with a colon', { source: 'lab:csv' }, 'source'],
    ['a missing raw payload', { raw: undefined }, 'raw'],
  ])('rejects a batch holding %s, writing nothing', async (_, overrides, field) => {
    const error = await upsertTestResults(app.pg, [record('c-1'), record('c-2', overrides)]).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'HUB_TESTING_BAD_RECORD', details: { index: 1, sourceRecordId: 'c-2', field } });
    expect(await testResultsByIds(app.pg, ['lab-csv:c-1'])).toEqual([]);
  });

  it('writes nothing for an empty batch', async () => {
    const before = await statementCount(app);
    expect(await upsertTestResults(app.pg, [])).toEqual([]);
    expect((await statementCount(app)) - before).toBe(0);
  });
});

async function statementCount(app: FastifyInstance): Promise<number> {
  const metric = await app.metrics.getSingleMetric('hub_sql_statements_total')!.get();
  return metric.values.reduce((sum, v) => sum + v.value, 0);
}
