import { randomBytes } from 'node:crypto';
import { verifyAuditLog } from '@health-hub/audit';
import { upsertCheckIns, upsertContacts, upsertHealthReports, upsertHomeIsolations, upsertMedicalDeclarations, upsertVenues } from '@health-hub/cases';
import { DEFAULT_RETENTION_DAYS, enforceRetention, migrateAll, RETENTION_PARTNER_ID, scheduleRetention } from '@health-hub/hub';
import { createPool, type Pool } from '@health-hub/subgraph-kit';
import { freshDatabase } from '@health-hub/subgraph-kit/testing';

const DAY = 86_400_000;
const NOW = new Date('2021-09-30T12:00:00Z');
const daysAgo = (n: number) => new Date(NOW.getTime() - n * DAY).toISOString();
const record = (id: string) => ({ source: 'citizen-app', sourceRecordId: id, raw: { id }, sourceUpdatedAt: '2021-09-01T00:00:00.000Z' });
const personal = (id: string) => ({ ...record(id), personId: '079187000001', personRef: { cccd: '079187000001' } });

// Ages in days of the stored records of each class: some past their retention period, some not.
const CHECK_IN_AGES = [1, 5, 20, 22, 30, 45];
const DECLARATION_AGES = [2, 21.5, 40];
const CONTACT_AGES = [10, 59, 61, 90];
// Daily health reports: three in an isolation at home that began 42 days ago (14 days), one in one that began 10 days ago.
const HEALTH_REPORT_AGES = [4, 29, 31, 40];
// Alerts raised on those isolations: an alert goes once it and its isolation's end are both past
// the period (the sweep raises each alert of an open isolation once because its row is there).
// hi-0 ran from 42 to 28 days ago, hi-1 from 10 to 3 days ago, hi-2 from 60 to 46 days ago.
const ALERTS = [{ isolation: 'hi-1', age: 3 }, { isolation: 'hi-0', age: 35 }, { isolation: 'hi-2', age: 50 }];
// Their webhook deliveries (the oldest still pending: it is kept; a new case's delivery is not
// tracing data and is kept too).
const DELIVERIES: Array<{ age: number; status: 'DELIVERED' | 'FAILED' | 'PENDING' }> = [
  { age: 3, status: 'DELIVERED' }, { age: 35, status: 'DELIVERED' }, { age: 36, status: 'FAILED' }, { age: 37, status: 'PENDING' },
];

async function store(pool: Pool): Promise<void> {
  await upsertVenues(pool, [{ ...record('V-1'), code: 'V-1', name: 'Chợ Bến Thành', kind: 'MARKET', provinceCode: '79', wardCode: '26734' }]);
  await upsertCheckIns(pool, CHECK_IN_AGES.map((age, i) => ({
    ...personal(`ci-${i}`), venueCode: 'V-1', checkedInAt: daysAgo(age), checkedOutAt: null, provinceCode: '79',
  })));
  await upsertMedicalDeclarations(pool, DECLARATION_AGES.map((age, i) => ({
    ...personal(`md-${i}`), kind: 'DOMESTIC', declaredAt: daysAgo(age), provinceCode: '79', symptoms: [], travelledFrom: null, borderGate: null,
  })));
  await upsertContacts(pool, CONTACT_AGES.map((age, i) => ({
    ...personal(`ct-${i}`), source: 'case-management-79', level: 'F1', exposedToCase: 'BN100001', exposedToContact: null, exposedAt: daysAgo(age),
    exposure: 'HOUSEHOLD', venueCode: null, place: null, status: 'MONITORING', provinceCode: '79',
  })));
  await upsertHomeIsolations(pool, [42, 10, 60].map((age, i) => ({
    ...personal(`hi-${i}`), kind: 'HOME_QUARANTINE', caseCode: null, contactId: `case-management-79:ct-${i}`, provinceCode: '79', wardCode: '26734',
    startsAt: daysAgo(age), fullyVaccinated: age < 14, day7Negative: null, releasedAt: null,
  })));
  await upsertHealthReports(pool, HEALTH_REPORT_AGES.map((age, i) => ({
    ...record(`hr-${i}`), isolationId: `citizen-app:hi-${age > 10 ? 0 : 1}`, reportedAt: daysAgo(age), temperature: 36.6, spo2: 98, symptoms: [], reportedBy: 'SELF',
  })));
  // As the alert sweep writes them: each names the person and the values that alerted.
  for (const [i, a] of ALERTS.entries()) {
    await pool.query(
      `INSERT INTO cases.home_isolation_alert (isolation_source, isolation_record_id, kind, alert_key, raised_at, details)
       VALUES ('citizen-app', $1, 'THRESHOLD', $2, $3, $4)`,
      [a.isolation, `citizen-app:hr-${i}`, daysAgo(a.age), { personId: '079187000001', spo2: 93 }],
    );
  }
  const { rows: [hook] } = await pool.query<{ id: string }>(
    "INSERT INTO cases.webhook_subscriber (url, secret, events) VALUES ('https://receiver.example/hooks', 'secret', '{home-isolation.threshold-crossed}') RETURNING id",
  );
  for (const [i, d] of DELIVERIES.entries()) {
    await pool.query(
      'INSERT INTO cases.webhook_delivery (subscriber_id, event_id, payload, status, created_at) VALUES ($1, $2, $3, $4, $5)',
      [hook!.id, `home-isolation.threshold-crossed:citizen-app:hi-0:citizen-app:hr-${i}`, { personId: '079187000001', spo2: 93 }, d.status, daysAgo(d.age)],
    );
  }
  await pool.query(
    "INSERT INTO cases.webhook_delivery (subscriber_id, case_code, event_id, payload, status, created_at) VALUES ($1, 'BN1', 'case.confirmed:BN1', '{}', 'DELIVERED', $2)",
    [hook!.id, daysAgo(90)],
  );
}

