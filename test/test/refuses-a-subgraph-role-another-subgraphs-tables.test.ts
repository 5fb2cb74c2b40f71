import { randomBytes } from 'node:crypto';
import { connectorWorkerSchemas, linkAtIngest, MIGRATIONS_DIR as CONNECTORS_MIGRATIONS_DIR } from '@health-hub/connectors';
import { queueAuditEntries } from '@health-hub/audit';
import { migrateAll, SUBGRAPHS } from '@health-hub/hub';
import { upsertPersons, type PersonUpsert } from '@health-hub/registry';
import {
  createPool, HUB_SCHEMAS, withTransaction, migrate, provisionRoles, SERVICE_SCHEMAS, serviceRole, serviceRoleName, type HubService, type Pool, type RoleGrant,
} from '@health-hub/subgraph-kit';
import { freshDatabase } from '@health-hub/subgraph-kit/testing';
import { upsertDoses, type DoseUpsert } from '@health-hub/vaccination';
import pg from 'pg';

const AT = '2022-01-01T00:00:00.000Z';
const SUBGRAPH_SCHEMAS = ['registry', 'vaccination', 'testing', 'insurance', 'cases', 'audit'] as const;
const INSUFFICIENT_PRIVILEGE = '42501';

const person: PersonUpsert = {
  citizenId: '001090012345', source: 'population-registry', sourceRecordId: '001090012345', familyName: 'Nguyễn', middleName: 'Văn',
  givenName: 'An', sex: 'MALE', birthDate: '1990-05-12', birthYear: 1990, phone: '0326123456', oldIds: [{ kind: 'CMND', number: '012345678' }],
  addresses: [{ kind: 'PERMANENT', provinceCode: '01', districtCode: '001', wardCode: '00001', line: 'Số 1' }],
  householdId: null, raw: {}, sourceUpdatedAt: AT,
};
const dose: DoseUpsert = {
  source: 'vaccination-platform', sourceRecordId: 'd1', personId: null, personRef: { kind: 'OLD_ID', oldId: '012345678' }, doseNumber: 1,
  vaccine: 'COMIRNATY', manufacturer: 'Pfizer', lot: 'L1', administeredOn: '2021-08-01', siteName: 'Trạm Y tế', siteProvinceCode: '01', raw: {}, sourceUpdatedAt: AT,
};

