import { provinceByCode } from '@health-hub/schema';
import {
  HubError, isoDate, latestPerKey, parseHubId, personRefKey, sourceRecordFields, validateBatch, withTransaction,
  namedStatement, runNamed, type Queryable, type SourceReference, type Writer,
} from '@health-hub/subgraph-kit';
import { z } from 'zod';
import { MAX_COVERAGE_DAYS, VaccinationErrors } from './errors';
import { VACCINE_PRODUCTS, VACCINES, type VaccineProduct } from './vaccines';

/** One dose as a connector (or the seeder) hands it over, keyed by (source, sourceRecordId). */

/** The table of doses, for the identity backfill's page functions (kit). */
export const DOSE_TABLE = 'vaccination.dose';
export interface DoseUpsert {
  /** Source system, e.g. `vaccination-platform`; no colon (it starts the hub ID). */
  source: string;
  sourceRecordId: string;
  /** The 12-digit citizen ID; null while identity resolution has not linked the dose. */
  personId: string | null;
  /** How the source named the person (CCCD, CMND, insurance number, or name + birth date + phone), verbatim. */
  personRef: unknown;
  /** 1 to 10. */
  doseNumber: number;
  /** The `VaccineProduct` enum value, e.g. `VERO_CELL`. */
  vaccine: VaccineProduct;
  manufacturer: string;
  lot: string;
  /** `yyyy-MM-dd`, local date. */
  administeredOn: string;
  siteName: string;
  /** 2-digit official province code of the site. */
  siteProvinceCode: string;
  /** 3-digit code of the district the person said they live in, when the source gives it (coverage per district). */
  residentDistrictCode?: string | null;
  /** 5-digit code of the ward the person said they live in, when the source gives it (coverage per ward). */
  residentWardCode?: string | null;
  /** The source's record as received, kept verbatim. */
  raw: unknown;
  /** ISO 8601 with zone. */
  sourceUpdatedAt: string;
}

/** A dose as the graph shows it. */
export interface Dose {
  /** Hub ID: `source:sourceRecordId`. */
  id: string;
  source: string;
  sourceRecordId: string;
  personId: string | null;
  /** Key of the source's person reference (see the kit's `personRefKey`); null for a citizen ID. */
  personRefKey: string | null;
  doseNumber: number;
  vaccine: VaccineProduct;
  manufacturer: string;
  lot: string;
  administeredOn: string;
  siteName: string;
  siteProvinceCode: string;
  sourceUpdatedAt: Date;
}

/** One row of `vaccinationCoverage`. */
export interface CoverageDay {
  date: string;
  provinceCode: string;
  doses: number;
  firstDoses: number;
  primarySeriesCompleted: number;
  boosterDoses: number;
}

/** A coverage query: days `from` to `to` inclusive, optionally one province. */
export interface CoverageRange {
  from: string;
  to: string;
  provinceCode?: string | null;
}

const DOSE_COLUMNS = `
  d.source || ':' || d.source_record_id AS id, d.source, d.source_record_id AS "sourceRecordId",
  d.person_id AS "personId", d.person_ref_key AS "personRefKey", d.dose_number AS "doseNumber", d.vaccine, d.manufacturer, d.lot,
  d.administered_on AS "administeredOn", d.site_name AS "siteName", d.site_province AS "siteProvinceCode",
  d.source_updated_at AS "sourceUpdatedAt"`;

/** The doses of these persons in one statement, each person's oldest first; persons without doses are absent. */
export async function dosesByPersonIds(db: Queryable, personIds: readonly string[]): Promise<Dose[]> {
  const { rows } = await db.query(
    `SELECT ${DOSE_COLUMNS} FROM vaccination.dose d
      WHERE d.person_id = ANY($1::text[])
      ORDER BY d.person_id, d.administered_on, d.dose_number, d.source, d.source_record_id`,
    [personIds],
  );
  return rows;
}

/**
 * The doses of persons given by their keys, in one statement: doses the source gave with one
 * of the citizen IDs, and doses whose (source, reference key) the registry linked to them.
 * Oldest first.
 */
export async function dosesByPersonKeys(db: Queryable, citizenIds: readonly string[], references: readonly SourceReference[]): Promise<Dose[]> {
  const { rows } = await runNamed<Dose>(db, DOSES_BY_PERSON_KEYS, [citizenIds, references.map((r) => r.system), references.map((r) => r.reference)]);
  return rows;
}

