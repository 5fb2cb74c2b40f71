import type { DoseUpsert } from '@health-hub/vaccination';
import { parseRecord, type MapResult } from '../sdk/connector';
import { platformDoseSchema, vaccineProduct, type PlatformDose } from './record';

/** The `source` of every dose the vaccination connector writes. */
export const VACCINATION_SOURCE = 'vaccination-platform';

/** The dose's record_id when it has a string one, for the rejected table. */
export function doseKey(record: unknown): string | null {
  const id = (record as { record_id?: unknown } | null)?.record_id;
  return typeof id === 'string' ? id : null;
}

/** How the platform named the person, from the fields it gave (the first of CCCD, CMND, insurance number, demographics). */
export function personRefOf(d: PlatformDose) {
  if (d.citizen_id !== undefined) return { kind: 'CITIZEN_ID' as const, citizenId: d.citizen_id };
  if (d.old_id_number !== undefined) return { kind: 'OLD_ID' as const, oldId: d.old_id_number };
  if (d.health_insurance_number !== undefined) return { kind: 'INSURANCE' as const, socialInsuranceCode: d.health_insurance_number };
  return {
    kind: 'DEMOGRAPHIC' as const,
    fullName: d.full_name!,
    birthDate: d.date_of_birth ?? null,
    birthYear: d.year_of_birth ?? Number(d.date_of_birth!.slice(0, 4)),
    phone: d.phone ?? null,
  };
}

/**
 * Validates one platform dose and maps it to the vaccination store's upsert. The person is
 * linked (`personId`) only when the platform gave the citizen ID; otherwise the dose keeps the
 * platform's own reference for identity resolution. `raw` is the record as received.
 */
export function mapPlatformDose(record: unknown): MapResult<DoseUpsert> {
  const parsed = parseRecord(platformDoseSchema, record);
  if (!parsed.ok) return parsed;
  const d = parsed.data;
  return {
    ok: true,
    value: {
      source: VACCINATION_SOURCE,
      sourceRecordId: d.record_id,
      personId: d.citizen_id ?? null,
      personRef: personRefOf(d),
      doseNumber: d.dose_number,
      vaccine: vaccineProduct(d.vaccine_name)!,
      manufacturer: d.manufacturer,
      lot: d.lot_number,
      administeredOn: d.vaccination_date,
      siteName: d.site_name,
      siteProvinceCode: d.site_province_code,
      residentDistrictCode: d.resident_district_code ?? null,
      residentWardCode: d.resident_ward_code ?? null,
      raw: record,
      sourceUpdatedAt: d.updated_at,
    },
  };
}
