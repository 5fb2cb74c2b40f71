/**
 * The authorization matrix, generated from the supergraph: for every partner role and every
 * field of the graph, a query through the gateway reaches the field and the field comes back
 * or is denied exactly as the field's `@requiresScopes` / `@policy` / `@authenticated` rule
 * says. A field without a rule fails the first test; a new root field with required arguments
 * needs an example in `rootArguments` so the matrix can reach what hangs under it.
 */
import { linkSourceReferences, mergePersons } from '@health-hub/registry';
import { createPool, personRefKey } from '@health-hub/subgraph-kit';
import { freshDatabase } from '@health-hub/subgraph-kit/testing';
import { EXAMPLE_PROVINCE, seedPopulation, startInProcessHub, type InProcessHub } from '@health-hub/hub';
import { decide, ROLE_NAMES, ROLES, readAccessRules, readSupergraphSdl, type Role } from '@health-hub/schema';
import { createPopulation, type Population } from '@health-hub/simulators';
import {
  buildASTSchema, getNamedType, isLeafType, isObjectType, isNonNullType, parse,
  type GraphQLField, type GraphQLObjectType, type GraphQLSchema,
} from 'graphql';
import { query } from '../src/graphql-client';

const SIZE = 400;
const INTERNAL = /^(join__|link__|policy__|requiresScopes__|_)/;

/** The supergraph's API: its object types and their fields, without federation's own. */
function apiSchema(): GraphQLSchema {
  return buildASTSchema(parse(readSupergraphSdl()), { assumeValidSDL: true });
}
/** A field between subgraphs only (`@inaccessible`): not in the API, so no caller can ask for it. */
function inaccessible(field: GraphQLField<unknown, unknown>): boolean {
  return field.astNode?.directives?.some((d) => d.name.value === 'inaccessible') ?? false;
}
function objectFields(schema: GraphQLSchema): Array<{ type: GraphQLObjectType; field: GraphQLField<unknown, unknown> }> {
  return Object.values(schema.getTypeMap())
    .filter((t): t is GraphQLObjectType => isObjectType(t) && !t.name.startsWith('__') && !INTERNAL.test(t.name))
    .flatMap((type) => Object.values(type.getFields()).filter((f) => !INTERNAL.test(f.name) && !inaccessible(f)).map((field) => ({ type, field })));
}