/** A person-360's one vaccination statement (`dosesByPersonKeys`). */
export const DOSES_BY_PERSON_KEYS = namedStatement(
  'vaccination.doses-by-person-keys',
  `SELECT ${DOSE_COLUMNS} FROM vaccination.dose d WHERE d.person_id = ANY($1::text[])
   UNION ALL
   SELECT d.* FROM unnest($2::text[], $3::text[]) AS k(source, ref_key)
   CROSS JOIN LATERAL (
     -- OFFSET 0 keeps this a lookup per reference in the index on (source, person_ref_key):
     -- flattened into a join, a generic plan may hash every unlinked row instead.
     SELECT ${DOSE_COLUMNS} FROM vaccination.dose d
      WHERE d.source = k.source AND d.person_ref_key = k.ref_key AND d.person_id IS NULL OFFSET 0) d
   ORDER BY "administeredOn", "doseNumber", source, "sourceRecordId"`,
);

/** Doses with these hub IDs, in one statement; unknown or malformed IDs are simply absent. */
export async function dosesByIds(db: Queryable, hubIds: readonly string[]): Promise<Dose[]> {
  const keys = hubIds.map(parseHubId).filter((k) => k !== null);
  if (keys.length === 0) return [];
  const { rows } = await db.query(
    `SELECT ${DOSE_COLUMNS} FROM vaccination.dose d
      WHERE (d.source, d.source_record_id) IN (SELECT * FROM unnest($1::text[], $2::text[]))`,
    [keys.map((k) => k.source), keys.map((k) => k.sourceRecordId)],
  );
  return rows;
}

/**
 * Doses per day and site province in one GROUP BY. A dose completes a primary series when its
 * number equals its own product's series length, and is a booster past it; the lengths are
 * bound from the catalogue so SQL and `vaccinationStatus` cannot disagree on them.
 * Throws HUB_VACCINATION_BAD_RANGE when `to` is before `from` or the range exceeds 366 days.
 */
export async function coverageByDay(db: Queryable, range: CoverageRange): Promise<CoverageDay[]> {
  const days = rangeDays(range.from, range.to);
  if (days === null || days < 1 || days > MAX_COVERAGE_DAYS) {
    throw new HubError(
      VaccinationErrors.BAD_RANGE,
      `vaccinationCoverage takes real days with from <= to and at most ${MAX_COVERAGE_DAYS} days; got ${range.from} to ${range.to}. Split a longer range into several calls.`,
      { details: { from: range.from, to: range.to, maxDays: MAX_COVERAGE_DAYS } },
    );
  }
  const { rows } = await db.query(
    `SELECT d.administered_on AS date, d.site_province AS "provinceCode",
            count(*) AS doses,
            count(*) FILTER (WHERE d.dose_number = 1) AS "firstDoses",
            count(*) FILTER (WHERE d.dose_number = p.primary_doses) AS "primarySeriesCompleted",
            count(*) FILTER (WHERE d.dose_number > p.primary_doses) AS "boosterDoses"
       FROM vaccination.dose d
       JOIN unnest($4::text[], $5::smallint[]) AS p (vaccine, primary_doses) ON p.vaccine = d.vaccine
      WHERE d.administered_on BETWEEN $1::date AND $2::date
        AND ($3::text IS NULL OR d.site_province = $3::text)
      GROUP BY d.administered_on, d.site_province
      ORDER BY d.administered_on, d.site_province`,
    [range.from, range.to, range.provinceCode ?? null, VACCINE_PRODUCTS, VACCINE_PRODUCTS.map((v) => VACCINES[v].primarySeriesDoses)],
  );
  return rows;
}

/** Days from `from` to `to` inclusive (0 or less when reversed); null when either is not a real day. */
function rangeDays(from: string, to: string): number | null {
  const start = calendarDay(from);
  const end = calendarDay(to);
  return start === null || end === null ? null : (end - start) / 86_400_000 + 1;
}

function calendarDay(value: string): number | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return null;
  const time = Date.parse(`${value}T00:00:00Z`);
  return Number.isNaN(time) || new Date(time).toISOString().slice(0, 10) !== value ? null : time;
}

