import type { PlatformVaccination, Population } from '@health-hub/simulators';
import type { Pool } from '@health-hub/subgraph-kit';

/** A stored dose, in the columns the connector fills. */
export async function storedDoses(pool: Pool) {
  const { rows } = await pool.query(
    `SELECT source, source_record_id AS "sourceRecordId", person_id AS "personId", person_ref AS "personRef",
            dose_number AS "doseNumber", vaccine, manufacturer, lot, to_char(administered_on, 'YYYY-MM-DD') AS "administeredOn",
            site_name AS "siteName", site_province AS "siteProvinceCode", raw, source_updated_at AS "sourceUpdatedAt"
       FROM vaccination.dose ORDER BY source_record_id`,
  );
  return rows.map((r) => ({ ...r, sourceUpdatedAt: (r.sourceUpdatedAt as Date).toISOString() }));
}

/**
 * What the store must hold for the platform's final records: each in the store's columns, the
 * person reference taken from the generator (how the platform named the person), the raw record as served.
 */
export function expectedDoses(population: Population, records: readonly PlatformVaccination[]) {
  const refs = new Map<string, unknown>();
  for (let i = 0; i < population.size; i++) for (const v of population.vaccinations(i)) refs.set(v.sourceRecordId, v.personRef);
  return records
    .map((r) => ({
      source: 'vaccination-platform',
      sourceRecordId: r.record_id,
      personId: r.citizen_id ?? null,
      personRef: refs.get(r.record_id),
      doseNumber: r.dose_number,
      vaccine: r.vaccine_name.toUpperCase().replace(/[^A-Z]+/g, '_'),
      manufacturer: r.manufacturer,
      lot: r.lot_number,
      administeredOn: r.vaccination_date,
      siteName: r.site_name,
      siteProvinceCode: r.site_province_code,
      raw: r,
      sourceUpdatedAt: new Date(r.updated_at).toISOString(),
    }))
    .sort((a, b) => (a.sourceRecordId < b.sourceRecordId ? -1 : a.sourceRecordId > b.sourceRecordId ? 1 : 0));
}