describe('each service connects with a role limited to its own schemas', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let owner: pg.Client;
  // Roles belong to the whole server: this run's own names, dropped at the end.
  const suffix = randomBytes(4).toString('hex');
  const password = `pw-${suffix}`;
  const services = Object.keys(SERVICE_SCHEMAS) as HubService[];
  const roleOf = (service: string) => `${serviceRoleName(service)}_${suffix}`;
  const worker: RoleGrant = { name: roleOf('connector-worker'), password, schemas: connectorWorkerSchemas(['vaccination']) };
  const roles = (): RoleGrant[] => [...services.map((s) => serviceRole(s, { name: roleOf(s), password })), worker];
  const pools: Pool[] = [];
  /** A table of each schema, to try. */
  const tableOf: Record<string, string> = {};

  const poolAs = (role: string) => {
    const url = new URL(db.url);
    url.username = role;
    url.password = password;
    const pool = createPool({ databaseUrl: url.toString(), applicationName: `roles-test-${role}`, max: 2 });
    pools.push(pool);
    return pool;
  };
  const refusal = (promise: Promise<unknown>) => promise.then(() => 'allowed', (error: { code?: string }) => error.code);

  beforeAll(async () => {
    db = await freshDatabase();
    await migrateAll(db.url);
    await migrate({ databaseUrl: db.url, schema: 'connectors', dir: CONNECTORS_MIGRATIONS_DIR });
    owner = new pg.Client({ connectionString: db.url });
    await owner.connect();
    const { rows } = await owner.query<{ schemaname: string; tablename: string }>(
      `SELECT DISTINCT ON (schemaname) schemaname, tablename FROM pg_tables
        WHERE schemaname = ANY($1::text[]) AND tablename <> 'pgmigrations' ORDER BY schemaname, tablename`,
      [[...HUB_SCHEMAS]],
    );
    for (const row of rows) tableOf[row.schemaname] = `${row.schemaname}.${row.tablename}`;
    await provisionRoles({ databaseUrl: db.url, roles: roles(), closedSchemas: HUB_SCHEMAS });
  });
  afterAll(async () => {
    await Promise.all(pools.map((p) => p.end()));
    await owner?.end();
    await db?.drop();
    const admin = new pg.Client({ connectionString: process.env.HUB_TEST_ADMIN_DATABASE_URL });
    await admin.connect();
    try {
      for (const role of roles()) await admin.query(`DROP ROLE IF EXISTS ${admin.escapeIdentifier(role.name)}`);
    } finally {
      await admin.end();
    }
  });

  it('refuses every subgraph role the tables of every other subgraph, reading and writing', async () => {
    expect(Object.keys(tableOf).sort()).toEqual([...HUB_SCHEMAS].sort());
    const refused: string[] = [];
    for (const own of SUBGRAPH_SCHEMAS) {
      const pool = poolAs(roleOf(own));
      expect(await refusal(pool.query(`SELECT count(*) FROM ${tableOf[own]}`))).toBe('allowed');
      for (const other of SUBGRAPH_SCHEMAS.filter((s) => s !== own)) {
        expect(await refusal(pool.query(`SELECT count(*) FROM ${tableOf[other]}`))).toBe(INSUFFICIENT_PRIVILEGE);
        expect(await refusal(pool.query(`DELETE FROM ${tableOf[other]}`))).toBe(INSUFFICIENT_PRIVILEGE);
        refused.push(`${own}->${other}`);
      }
      // Nor the partners and keys, nor the connectors' cursors.
      expect(await refusal(pool.query(`SELECT count(*) FROM ${tableOf.access}`))).toBe(INSUFFICIENT_PRIVILEGE);
      expect(await refusal(pool.query(`SELECT count(*) FROM ${tableOf.connectors}`))).toBe(INSUFFICIENT_PRIVILEGE);
    }
    expect(refused).toHaveLength(6 * 5);
  });

  it('lets a subgraph write its own store through its store functions, and change no schema', async () => {
    const registry = poolAs(roleOf('registry'));
    expect(await upsertPersons(registry, [person])).toEqual(['001090012345']);
    expect(await refusal(registry.query('CREATE TABLE registry.extra (id int)'))).toBe(INSUFFICIENT_PRIVILEGE);
    expect(await refusal(registry.query('DROP TABLE registry.person'))).toBe(INSUFFICIENT_PRIVILEGE);
    // The migrations ledger is the migrate job's alone.
    expect(await refusal(registry.query('SELECT count(*) FROM registry.pgmigrations'))).toBe(INSUFFICIENT_PRIVILEGE);
    // The certificate issuers share the certificates schema; the others do not see it.
    expect(await refusal(poolAs(roleOf('vaccination')).query(`SELECT count(*) FROM ${tableOf.certificates}`))).toBe('allowed');
    expect(await refusal(poolAs(roleOf('cases')).query(`SELECT count(*) FROM ${tableOf.certificates}`))).toBe(INSUFFICIENT_PRIVILEGE);
  });

  it('lets the gateway read the access schema and the certificate lists, and write neither; it writes only the audit outbox', async () => {
    const gateway = poolAs(roleOf('gateway'));
    expect(await refusal(gateway.query('SELECT count(*) FROM access.partner'))).toBe('allowed');
    expect(await refusal(gateway.query('SELECT count(*) FROM certificates.signing_key'))).toBe('allowed');
    expect(await refusal(gateway.query(`UPDATE access.partner SET revoked_at = now()`))).toBe(INSUFFICIENT_PRIVILEGE);
    for (const schema of SUBGRAPH_SCHEMAS.filter((s) => s !== 'audit')) expect(await refusal(gateway.query(`SELECT count(*) FROM ${tableOf[schema]}`))).toBe(INSUFFICIENT_PRIVILEGE);
    // An answer's audit entry is committed to the outbox before the answer leaves; the chain stays append-only.
    expect(await refusal(gateway.query('SELECT count(*) FROM audit.outbox'))).toBe('allowed');
    expect(await refusal(gateway.query('TRUNCATE audit.entry'))).toBe(INSUFFICIENT_PRIVILEGE);
    // It adds entries to the outbox; it cannot change or remove one waiting there, nor can the
    // webhook dispatcher, which adds one per delivery.
    const entry = { at: new Date().toISOString(), partnerId: 'p', purpose: 'epidemic-prevention', operation: 'op', requestId: 'r', clientAddress: null, personIds: [], fields: [] };
    for (const service of ['gateway', 'webhook-dispatcher'] as const) {
      const pool = poolAs(roleOf(service));
      expect(await refusal(queueAuditEntries(pool, [entry]))).toBe('allowed');
      expect(await refusal(pool.query('UPDATE audit.outbox SET record = record'))).toBe(INSUFFICIENT_PRIVILEGE);
      expect(await refusal(pool.query('DELETE FROM audit.outbox'))).toBe(INSUFFICIENT_PRIVILEGE);
    }
  });

  it('lets a connector worker write only the stores of its connectors', async () => {
    const pool = poolAs(worker.name);
    // The vaccination connector stores doses and links them through the registry's crosswalk.
    const summary = await withTransaction(pool, async (tx) => {
      await upsertDoses(tx, [dose]);
      return linkAtIngest(tx, 'vaccination', [dose]);
    });
    expect(summary).toMatchObject({ linked: 1 });
    expect(await refusal(pool.query('SELECT count(*) FROM connectors.stream_state'))).toBe('allowed');
    for (const schema of ['testing', 'insurance', 'cases', 'audit', 'access', 'certificates']) {
      expect(await refusal(pool.query(`SELECT count(*) FROM ${tableOf[schema]}`))).toBe(INSUFFICIENT_PRIVILEGE);
    }
  });

  it('grants a table a later migration creates, and takes back what a narrower grant leaves out', async () => {
    await owner.query('CREATE TABLE registry.later (id int)');
    expect(await refusal(poolAs(roleOf('registry')).query('INSERT INTO registry.later VALUES (1)'))).toBe('allowed');
    expect(await refusal(poolAs(roleOf('vaccination')).query('SELECT count(*) FROM registry.later'))).toBe(INSUFFICIENT_PRIVILEGE);

    const narrower = roles().map((r) => (r.name === roleOf('vaccination') ? { ...r, schemas: { vaccination: 'write' as const } } : r));
    const report = await provisionRoles({ databaseUrl: db.url, roles: narrower, closedSchemas: HUB_SCHEMAS });
    expect(report.roles.find((r) => r.name === roleOf('vaccination'))).toEqual({ name: roleOf('vaccination'), created: false, schemas: { vaccination: 'write' } });
    expect(await refusal(poolAs(roleOf('vaccination')).query(`SELECT count(*) FROM ${tableOf.certificates}`))).toBe(INSUFFICIENT_PRIVILEGE);
  });

  it('skips the schemas a database does not hold, for a subgraph on a server of its own', async () => {
    const other = await freshDatabase();
    try {
      await migrate({ databaseUrl: other.url, schema: 'insurance', dir: SUBGRAPHS.insurance.migrationsDir });
      const report = await provisionRoles({ databaseUrl: other.url, roles: roles(), closedSchemas: HUB_SCHEMAS });
      expect(report.roles.map((r) => r.name)).toEqual([roleOf('insurance')]);
      expect(report.absentSchemas).toEqual(expect.arrayContaining(['registry', 'access', 'certificates', 'connectors']));
    } finally {
      await other.drop();
    }
  });

  it('refuses a role name that is not a plain identifier, with a coded error', async () => {
    await expect(provisionRoles({ databaseUrl: db.url, roles: [{ name: 'hub"; DROP ROLE x; --', schemas: { registry: 'read' } }] }))
      .rejects.toMatchObject({ code: 'HUB_SUBGRAPH_BAD_ROLES' });
  });
});