const doseUpsertSchema = z.object({
  ...sourceRecordFields,
  doseNumber: z.number().int().min(1).max(10),
  vaccine: z.enum(VACCINE_PRODUCTS as [VaccineProduct, ...VaccineProduct[]]),
  manufacturer: z.string(),
  lot: z.string(),
  administeredOn: isoDate,
  siteName: z.string(),
  siteProvinceCode: z.string().refine((v) => provinceByCode(v) !== undefined, 'must be an official 2-digit province code'),
  // Only the shape: the hub holds no official list of districts and wards to check codes against.
  residentDistrictCode: z.string().regex(/^[0-9]{3}$/, 'must be a 3-digit district code').nullish(),
  residentWardCode: z.string().regex(/^[0-9]{5}$/, 'must be a 5-digit ward code').nullish(),
});

/**
 * Inserts or updates a batch of doses in one transaction (one statement whatever the batch
 * size). Idempotent: re-sending a dose changes nothing, and a record older than the stored
 * one (out-of-order delivery) is ignored. A malformed record fails the whole batch with
 * HUB_VACCINATION_BAD_RECORD before anything is written. Returns the hub IDs written.
 */
export async function upsertDoses(db: Writer, records: readonly DoseUpsert[]): Promise<string[]> {
  validateBatch(records, doseUpsertSchema, VaccinationErrors.BAD_RECORD, 'Dose');
  const batch = latestPerKey(records);
  if (batch.length === 0) return [];
  return withTransaction(db, async (tx) => {
    const { rows } = await tx.query<{ id: string }>(
      `INSERT INTO vaccination.dose AS d (source, source_record_id, person_id, person_ref, person_ref_key, dose_number, vaccine,
              manufacturer, lot, administered_on, site_name, site_province, raw, source_updated_at,
              resident_district, resident_ward)
       SELECT * FROM jsonb_to_recordset($1::jsonb) AS r(source text, source_record_id text, person_id text,
              person_ref jsonb, person_ref_key text, dose_number smallint, vaccine text, manufacturer text, lot text,
              administered_on date, site_name text, site_province text, raw jsonb,
              source_updated_at timestamptz, resident_district text, resident_ward text)
       ON CONFLICT (source, source_record_id) DO UPDATE SET
         person_id = EXCLUDED.person_id, person_ref = EXCLUDED.person_ref, person_ref_key = EXCLUDED.person_ref_key,
         dose_number = EXCLUDED.dose_number,
         vaccine = EXCLUDED.vaccine, manufacturer = EXCLUDED.manufacturer, lot = EXCLUDED.lot,
         administered_on = EXCLUDED.administered_on, site_name = EXCLUDED.site_name,
         site_province = EXCLUDED.site_province, raw = EXCLUDED.raw,
         source_updated_at = EXCLUDED.source_updated_at, ingested_at = now(),
         resident_district = EXCLUDED.resident_district, resident_ward = EXCLUDED.resident_ward
       WHERE d.source_updated_at < EXCLUDED.source_updated_at
          OR (d.source_updated_at = EXCLUDED.source_updated_at
              AND (d.raw IS DISTINCT FROM EXCLUDED.raw OR d.person_id IS DISTINCT FROM EXCLUDED.person_id))
       RETURNING d.source || ':' || d.source_record_id AS id`,
      [JSON.stringify(batch.map(toRow))],
    );
    return rows.map((r) => r.id);
  });
}

/** A record as the row jsonb_to_recordset reads; one JSON text per batch is far cheaper to send than one array per column. */
function toRow(r: DoseUpsert) {
  return {
    source: r.source,
    source_record_id: r.sourceRecordId,
    person_id: r.personId,
    person_ref: r.personRef,
    person_ref_key: personRefKey(r.personRef),
    dose_number: r.doseNumber,
    vaccine: r.vaccine,
    manufacturer: r.manufacturer,
    lot: r.lot,
    administered_on: r.administeredOn,
    site_name: r.siteName,
    site_province: r.siteProvinceCode,
    raw: r.raw,
    source_updated_at: r.sourceUpdatedAt,
    resident_district: r.residentDistrictCode ?? null,
    resident_ward: r.residentWardCode ?? null,
  };
}
