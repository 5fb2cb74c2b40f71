import { headOfficeTaxCode } from '@health-hub/simulators';
import { HubError } from '@health-hub/subgraph-kit';
import { freshDatabase } from '@health-hub/subgraph-kit/testing';
import type { FastifyInstance } from 'fastify';
import { build, upsertWorkplaces, type WorkplaceUpsert } from '../src';

const codes = Array.from({ length: 4 }, (_, n) => headOfficeTaxCode(n));

function workplace(id: string, taxCode: string, overrides: Partial<WorkplaceUpsert> = {}): WorkplaceUpsert {
  return {
    source: 'workplace-safety',
    sourceRecordId: id,
    taxCode,
    headOfficeTaxCode: null,
    name: `Công ty TNHH ${id}`,
    address: { line: `Lô ${id}`, provinceCode: '79', districtCode: '760', wardCode: '26734' },
    zone: null,
    sector: { code: 'C14', name: 'May mặc' },
    workforce: 100,
    dormitoryWorkers: 0,
    shuttleWorkers: 0,
    canteens: 1,
    contact: { citizenId: null, name: 'Lê Văn Minh', phone: null },
    raw: { maHoSo: id },
    sourceUpdatedAt: '2021-07-01T00:00:00Z',
    ...overrides,
  };
}

async function refusal(work: () => Promise<unknown>) {
  try {
    await work();
  } catch (error) {
    if (error instanceof HubError) return { code: error.code, message: error.message, details: error.details };
    throw error;
  }
  throw new Error('expected a HubError');
}

describe('one workplace per tax code', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let app: FastifyInstance;

  beforeAll(async () => {
    db = await freshDatabase();
    app = await build({ databaseUrl: db.url, logLevel: 'silent' });
    await upsertWorkplaces(app.pg, [workplace('DN1', codes[0]!)]);
  });
  afterAll(async () => {
    await app.close();
    await db.drop();
  });

  it("refuses a record carrying a stored workplace's tax code with the coded error naming that workplace", async () => {
    const refused = await refusal(() => upsertWorkplaces(app.pg, [workplace('DN2', codes[1]!), workplace('DN9', codes[0]!)]));
    expect(refused).toMatchObject({ code: 'HUB_WORKPLACES_BAD_RECORD', details: { index: 1, sourceRecordId: 'DN9', field: 'taxCode' } });
    expect(refused.message).toContain('workplace-safety:DN1');
    // Nothing of the batch was written.
    const { rows } = await app.pg.query('SELECT source_record_id FROM workplaces.workplace ORDER BY 1');
    expect(rows).toEqual([{ source_record_id: 'DN1' }]);
  });

  it('refuses the later of two records of a batch sharing a tax code, even from another source', async () => {
    const refused = await refusal(() =>
      upsertWorkplaces(app.pg, [workplace('DN3', codes[2]!), workplace('DN4', codes[3]!), workplace('X-3', codes[2]!, { source: 'other-feed' })]),
    );
    expect(refused).toMatchObject({ code: 'HUB_WORKPLACES_BAD_RECORD', details: { index: 2, source: 'other-feed', sourceRecordId: 'X-3', field: 'taxCode' } });
    expect(refused.message).toContain('workplace-safety:DN3');
  });

  it('lets a record keep, and change, its own tax code', async () => {
    expect(await upsertWorkplaces(app.pg, [workplace('DN1', codes[0]!, { workforce: 120, sourceUpdatedAt: '2021-07-02T00:00:00Z' })])).toEqual([codes[0]]);
    expect(await upsertWorkplaces(app.pg, [workplace('DN1', codes[1]!, { sourceUpdatedAt: '2021-07-03T00:00:00Z' })])).toEqual([codes[1]]);
    // The code it gave up is free for another record.
    expect(await upsertWorkplaces(app.pg, [workplace('DN2', codes[0]!)])).toEqual([codes[0]]);
  });
});