async function counts(pool: Pool) {
  const { rows } = await pool.query(`SELECT (SELECT count(*) FROM cases.check_in)::int AS "checkIns",
    (SELECT count(*) FROM cases.medical_declaration)::int AS "medicalDeclarations", (SELECT count(*) FROM cases.contact)::int AS contacts,
    (SELECT count(*) FROM cases.health_report)::int AS "healthReports",
    (SELECT count(*) FROM cases.home_isolation_alert)::int AS "isolationAlerts", (SELECT count(*) FROM cases.webhook_delivery)::int AS "alertDeliveries"`);
  return rows[0];
}

const older = (ages: number[], days: number) => ages.filter((a) => a > days).length;

describe('retention of mass-collected tracing data', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let pool: Pool;

  beforeAll(async () => {
    db = await freshDatabase();
    await migrateAll(db.url);
    pool = createPool({ databaseUrl: db.url, applicationName: 'retention-test' });
  });
  afterAll(async () => {
    await pool?.end();
    await db?.drop();
  });
  beforeEach(async () => {
    await pool.query('TRUNCATE cases.check_in, cases.medical_declaration, cases.contact, cases.venue, cases.health_report, cases.home_isolation, cases.home_isolation_alert, cases.webhook_subscriber CASCADE');
    await store(pool);
  });

  it('deletes, in small batches, exactly what is older than each class keeps, and audits the counts only', async () => {
    const report = await enforceRetention(pool, { databaseUrl: db.url, batchSize: 2 }, NOW);
    const expected = {
      checkIns: older(CHECK_IN_AGES, DEFAULT_RETENTION_DAYS.checkIns),
      medicalDeclarations: older(DECLARATION_AGES, DEFAULT_RETENTION_DAYS.medicalDeclarations),
      contacts: older(CONTACT_AGES, DEFAULT_RETENTION_DAYS.contacts),
      healthReports: older(HEALTH_REPORT_AGES, DEFAULT_RETENTION_DAYS.healthReports),
      isolationAlerts: 1, // hi-2's: hi-0's ended within the period
      // The delivered and the failed one; the pending one is still owed.
      alertDeliveries: DELIVERIES.filter((d) => d.age > DEFAULT_RETENTION_DAYS.alertDeliveries && d.status !== 'PENDING').length,
    };
    expect(expected).toEqual({ checkIns: 3, medicalDeclarations: 2, contacts: 2, healthReports: 2, isolationAlerts: 1, alertDeliveries: 2 });
    expect(report.checkIns).toEqual({ before: daysAgo(21), deleted: 3 });
    expect(report.medicalDeclarations.deleted).toBe(2);
    expect(report.contacts).toEqual({ before: daysAgo(60), deleted: 2 });
    expect(report.healthReports).toEqual({ before: daysAgo(30), deleted: 2 });
    expect(report.isolationAlerts).toEqual({ before: daysAgo(30), deleted: 1 });
    expect(report.alertDeliveries).toEqual({ before: daysAgo(30), deleted: 2 });
    expect(await counts(pool)).toEqual({
      checkIns: CHECK_IN_AGES.length - 3, medicalDeclarations: DECLARATION_AGES.length - 2, contacts: CONTACT_AGES.length - 2, healthReports: HEALTH_REPORT_AGES.length - 2,
      isolationAlerts: ALERTS.length - 1, alertDeliveries: DELIVERIES.length + 1 - 2,
    });

    const { rows } = await pool.query(
      'SELECT partner_id, purpose, operation, person_ids, fields FROM audit.entry WHERE partner_id = $1 ORDER BY seq', [RETENTION_PARTNER_ID],
    );
    // One entry per batch (of 2 here), committed with the batch's deletion.
    expect(rows).toEqual([
      { partner_id: RETENTION_PARTNER_ID, purpose: 'retention', operation: 'retention:checkIns', person_ids: [], fields: ['deleted=2', `before=${daysAgo(21)}`, 'retentionDays=21'] },
      { partner_id: RETENTION_PARTNER_ID, purpose: 'retention', operation: 'retention:checkIns', person_ids: [], fields: ['deleted=1', `before=${daysAgo(21)}`, 'retentionDays=21'] },
      { partner_id: RETENTION_PARTNER_ID, purpose: 'retention', operation: 'retention:medicalDeclarations', person_ids: [], fields: ['deleted=2', `before=${daysAgo(21)}`, 'retentionDays=21'] },
      { partner_id: RETENTION_PARTNER_ID, purpose: 'retention', operation: 'retention:contacts', person_ids: [], fields: ['deleted=2', `before=${daysAgo(60)}`, 'retentionDays=60'] },
      { partner_id: RETENTION_PARTNER_ID, purpose: 'retention', operation: 'retention:healthReports', person_ids: [], fields: ['deleted=2', `before=${daysAgo(30)}`, 'retentionDays=30'] },
      { partner_id: RETENTION_PARTNER_ID, purpose: 'retention', operation: 'retention:isolationAlerts', person_ids: [], fields: ['deleted=1', `before=${daysAgo(30)}`, 'retentionDays=30'] },
      { partner_id: RETENTION_PARTNER_ID, purpose: 'retention', operation: 'retention:alertDeliveries', person_ids: [], fields: ['deleted=2', `before=${daysAgo(30)}`, 'retentionDays=30'] },
    ]);
    // The entries join the hash chain like any other.
    expect((await verifyAuditLog(pool)).ok).toBe(true);

    // A second run finds nothing more to delete and says so.
    const again = await enforceRetention(pool, { databaseUrl: db.url }, NOW);
    expect(Object.values(again).map((r) => r.deleted)).toEqual([0, 0, 0, 0, 0, 0]);
  });

  it('leaves no deletion unaudited when writing to the audit log fails', async () => {
    // The audit log refuses the contacts' entries: their deletion must not happen either.
    await pool.query(`CREATE FUNCTION refuse_contact_entries() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.operation = 'retention:contacts' THEN RAISE EXCEPTION 'audit log unavailable'; END IF; RETURN NEW; END $$`);
    await pool.query('CREATE TRIGGER refuse_contacts BEFORE INSERT ON audit.entry FOR EACH ROW EXECUTE FUNCTION refuse_contact_entries()');
    const { rows: [last] } = await pool.query<{ seq: number }>('SELECT coalesce(max(seq), 0)::int AS seq FROM audit.entry');
    const audited = async () => (await pool.query<{ operation: string; deleted: number }>(
      `SELECT operation, sum(split_part(fields[1], '=', 2)::int)::int AS deleted FROM audit.entry
        WHERE partner_id = $1 AND seq > $2 GROUP BY operation ORDER BY operation`, [RETENTION_PARTNER_ID, last!.seq],
    )).rows;
    try {
      await expect(enforceRetention(pool, { databaseUrl: db.url, batchSize: 2 }, NOW)).rejects.toThrow(/audit log unavailable/);
      expect((await counts(pool)).contacts).toBe(CONTACT_AGES.length);
      expect(await audited()).toEqual([{ operation: 'retention:checkIns', deleted: 3 }, { operation: 'retention:medicalDeclarations', deleted: 2 }]);
    } finally {
      await pool.query('DROP TRIGGER refuse_contacts ON audit.entry');
      await pool.query('DROP FUNCTION refuse_contact_entries()');
    }
    // The retry deletes the rest and accounts for it: every deleted record is in the log once.
    await enforceRetention(pool, { databaseUrl: db.url, batchSize: 2 }, NOW);
    expect(await audited()).toEqual([
      { operation: 'retention:alertDeliveries', deleted: 2 },
      { operation: 'retention:checkIns', deleted: 3 }, { operation: 'retention:contacts', deleted: 2 }, { operation: 'retention:healthReports', deleted: 2 },
      { operation: 'retention:isolationAlerts', deleted: 1 }, { operation: 'retention:medicalDeclarations', deleted: 2 },
    ]);
    expect((await verifyAuditLog(pool)).ok).toBe(true);
  });

  it('takes the retention periods from configuration', async () => {
    const report = await enforceRetention(pool, { databaseUrl: db.url, days: { checkIns: 3, contacts: 100 }, clock: () => NOW });
    expect(report.checkIns.deleted).toBe(older(CHECK_IN_AGES, 3));
    expect(report.contacts.deleted).toBe(0);
    expect(report.medicalDeclarations.deleted).toBe(older(DECLARATION_AGES, DEFAULT_RETENTION_DAYS.medicalDeclarations));
  });

  it('refuses a bad configuration naming the field', async () => {
    await expect(enforceRetention(pool, { databaseUrl: db.url, days: { checkIns: 0 } })).rejects.toMatchObject({
      code: 'HUB_RETENTION_BAD_OPTION', details: { field: 'days.checkIns' },
    });
    await expect(enforceRetention(pool, { databaseUrl: db.url, days: { quarantines: 5 } as never })).rejects.toMatchObject({
      code: 'HUB_RETENTION_BAD_OPTION',
    });
  });

  it('runs as a scheduled BullMQ job on Redis', async () => {
    const { rows: [last] } = await pool.query<{ seq: number }>('SELECT coalesce(max(seq), 0)::int AS seq FROM audit.entry');
    const retention = await scheduleRetention({
      databaseUrl: db.url, redisUrl: process.env.HUB_TEST_REDIS_URL!, queuePrefix: `t${randomBytes(4).toString('hex')}`, everyMs: 3_600_000,
    });
    try {
      // Against the real clock every stored 2021 record is past its period. The scheduler's
      // first run starts at once, so the deletions may be its or this run's: the audit log's
      // counts, summed over the runs, must account for every record.
      await retention.runNow();
      expect(await counts(pool)).toEqual({ checkIns: 0, medicalDeclarations: 0, contacts: 0, healthReports: 0, isolationAlerts: 0, alertDeliveries: 2 });
      const { rows } = await pool.query<{ operation: string; deleted: number }>(
        `SELECT operation, sum(split_part(fields[1], '=', 2)::int)::int AS deleted FROM audit.entry
          WHERE partner_id = $1 AND seq > $2 GROUP BY operation ORDER BY operation`, [RETENTION_PARTNER_ID, last!.seq],
      );
      expect(rows).toEqual([
        { operation: 'retention:alertDeliveries', deleted: DELIVERIES.filter((d) => d.status !== 'PENDING').length },
        { operation: 'retention:checkIns', deleted: CHECK_IN_AGES.length },
        { operation: 'retention:contacts', deleted: CONTACT_AGES.length },
        { operation: 'retention:healthReports', deleted: HEALTH_REPORT_AGES.length },
        { operation: 'retention:isolationAlerts', deleted: ALERTS.length },
        { operation: 'retention:medicalDeclarations', deleted: DECLARATION_AGES.length },
      ]);
    } finally {
      await retention.close();
    }
  });
});
