import type { FastifyInstance } from 'fastify';
import { defaultModel } from '@health-hub/identity';
import { freshDatabase } from '@health-hub/subgraph-kit/testing';
import { build, RegistryCandidates, upsertPersons, type PersonUpsert } from '../src';

const AT = '2021-06-01T00:00:00.000Z';
/** The term keys of family names, as the shipped model weighs them. */
const FAMILY = 'tf|fullName.familyToned|';

function record(citizenId: string, familyName: string, givenName: string, phone: string | null, sourceUpdatedAt = AT): PersonUpsert {
  return {
    citizenId, source: 'population-registry', sourceRecordId: citizenId, familyName, middleName: 'Văn', givenName, sex: 'MALE',
    birthDate: '1990-05-12', birthYear: 1990, phone, oldIds: [],
    addresses: [{ kind: 'PERMANENT', provinceCode: '79', districtCode: '760', wardCode: '26734', line: 'Số 1' }],
    householdId: null, raw: { citizenId, familyName, givenName, phone }, sourceUpdatedAt,
  };
}

describe('the person index at ingest', () => {
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

  /** The counters the triggers keep, and the same figures counted from the index itself. */
  const counters = async () => (await app.pg.query(`SELECT key, n::int FROM registry.term_count WHERE n <> 0 ORDER BY key`)).rows;
  const counted = async () =>
    (await app.pg.query(
      `SELECT key, count(*)::int AS n FROM registry.person_block WHERE key LIKE 'tf|%' GROUP BY key
       UNION ALL SELECT 'total', count(*)::int FROM registry.person ORDER BY key`,
    )).rows;

  it('keeps each term\'s count and the registry\'s size as persons arrive, change and leave', async () => {
    await upsertPersons(app.pg, [
      record('079090000001', 'Nguyễn', 'An', '0903000001'),
      record('079090000002', 'Nguyễn', 'Bình', '0903000002'),
      record('079090000003', 'Lý', 'An', null),
    ]);
    // The family names as the model's term frequencies see them: two Nguyễn, one Lý.
    const families = async () => (await counters()).filter((c) => c.key.startsWith(FAMILY));
    const [nguyen, ly] = (await families()).sort((a, b) => b.n - a.n);
    expect([nguyen.n, ly.n]).toEqual([2, 1]);
    expect(await counters()).toEqual(await counted());

    // A newer record renames one person; another is sent again unchanged; one leaves the registry.
    await upsertPersons(app.pg, [record('079090000002', 'Trần', 'Bình', '0903000002', '2021-07-01T00:00:00.000Z')]);
    await upsertPersons(app.pg, [record('079090000001', 'Nguyễn', 'An', '0903000001')]);
    await app.pg.query(`DELETE FROM registry.person WHERE citizen_id = '079090000003'`);
    expect(await counters()).toEqual(await counted());
    expect((await counters()).find((c) => c.key === nguyen.key)?.n).toBe(1);
    expect((await counters()).find((c) => c.key === ly.key)).toBeUndefined();
    expect((await counters()).find((c) => c.key === 'total')?.n).toBe(2);

    // What the matcher reads: the counters, by term; a term nobody holds any more is absent.
    const valueOf = (key: string) => key.slice(FAMILY.length);
    const frequencies = await new RegistryCandidates(app.pg, defaultModel()).termFrequencies(() => [
      { field: 'fullName', form: 'familyToned', value: valueOf(nguyen.key) },
      { field: 'fullName', form: 'familyToned', value: valueOf(ly.key) },
    ]);
    expect(frequencies.total).toBe(2);
    expect(frequencies.counts.get('fullName.familyToned')).toEqual(new Map([[valueOf(nguyen.key), 1]]));
  });

  it('rewrites only the index rows whose keys changed', async () => {
    const rows = async () => new Map((await app.pg.query(`SELECT key, xmin::text AS version FROM registry.person_block WHERE citizen_id = '079090000001'`)).rows.map((r) => [r.key, r.version]));
    const before = await rows();
    // A new phone: the phone's block key changes, the name and birth date keys stay as written.
    await upsertPersons(app.pg, [record('079090000001', 'Nguyễn', 'An', '0903999999', '2021-08-01T00:00:00.000Z')]);
    const after = await rows();
    const kept = [...before.keys()].filter((k) => after.has(k));
    expect(kept.length).toBeGreaterThan(0);
    expect([...before.keys()].some((k) => !after.has(k))).toBe(true);
    for (const k of kept) expect(after.get(k)).toBe(before.get(k));
    expect(await counters()).toEqual(await counted());
  });

  it('reads a block only up to its cap, and leaves out a block past it', async () => {
    // Twins sharing the household phone: its block holds the two of them.
    await upsertPersons(app.pg, [record('079090000011', 'Phạm', 'Hải', '0903777777'), record('079090000012', 'Phạm', 'Hà', '0903777777')]);
    const { rows } = await app.pg.query(
      `SELECT key FROM registry.person_block WHERE key NOT LIKE 'tf|%' GROUP BY key
        HAVING array_agg(citizen_id ORDER BY citizen_id) = ARRAY['079090000011', '079090000012'] LIMIT 1`,
    );
    const shared = rows[0]!.key as string;
    const candidates = new RegistryCandidates(app.pg, defaultModel());
    expect((await candidates.findByBlockKeys([shared, shared], 2)).get(shared)?.sort()).toEqual(['079090000011', '079090000012']);
    expect((await candidates.findByBlockKeys([shared], 1)).has(shared)).toBe(false);
    expect((await candidates.findByBlockKeys(['no|such|key'], 2)).size).toBe(0);
  });
});
