import { HubError, hubId, isoInstant, latestPerKey, namedStatement, nonBlank, present, runNamed, validateBatch, withTransaction, type Queryable, type Writer } from '@health-hub/subgraph-kit';
import { citizenIdProblem } from '@health-hub/schema';
import { z } from 'zod';
import { WorkplacesErrors } from './errors';
import { taxCodeProblem } from './tax-code';

/** An industrial zone (KCN) or export processing zone (KCX). */
export interface IndustrialZone {
  code: string;
  kind: 'KCN' | 'KCX';
  name: string;
  provinceCode: string;
  districtCode: string;
  wardCode: string;
}

/** One enterprise or branch as a connector hands it over, keyed by (source, sourceRecordId). */
export interface WorkplaceUpsert {
  /** Source feed, e.g. `workplace-safety`; no colon. */
  source: string;
  sourceRecordId: string;
  /** 10 digits, or 10 + "-" + 3 for a branch, with a valid check digit. */
  taxCode: string;
  /** A branch's head office (10 digits), else null. */
  headOfficeTaxCode: string | null;
  name: string;
  address: { line: string; provinceCode: string; districtCode: string; wardCode: string };
  /** The zone the workplace is in, or null outside any. */
  zone: IndustrialZone | null;
  sector: { code: string; name: string };
  workforce: number;
  dormitoryWorkers: number;
  /** Workers carried by the enterprise's shuttle buses; 0 without a shuttle. */
  shuttleWorkers: number;
  canteens: number;
  /** The contact person; the citizen ID when the source gave one. */
  contact: { citizenId: string | null; name: string; phone: string | null };
  raw: unknown;
  /** ISO 8601 instant of the source's last change. */
  sourceUpdatedAt: string;
}

/** A workplace as the graph shows it, with its latest assessment's level. */
export interface Workplace {
  taxCode: string;
  headOfficeTaxCode: string | null;
  name: string;
  address: { line: string; provinceCode: string; districtCode: string; wardCode: string };
  zoneCode: string | null;
  sector: { code: string; name: string };
  workforce: number;
  dormitoryWorkers: number;
  shuttleWorkers: number;
  canteens: number;
  contact: { citizenId: string | null; name: string; phone: string | null };
  /** Null until the workplace has an assessment. */
  riskLevel: string | null;
  lastAssessedOn: string | null;
  lastScore: number | null;
  sourceUpdatedAt: Date;
}

/** The select list of a workplace joined with its status (aliases `w` and `s`). */
export const WORKPLACE_COLUMNS = `
  w.tax_code AS "taxCode", w.head_office_tax_code AS "headOfficeTaxCode", w.name,
  jsonb_build_object('line', w.address_line, 'provinceCode', w.province_code, 'districtCode', w.district_code, 'wardCode', w.ward_code) AS address,
  w.zone_code AS "zoneCode", jsonb_build_object('code', w.sector_code, 'name', w.sector_name) AS sector,
  w.workforce, w.dormitory_workers AS "dormitoryWorkers", w.shuttle_workers AS "shuttleWorkers", w.canteens,
  jsonb_build_object('citizenId', w.contact_citizen_id, 'name', w.contact_name, 'phone', w.contact_phone) AS contact,
  s.risk_level AS "riskLevel", to_char(s.assessed_on, 'YYYY-MM-DD') AS "lastAssessedOn", s.score AS "lastScore",
  w.source_updated_at AS "sourceUpdatedAt"`;

/** Workplaces with these tax codes, in one statement; unknown codes are absent. */
export async function workplacesByTaxCodes(db: Queryable, taxCodes: readonly string[]): Promise<Workplace[]> {
  const { rows } = await runNamed<Workplace>(db, WORKPLACES_BY_TAX_CODES, [taxCodes]);
  return rows;
}

export const WORKPLACES_BY_TAX_CODES = namedStatement(
  'workplaces.by-tax-codes',
  `SELECT ${WORKPLACE_COLUMNS}
     FROM workplaces.workplace w LEFT JOIN workplaces.workplace_status s ON s.tax_code = w.tax_code
    WHERE w.tax_code = ANY($1::text[])`,
);

/** Zones with these codes, in one statement. */
export async function zonesByCodes(db: Queryable, codes: readonly string[]): Promise<IndustrialZone[]> {
  const { rows } = await runNamed<IndustrialZone>(db, ZONES_BY_CODES, [codes]);
  return rows;
}

const ZONE_COLUMNS = `z.code, z.kind, z.name, z.province_code AS "provinceCode", z.district_code AS "districtCode", z.ward_code AS "wardCode"`;

export const ZONES_BY_CODES = namedStatement('workplaces.zones-by-codes', `SELECT ${ZONE_COLUMNS} FROM workplaces.industrial_zone z WHERE z.code = ANY($1::text[])`);

/** The zones of a province, or of every province (null), by code. */
export async function zonesOfProvince(db: Queryable, provinceCode: string | null): Promise<IndustrialZone[]> {
  const { rows } = await db.query(
    `SELECT ${ZONE_COLUMNS} FROM workplaces.industrial_zone z WHERE $1::text IS NULL OR z.province_code = $1 ORDER BY z.code`,
    [provinceCode],
  );
  return rows;
}