describe('authorization matrix (every role × every field, from the supergraph)', () => {
  const schema = apiSchema();
  const rules = readAccessRules(parse(readSupergraphSdl()));
  const fields = objectFields(schema);

  it('gives every field of the graph an access rule', () => {
    const without = fields.map(({ type, field }) => `${type.name}.${field.name}`).filter((c) => !rules.has(c));
    expect(without).toEqual([]);
  });

  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let hub: InProcessHub;
  let population: Population;
  let rootArguments: Record<string, string>;

  beforeAll(async () => {
    db = await freshDatabase();
    population = createPopulation({ seed: 7, size: SIZE });
    hub = await startInProcessHub({ databaseUrl: db.url });
    await seedPopulation({ databaseUrl: db.url, population, batchPeople: 200 });
    // One person of the example province with a record of every kind, so every field has a value to return.
    const linked = <T extends { personRef: { kind: string } }>(records: T[]) => records.filter((r) => r.personRef.kind === 'CITIZEN_ID');
    const i = Array.from({ length: SIZE }, (_, k) => k).find((k) => {
      const p = population.person(k);
      return p.addresses.some((a) => a.kind === 'PERMANENT' && a.provinceCode === EXAMPLE_PROVINCE) && p.oldId
        && linked(population.vaccinations(k)).length > 0 && linked(population.testResults(k)).some((t) => t.poolId)
        && population.insuranceCard(k) !== null && linked(population.cases(k)).some((c) => c.confirmingTestRecordId);
    });
    if (i === undefined) throw new Error('no person of the example province has every kind of record: change the seed');
    const person = population.person(i);
    const dose = linked(population.vaccinations(i))[0]!;
    const test = linked(population.testResults(i)).find((t) => t.poolId)!;
    const kase = linked(population.cases(i)).find((c) => c.confirmingTestRecordId)!;
    const year = dose.administeredOn.slice(0, 4);
    // A certificate the hub issued, for the revocation mutation (revoking again keeps the first revocation).
    const issued = await query(hub.client('ministry'), `{ person(id: "${person.citizenId}") { vaccinationCertificate { uvci } } }`);
    const uvci: string = issued.data.person.vaccinationCertificate.uvci;
    // A crosswalk entry and a merge for the stewardship operations; each operation is
    // idempotent, so the matrix may run it once per field below it.
    const pool = createPool({ databaseUrl: db.url, applicationName: 'authorization-matrix' });
    const other = population.person(i === 0 ? 1 : 0);
    const personRef = { kind: 'DEMOGRAPHIC', fullName: person.fullName, birthDate: person.birthDate, birthYear: person.birthYear, phone: null };
    await linkSourceReferences(pool, [{ system: 'matrix-source', personRef }], { actor: 'authorization-matrix' });
    const merge = await mergePersons(pool, person.citizenId, other.citizenId, { actor: 'authorization-matrix', reason: 'authorization matrix' });
    await pool.end();
    const crosswalkEntry = `system: "matrix-source", reference: "${personRefKey(personRef)}"`;
    rootArguments = {
      identityHistory: `(personId: "${person.citizenId}")`,
      acceptIdentityMatch: `(${crosswalkEntry}, personId: "${person.citizenId}", reason: "authorization matrix")`,
      rejectIdentityMatch: `(${crosswalkEntry}, reason: "authorization matrix")`,
      linkSourceReference: `(${crosswalkEntry}, personId: "${person.citizenId}", reason: "authorization matrix")`,
      unlinkSourceReference: `(${crosswalkEntry}, reason: "authorization matrix")`,
      mergePersons: `(survivorId: "${person.citizenId}", mergedId: "${other.citizenId}", reason: "authorization matrix")`,
      unmergePersons: `(mergeId: "${merge.id}", reason: "authorization matrix")`,
      person: `(id: "${person.citizenId}")`,
      persons: `(ids: ["${person.citizenId}"])`,
      searchPersons: `(filter: { name: "${person.fullName}" }, first: 1)`,
      vaccination: `(id: "${dose.source}:${dose.sourceRecordId}")`,
      vaccinationCoverage: `(from: "${year}-01-01", to: "${year}-12-31")`,
      testResult: `(id: "${test.source}:${test.sourceRecordId}")`,
      healthInsuranceCard: `(cardNumber: "${population.insuranceCard(i)!.cardNumber}")`,
      case: `(code: "${kase.caseCode}")`,
      venue: '(code: "VN-79-0001")',
      verifyCertificate: '(hc1: "HC1:NOT A CERTIFICATE")',
      revokeCertificate: `(uvci: "${uvci}", reason: "authorization matrix")`,
      trace: `(caseCode: "${kase.caseCode}")`,
      subscribeToNewCases: '(url: "http://127.0.0.1:9/hooks/cases")',
      unsubscribeFromNewCases: '(id: "0")',
      riskMap: `(date: "${year}-06-30")`,
      areaRisk: `(code: "${person.addresses[0]!.districtCode}", date: "${year}-06-30")`,
      dailyReports: `(from: "${year}-01-01", to: "${year}-01-31")`,
      // No check-ins are seeded, so the case has no candidates: promoting none writes nothing.
      promoteCandidates: `(caseCode: "${kase.caseCode}", personIds: [])`,
      auditTrailOfPerson: `(personId: "${person.citizenId}")`,
      auditTrailOfPartner: '(partnerId: "nobody")',
      // Unknown to the empty workplaces store: null, so the matrix stops there.
      workplace: '(taxCode: "0100109106")',
      industrialZone: '(code: "KCN-79-01")',
      // No isolation at home is seeded: an empty list, and null.
      homeIsolationWorklist: '(wardCode: "26734")',
      homeIsolation: '(id: "citizen-app:none")',
      // The example province's own map, which a province partner may read too.
      controlMap: `(provinceCode: "${EXAMPLE_PROVINCE}", date: "${year}-06-30")`,
      // The example province's own report, which a province partner may send too.
      submitDailyReport: `(provinceCode: "${EXAMPLE_PROVINCE}", date: "${year}-06-30")`,
    };
  });
  afterAll(async () => {
    await hub?.stop();
    await db?.drop();
  });

  /** The shortest chain of fields from Query (or Mutation) to `target`, using only fields `usable` allows. */
  function pathTo(target: string, usable: (coordinate: string) => boolean): GraphQLField<unknown, unknown>[] | null {
    const roots = [schema.getQueryType()!, schema.getMutationType()].filter((t): t is GraphQLObjectType => !!t);
    const queue: Array<{ type: GraphQLObjectType; path: GraphQLField<unknown, unknown>[] }> = roots.map((type) => ({ type, path: [] }));
    const seen = new Set<string>(roots.map((t) => t.name));
    while (queue.length) {
      const { type, path } = queue.shift()!;
      for (const field of Object.values(type.getFields())) {
        const coordinate = `${type.name}.${field.name}`;
        if (INTERNAL.test(field.name) || inaccessible(field)) continue;
        if (coordinate === target) return [...path, field];
        if (!usable(coordinate)) continue;
        const next = getNamedType(field.type);
        if (isObjectType(next) && !seen.has(next.name)) {
          seen.add(next.name);
          queue.push({ type: next, path: [...path, field] });
        }
      }
    }
    return null;
  }

  function documentFor(path: GraphQLField<unknown, unknown>[]): string {
    let inner = isLeafType(getNamedType(path[path.length - 1]!.type)) ? '' : '{ __typename }';
    for (let k = path.length - 1; k >= 0; k--) {
      const field = path[k]!;
      const required = field.args.filter((a) => isNonNullType(a.type) && a.defaultValue === undefined);
      let args = '';
      if (k === 0 && field.name in rootArguments) {
        args = rootArguments[field.name]!;
      } else if (k === 0 && required.length > 0) {
        throw new Error(`${rootName(field)}.${field.name} has required arguments: add an example to rootArguments in this test`);
      } else if (required.length > 0) {
        throw new Error(`${field.name} has required arguments: give the matrix an example`);
      }
      inner = `{ ${field.name}${args} ${inner} }`;
    }
    return isMutation(path[0]!) ? `mutation ${inner}` : inner;
  }

  function isMutation(field: GraphQLField<unknown, unknown>): boolean {
    return schema.getMutationType()?.getFields()[field.name] === field;
  }

  function rootName(field: GraphQLField<unknown, unknown>): string {
    return isMutation(field) ? 'Mutation' : 'Query';
  }

  /** The values found at `keys` (lists crossed), and whether every parent on the way was reached. */
  function valuesAt(data: unknown, keys: string[]): { reached: boolean; values: unknown[] } {
    let nodes: unknown[] = [data];
    for (let k = 0; k < keys.length; k++) {
      const next: unknown[] = [];
      for (const node of nodes.flat(3)) {
        if (node && typeof node === 'object' && keys[k]! in node) next.push((node as Record<string, unknown>)[keys[k]!]);
      }
      if (next.length === 0) return { reached: false, values: [] };
      nodes = next;
    }
    return { reached: true, values: nodes };
  }

  const coordinates = fields.map(({ type, field }) => `${type.name}.${field.name}`);
  const cases = ROLE_NAMES.flatMap((role) => coordinates.map((coordinate) => [role, coordinate] as [Role, string]));

  it.each(cases)('%s × %s', async (role, coordinate) => {
    const caller = { scopes: ROLES[role].scopes, provinceCode: role === 'province' ? EXAMPLE_PROVINCE : null };
    const allowed = (c: string) => decide(rules.get(c), caller).allowed;
    // A way in the role may use, if there is one; otherwise any way (the first denied field on it is what must be refused).
    const path = pathTo(coordinate, allowed) ?? pathTo(coordinate, () => true);
    expect(path).not.toBeNull();
    const coordinatesOnPath = path!.map((field, k) => `${k === 0 ? rootName(field) : (getNamedType(path![k - 1]!.type) as GraphQLObjectType).name}.${field.name}`);
    const firstDenied = coordinatesOnPath.find((c) => !allowed(c));
    const body = await query(hub.client(role), documentFor(path!));
    const forbidden = (body.errors ?? []).filter((e: { extensions?: { code?: string } }) => e.extensions?.code === 'HUB_GATEWAY_FORBIDDEN_FIELD');
    if (firstDenied) {
      const decision = decide(rules.get(firstDenied), caller);
      expect(forbidden.map((e: { extensions: unknown }) => e.extensions)).toEqual([
        expect.objectContaining({ field: firstDenied, ...(decision.allowed ? {} : { missingScopes: decision.missingScopes, missingPolicies: decision.missingPolicies }) }),
      ]);
      const keys = path!.slice(0, coordinatesOnPath.indexOf(firstDenied) + 1).map((f) => f.name);
      expect(valuesAt(body.data, keys).values.every((v) => v === null)).toBe(true);
    } else {
      expect(body.errors).toBeUndefined();
      // Reached with a value, unless the example data has nothing on the way (an empty list or a null parent).
      const keys = path!.map((f) => f.name);
      const found = valuesAt(body.data, keys);
      const stopped = keys.slice(0, -1).some((_, k) => valuesAt(body.data, keys.slice(0, k + 1)).values.flat(3).every((v) => v === null) );
      expect(found.reached || stopped).toBe(true);
    }
  });
});
