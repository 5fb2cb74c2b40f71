import { LAB_CSV_HEADER, labCsvRow, labPatient, LOINC_BY_METHOD, SNOMED_BY_RESULT, type LabFhirResult, type Population, type TestRecord } from '@health-hub/simulators';
import { MIGRATIONS_DIR as REGISTRY_MIGRATIONS } from '@health-hub/registry';
import { migrate, type Pool } from '@health-hub/subgraph-kit';
import { MIGRATIONS_DIR as TESTING_MIGRATIONS } from '@health-hub/testing';
import { startConnectorRuntime, type ConnectorRuntime, type ConnectorRuntimeOptions, type ConnectorSetup } from '../src';
import { startSourceHarness, type SourceHarness } from './source-harness';

/** The harness's own database (the pool was made from its URL). */
function databaseUrlOf(h: SourceHarness): string {
  return (h.pool as unknown as { options: { connectionString: string } }).options.connectionString;
}

/** A source harness whose database also has the testing subgraph's schema. */
export async function startLabHarness(options: {
  connectors: ConnectorSetup[];
  runtime?: Partial<ConnectorRuntimeOptions>;
  servers?: Array<{ close(): Promise<void> }>;
}): Promise<SourceHarness> {
  const h = await startSourceHarness({ schemas: [], ...options });
  // Nothing runs before runNow (no schedules), so the schema can come after the runtime.
  // Results are linked at ingest through the registry's crosswalk.
  await migrate({ databaseUrl: databaseUrlOf(h), schema: 'registry', dir: REGISTRY_MIGRATIONS });
  await migrate({ databaseUrl: databaseUrlOf(h), schema: 'testing', dir: TESTING_MIGRATIONS });
  return h;
}

/** A second runtime on the harness's database and queues (as after a restart); the caller closes it. */
export function restartRuntime(h: SourceHarness, connectors: ConnectorSetup[]): Promise<ConnectorRuntime> {
  return startConnectorRuntime({
    databaseUrl: databaseUrlOf(h),
    redisUrl: process.env.HUB_TEST_REDIS_URL!,
    connectors,
    logLevel: 'silent',
    queuePrefix: h.queuePrefix,
    schedules: false,
    backoffMs: 5,
    maxBackoffMs: 40,
  });
}

/** Stored test results in the columns the lab connectors fill, by source record id. */
export async function storedResults(pool: Pool) {
  const { rows } = await pool.query(
    `SELECT source, source_record_id AS "sourceRecordId", person_id AS "personId", person_ref AS "personRef", method, result,
            sampled_at AS "sampledAt", resulted_at AS "resultedAt", lab_id AS "labId", lab_name AS "labName", pool_id AS "poolId",
            raw, source_updated_at AS "sourceUpdatedAt"
       FROM testing.test_result ORDER BY source_record_id`,
  );
  return rows.map((r) => ({
    ...r,
    sampledAt: (r.sampledAt as Date).toISOString(),
    resultedAt: (r.resultedAt as Date).toISOString(),
    sourceUpdatedAt: (r.sourceUpdatedAt as Date).toISOString(),
  }));
}

/** How the lab named the person of a generated record, as the hub keeps it: the CCCD, else the demographics. */
export function expectedPersonRef(record: TestRecord, population: Population) {
  const p = labPatient(record, population);
  return p.citizenId !== null
    ? { kind: 'CITIZEN_ID', citizenId: p.citizenId }
    : { kind: 'DEMOGRAPHIC', fullName: p.fullName, birthDate: p.birthDate, birthYear: p.birthYear, phone: p.phone };
}

/** The generated lab records of a source, by record id. */
export function labRecords(population: Population, source: 'lab-fhir' | 'lab-csv'): Map<string, TestRecord> {
  const out = new Map<string, TestRecord>();
  for (let i = 0; i < population.size; i++) for (const r of population.testResults(i)) if (r.source === source) out.set(r.sourceRecordId, r);
  return out;
}

const byId = (a: { sourceRecordId: string }, b: { sourceRecordId: string }) => (a.sourceRecordId < b.sourceRecordId ? -1 : a.sourceRecordId > b.sourceRecordId ? 1 : 0);
const methodByLoinc = new Map(Object.entries(LOINC_BY_METHOD).map(([m, c]) => [c.code, m]));
const resultBySnomed = new Map(Object.entries(SNOMED_BY_RESULT).map(([r, c]) => [c.code, r]));

/** What the store must hold for the FHIR lab's final resources. */
export function expectedFhirResults(population: Population, results: readonly LabFhirResult[]) {
  const records = labRecords(population, 'lab-fhir');
  return results
    .map(({ observation: o, patient, specimen }) => ({
      source: 'lab-fhir',
      sourceRecordId: o.id,
      personId: patient.identifier?.[0]?.value ?? null,
      personRef: expectedPersonRef(records.get(o.id)!, population),
      method: methodByLoinc.get(o.code.coding[0]!.code),
      result: resultBySnomed.get(o.valueCodeableConcept.coding[0]!.code),
      sampledAt: new Date(o.effectiveDateTime).toISOString(),
      resultedAt: new Date(o.issued).toISOString(),
      labId: o.performer[0]!.identifier.value,
      labName: o.performer[0]!.display,
      poolId: specimen.identifier?.[0]?.value ?? null,
      raw: { observation: o, patient, specimen },
      sourceUpdatedAt: new Date(o.meta.lastUpdated).toISOString(),
    }))
    .sort(byId);
}

const minute = (iso: string) => new Date(Math.floor(Date.parse(iso) / 60_000) * 60_000).toISOString();

/** What the store must hold for the CSV lab's rows (malformed ones left out): times to the minute, as the files keep them. */
export function expectedCsvResults(population: Population, keep: (id: string) => boolean) {
  return [...labRecords(population, 'lab-csv').values()]
    .filter((r) => keep(r.sourceRecordId))
    .map((r) => ({
      source: 'lab-csv',
      sourceRecordId: r.sourceRecordId,
      personId: labPatient(r, population).citizenId,
      personRef: expectedPersonRef(r, population),
      method: r.method,
      result: r.result,
      sampledAt: minute(r.sampledAt),
      resultedAt: minute(r.resultedAt),
      labId: r.labId,
      labName: r.labName,
      poolId: r.poolId,
      fields: Object.fromEntries(LAB_CSV_HEADER.map((c, i) => [c, labCsvRow(r, population)[i]])),
      sourceUpdatedAt: minute(r.resultedAt),
    }))
    .sort(byId);
}

/** Stored results with the raw row's fields beside the typed columns (file and row number checked apart). */
export async function storedCsvResults(pool: Pool) {
  return (await storedResults(pool)).map(({ raw, ...r }) => ({ ...r, fields: (raw as { fields: unknown }).fields }));
}

/** The most pages any run of a connector has committed so far (to stop a runtime mid-run). */
export async function committedPages(pool: Pool, connector: string): Promise<number> {
  const { rows } = await pool.query(`SELECT COALESCE(max(pages), 0) AS pages FROM connectors.run WHERE connector = $1`, [connector]);
  return rows[0].pages;
}

/** When each stored result was last written: unchanged by a run that changes nothing. */
export async function ingestedAt(pool: Pool) {
  return (await pool.query('SELECT source_record_id, ingested_at FROM testing.test_result ORDER BY source_record_id')).rows;
}