const taxCode = z.string().superRefine((v, ctx) => {
  const problem = taxCodeProblem(v);
  if (problem) ctx.addIssue({ code: 'custom', message: `is not a tax code: ${problem}` });
});
const code = (digits: number) => z.string().regex(new RegExp(`^\\d{${digits}}$`), `must be ${digits} digits`);
const count = z.number().int().min(0);

const zoneSchema = z.object({ code: nonBlank, kind: z.enum(['KCN', 'KCX']), name: nonBlank, provinceCode: code(2), districtCode: code(3), wardCode: code(5) });

const upsertSchema = z
  .object({
    source: nonBlank.regex(/^[^:]+$/, 'must not contain ":"'),
    sourceRecordId: nonBlank,
    taxCode,
    headOfficeTaxCode: z.string().regex(/^\d{10}$/, 'must be 10 digits').nullable(),
    name: nonBlank,
    address: z.object({ line: nonBlank, provinceCode: code(2), districtCode: code(3), wardCode: code(5) }),
    zone: zoneSchema.nullable(),
    sector: z.object({ code: nonBlank, name: nonBlank }),
    workforce: count,
    dormitoryWorkers: count,
    shuttleWorkers: count,
    canteens: count,
    contact: z.object({
      citizenId: z
        .string()
        .nullable()
        .superRefine((v, ctx) => {
          const problem = v === null ? null : citizenIdProblem(v);
          if (problem) ctx.addIssue({ code: 'custom', message: `is not a citizen ID: ${problem}` });
        }),
      name: nonBlank,
      phone: z.string().nullable(),
    }),
    raw: present,
    sourceUpdatedAt: isoInstant,
  })
  .refine((r) => r.dormitoryWorkers <= r.workforce, { message: 'exceeds the workforce', path: ['dormitoryWorkers'] })
  .refine((r) => r.shuttleWorkers <= r.workforce, { message: 'exceeds the workforce', path: ['shuttleWorkers'] })
  .refine((r) => r.headOfficeTaxCode === null || r.taxCode.startsWith(`${r.headOfficeTaxCode}-`), { message: "is not the start of the branch's tax code", path: ['headOfficeTaxCode'] })
  .refine((r) => r.zone === null || r.zone.provinceCode === r.address.provinceCode, { message: "is in another province than the workplace's address", path: ['zone', 'provinceCode'] });

/**
 * Inserts or updates a batch of workplaces, and the zones they name, in one transaction (one
 * statement each whatever the batch size). Idempotent; a record older than the stored one is
 * ignored; of several versions in a batch the latest is kept. A malformed record (a tax code
 * whose check digit is wrong, above all) rejects the batch with HUB_WORKPLACES_BAD_RECORD
 * before anything is written; its details name the index and the field. So does a tax code
 * another record (in the batch or stored) already has: the table keeps one workplace per tax code.
 * Returns the tax codes written.
 */
export async function upsertWorkplaces(db: Writer, records: readonly WorkplaceUpsert[]): Promise<string[]> {
  validateBatch(records, upsertSchema, WorkplacesErrors.BAD_RECORD, 'Workplace');
  const batch = latestPerKey(records);
  if (batch.length === 0) return [];
  const zones = [...new Map(batch.filter((r) => r.zone !== null).map((r) => [r.zone!.code, r.zone!])).values()];
  return withTransaction(db, async (tx) => {
    await refuseTakenTaxCodes(tx, records, batch);
    if (zones.length > 0) {
      await tx.query(
        `INSERT INTO workplaces.industrial_zone AS z (code, kind, name, province_code, district_code, ward_code)
         SELECT * FROM jsonb_to_recordset($1::jsonb) AS r(code text, kind text, name text, province_code text, district_code text, ward_code text)
         ON CONFLICT (code) DO UPDATE SET kind = EXCLUDED.kind, name = EXCLUDED.name, province_code = EXCLUDED.province_code,
           district_code = EXCLUDED.district_code, ward_code = EXCLUDED.ward_code, updated_at = now()
         WHERE (z.kind, z.name, z.province_code, z.district_code, z.ward_code)
               IS DISTINCT FROM (EXCLUDED.kind, EXCLUDED.name, EXCLUDED.province_code, EXCLUDED.district_code, EXCLUDED.ward_code)`,
        [JSON.stringify(zones.map((z) => ({ code: z.code, kind: z.kind, name: z.name, province_code: z.provinceCode, district_code: z.districtCode, ward_code: z.wardCode })))],
      );
    }
    const { rows } = await tx.query<{ tax_code: string }>(
      `INSERT INTO workplaces.workplace AS w (source, source_record_id, tax_code, head_office_tax_code, name, province_code, district_code,
              ward_code, address_line, zone_code, sector_code, sector_name, workforce, dormitory_workers, shuttle_workers, canteens,
              contact_citizen_id, contact_name, contact_phone, raw, source_updated_at)
       SELECT * FROM jsonb_to_recordset($1::jsonb) AS r(source text, source_record_id text, tax_code text, head_office_tax_code text,
              name text, province_code text, district_code text, ward_code text, address_line text, zone_code text, sector_code text,
              sector_name text, workforce integer, dormitory_workers integer, shuttle_workers integer, canteens integer,
              contact_citizen_id text, contact_name text, contact_phone text, raw jsonb, source_updated_at timestamptz)
       ON CONFLICT (source, source_record_id) DO UPDATE SET
         tax_code = EXCLUDED.tax_code, head_office_tax_code = EXCLUDED.head_office_tax_code, name = EXCLUDED.name,
         province_code = EXCLUDED.province_code, district_code = EXCLUDED.district_code, ward_code = EXCLUDED.ward_code,
         address_line = EXCLUDED.address_line, zone_code = EXCLUDED.zone_code, sector_code = EXCLUDED.sector_code,
         sector_name = EXCLUDED.sector_name, workforce = EXCLUDED.workforce, dormitory_workers = EXCLUDED.dormitory_workers,
         shuttle_workers = EXCLUDED.shuttle_workers, canteens = EXCLUDED.canteens, contact_citizen_id = EXCLUDED.contact_citizen_id,
         contact_name = EXCLUDED.contact_name, contact_phone = EXCLUDED.contact_phone, raw = EXCLUDED.raw,
         source_updated_at = EXCLUDED.source_updated_at, ingested_at = now()
       WHERE w.source_updated_at < EXCLUDED.source_updated_at
          OR (w.source_updated_at = EXCLUDED.source_updated_at AND w.raw IS DISTINCT FROM EXCLUDED.raw)
       RETURNING tax_code`,
      [JSON.stringify(batch.map(toRow))],
    );
    return rows.map((r) => r.tax_code);
  });
}

