import { declaredStatements } from '@health-hub/subgraph-kit';
import { freshDatabase, signedRequest } from '@health-hub/subgraph-kit/testing';
import type { FastifyInstance } from 'fastify';
import { build, upsertAssessments, upsertWorkplaces, type AssessmentUpsert, type RiskLevel } from '../src';
import { assessment, codes, statementCount, workplace } from './records';

const WORKPLACES = 4;
const HISTORY = 120;
const FIRST = 3;
const LEVELS: RiskLevel[] = ['VERY_HIGH', 'HIGH', 'MEDIUM', 'LOW', 'NEW_NORMAL'];

/** A long history per workplace, one every 2 days from October 2021, with two on one day now and then (the record id breaks the tie). */
function history(n: number): AssessmentUpsert[] {
  return Array.from({ length: HISTORY }, (_, k) => {
    const day = new Date(Date.UTC(2021, 9, 1) + (k * 2 - (k % 7 === 6 ? 2 : 0)) * 86_400_000).toISOString().slice(0, 10);
    return assessment(n, 1000 + k, day, 20 + (k % 60), LEVELS[k % 5]!);
  });
}

interface PlanNode {
  'Relation Name'?: string;
  'Index Name'?: string;
  'Actual Rows': number;
  'Actual Loops': number;
  Plans?: PlanNode[];
}
const nodesOf = (plan: PlanNode): PlanNode[] => [plan, ...(plan.Plans ?? []).flatMap(nodesOf)];

describe("a workplace's assessments", () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let app: FastifyInstance;
  const all = Array.from({ length: WORKPLACES }, (_, n) => history(n));

  beforeAll(async () => {
    db = await freshDatabase();
    app = await build({ databaseUrl: db.url, logLevel: 'silent' });
    await upsertWorkplaces(app.pg, Array.from({ length: WORKPLACES }, (_, n) => workplace(n)));
    await upsertAssessments(app.pg, all.flat());
    await app.pg.query('ANALYZE workplaces.assessment');
  });
  afterAll(async () => {
    await app.close();
    await db.drop();
  });

  /** The newest `first` of a workplace's history: by day, then record id, both descending. */
  const newest = (n: number, first: number) =>
    [...all[n]!]
      .sort((a, b) => b.assessedOn.localeCompare(a.assessedOn) || b.sourceRecordId.localeCompare(a.sourceRecordId))
      .slice(0, first)
      .map((a) => ({ id: `workplace-safety:${a.sourceRecordId}`, assessedOn: a.assessedOn }));

  it('gives each workplace of a list its newest assessments, newest first, for every workplace in one statement', async () => {
    const query = `{ workplaces(first: 10) { edges { node { taxCode assessments(first: ${FIRST}) { id assessedOn } } } } }`;
    const before = await statementCount(app);
    const body = (await app.inject(signedRequest({ query }))).json();
    const statements = (await statementCount(app)) - before;
    expect(body.errors).toBeUndefined();
    const expected = Array.from({ length: WORKPLACES }, (_, n) => ({ taxCode: codes[n], assessments: newest(n, FIRST) }))
      .sort((a, b) => a.taxCode!.localeCompare(b.taxCode!));
    expect(body.data.workplaces.edges.map((e: { node: unknown }) => e.node)).toEqual(expected);
    // Two assessments of one day are in the page: the record id orders them.
    expect(newest(0, FIRST)[1]!.assessedOn).toBe(newest(0, FIRST)[2]!.assessedOn);
    // The list, then one statement for every workplace's page.
    expect(statements).toBe(2);
    // Two page sizes in one query: one statement each, each page its own length.
    const two = (await app.inject(signedRequest({ query: `query ($t: String!) { workplace(taxCode: $t) { one: assessments(first: 1) { id } many: assessments(first: 100) { id } } }`, variables: { t: codes[1] } }))).json();
    expect(two.data.workplace.one).toEqual(newest(1, 1).map(({ id }) => ({ id })));
    expect(two.data.workplace.many).toEqual(newest(1, 100).map(({ id }) => ({ id })));
  });

  it('reads only the page of each history from the history index, not every assessment', async () => {
    const text = declaredStatements().get('workplaces.assessments-by-tax-codes')!;
    const { rows } = await app.pg.query(`EXPLAIN (ANALYZE, FORMAT JSON) ${text}`, [codes.slice(0, WORKPLACES), FIRST]);
    const reads = nodesOf(rows[0]['QUERY PLAN'][0].Plan).filter((n) => n['Relation Name'] === 'assessment');
    expect(reads.map((n) => n['Index Name'])).toEqual(['assessment_history_idx']);
    // FIRST rows per workplace read, of the HISTORY each holds.
    expect(reads[0]!['Actual Rows'] * reads[0]!['Actual Loops']).toBe(WORKPLACES * FIRST);
  });
});