/**
 * Refuses, with HUB_WORKPLACES_BAD_RECORD on `taxCode`, the first record of the batch whose tax
 * code another record already holds: an earlier one of the batch, or a stored row of another
 * (source, sourceRecordId). Without this the upsert would fail on the unique tax code with a
 * raw 23505, which a connector cannot pin on one record, and its feed would stop there.
 * `records` is the batch as given (the index in the error is into it); `batch` is its latest versions.
 */
async function refuseTakenTaxCodes(tx: Queryable, records: readonly WorkplaceUpsert[], batch: readonly WorkplaceUpsert[]): Promise<void> {
  const holders = new Map<string, { source: string; sourceRecordId: string }>();
  const taken: { record: WorkplaceUpsert; holder: { source: string; sourceRecordId: string } }[] = [];
  for (const r of batch) {
    const holder = holders.get(r.taxCode);
    if (holder) taken.push({ record: r, holder });
    else holders.set(r.taxCode, { source: r.source, sourceRecordId: r.sourceRecordId });
  }
  const { rows } = await runNamed<{ taxCode: string; source: string; sourceRecordId: string }>(tx, STORED_TAX_CODE_HOLDERS, [[...holders.keys()]]);
  for (const row of rows) {
    const r = batch.find((b) => b.taxCode === row.taxCode)!;
    if (r.source !== row.source || r.sourceRecordId !== row.sourceRecordId) taken.push({ record: r, holder: row });
  }
  if (taken.length === 0) return;
  const first = taken.map((t) => ({ ...t, index: records.indexOf(t.record) })).sort((a, b) => a.index - b.index)[0]!;
  const { record, holder, index } = first;
  throw new HubError(
    WorkplacesErrors.BAD_RECORD,
    `Workplace ${index} (${hubId(record.source, record.sourceRecordId)}): "taxCode" ${record.taxCode} is already the tax code of workplace ${hubId(holder.source, holder.sourceRecordId)}.`,
    { details: { index, source: record.source, sourceRecordId: record.sourceRecordId, field: 'taxCode' } },
  );
}

const STORED_TAX_CODE_HOLDERS = namedStatement(
  'workplaces.tax-code-holders',
  `SELECT w.tax_code AS "taxCode", w.source, w.source_record_id AS "sourceRecordId" FROM workplaces.workplace w WHERE w.tax_code = ANY($1::text[])`,
);

/** A record as the row jsonb_to_recordset reads. */
function toRow(r: WorkplaceUpsert) {
  return {
    source: r.source,
    source_record_id: r.sourceRecordId,
    tax_code: r.taxCode,
    head_office_tax_code: r.headOfficeTaxCode,
    name: r.name,
    province_code: r.address.provinceCode,
    district_code: r.address.districtCode,
    ward_code: r.address.wardCode,
    address_line: r.address.line,
    zone_code: r.zone?.code ?? null,
    sector_code: r.sector.code,
    sector_name: r.sector.name,
    workforce: r.workforce,
    dormitory_workers: r.dormitoryWorkers,
    shuttle_workers: r.shuttleWorkers,
    canteens: r.canteens,
    contact_citizen_id: r.contact.citizenId,
    contact_name: r.contact.name,
    contact_phone: r.contact.phone,
    raw: r.raw,
    source_updated_at: r.sourceUpdatedAt,
  };
}
