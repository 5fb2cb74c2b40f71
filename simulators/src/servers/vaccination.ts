import type { Population, VaccinationRecord } from '../population/types';
import { type ChangeEntry, ChangeIndex, UPDATE } from './change-index';
import { type FaultSwitch, isMalformed, recordVariant } from './faults';
import { isoInstant } from './formats';
import { listen, resolveOptions, type Simulator, type SimulatorOptions, simulatorApp } from './http';

/**
 * One dose as the vaccination platform serves it (its own snake_case shape). The person is
 * named by exactly one of: citizen_id, old_id_number, health_insurance_number, or full_name +
 * date_of_birth (or only year_of_birth) + phone (omitted when unknown).
 */
export interface PlatformVaccination {
  record_id: string;
  /** ISO instant. */
  updated_at: string;
  dose_number: number;
  vaccine_name: string;
  manufacturer: string;
  lot_number: string;
  /** yyyy-MM-dd. */
  vaccination_date: string;
  site_name: string;
  site_province_code: string;
  /** Where the person lives, as they told the platform: district and ward codes. */
  resident_district_code: string;
  resident_ward_code: string;
  citizen_id?: string;
  old_id_number?: string;
  health_insurance_number?: string;
  full_name?: string;
  date_of_birth?: string;
  year_of_birth?: number;
  phone?: string;
}

/** A running vaccination platform simulator. */
export interface VaccinationSimulator extends Simulator {
  /** Doses served with the fault settings in force (entries, counting duplicates and updates). */
  entryCount(): number;
  /**
   * What a correct consumer holds after reading the whole feed: the latest version of every
   * dose that is not malformed, in feed order. Meant for test-sized populations.
   */
  expectedRecords(): PlatformVaccination[];
}

/** Largest page_size the platform accepts. */
export const VACCINATION_MAX_PAGE = 1000;
const DEFAULT_PAGE = 100;

/** A dose in the platform's shape, before faults. */
export function platformVaccination(record: VaccinationRecord, updatedTs: number): PlatformVaccination {
  const out: PlatformVaccination = {
    record_id: record.sourceRecordId,
    updated_at: isoInstant(updatedTs * 1000),
    dose_number: record.doseNumber,
    vaccine_name: record.vaccine,
    manufacturer: record.manufacturer,
    lot_number: record.lot,
    vaccination_date: record.administeredOn,
    site_name: record.siteName,
    site_province_code: record.siteProvinceCode,
    resident_district_code: record.residentDistrictCode,
    resident_ward_code: record.residentWardCode,
  };
  const ref = record.personRef;
  if (ref.kind === 'CITIZEN_ID') out.citizen_id = ref.citizenId;
  else if (ref.kind === 'OLD_ID') out.old_id_number = ref.oldId;
  else if (ref.kind === 'INSURANCE') out.health_insurance_number = ref.socialInsuranceCode;
  else {
    out.full_name = ref.fullName;
    if (ref.birthDate !== null) out.date_of_birth = ref.birthDate;
    else out.year_of_birth = ref.birthYear;
    if (ref.phone !== null) out.phone = ref.phone;
  }
  return out;
}

/**
 * Applies the per-record faults to a served entry. An UPDATE corrects the lot number; a
 * malformed dose has an impossible vaccination date or, when named by CCCD, a 10-digit one.
 */
function served(entry: ChangeEntry<VaccinationRecord>, seed: number, malformedRate: number): PlatformVaccination {
  const out = platformVaccination(entry.record, entry.updatedTs);
  const id = out.record_id;
  if (entry.kind === UPDATE) {
    const last = out.lot_number.slice(-1);
    out.lot_number = out.lot_number.slice(0, -1) + (last === '7' ? '8' : '7');
  }
  if (isMalformed(seed, id, malformedRate)) {
    if (out.citizen_id !== undefined && recordVariant(seed, id, 2) === 1) out.citizen_id = out.citizen_id.slice(2);
    else out.vaccination_date = `${out.vaccination_date.slice(0, 4)}-02-30`;
  }
  return out;
}

/** Builds the platform's sorted index of doses (the slow part of start-up, ~7 s for 1,000,000 people). */
export function vaccinationIndex(population: Population, seed: number, faults: FaultSwitch): ChangeIndex<VaccinationRecord> {
  return new ChangeIndex({ size: population.size, records: (i) => population.vaccinations(i), seed, faults });
}

/**
 * The vaccination platform: `GET /api/v2/vaccinations?updated_after=<cursor or ISO instant>&page_size=<n>`
 * with a bearer token answers `{ data, next_cursor, has_more }`, doses ordered by (updated_at, record_id).
 */
export async function startVaccinationSimulator(options: SimulatorOptions): Promise<VaccinationSimulator> {
  const resolved = resolveOptions(options);
  const { seed, faults } = resolved;
  const index = vaccinationIndex(resolved.population, seed, faults);
  const { app, dice } = simulatorApp(resolved, (message) => ({ error: { message } }));

  app.get('/api/v2/vaccinations', async (request, reply) => {
    const query = request.query as Record<string, unknown>;
    const size = query.page_size === undefined ? DEFAULT_PAGE : typeof query.page_size === 'string' && /^\d{1,4}$/.test(query.page_size) ? Number(query.page_size) : 0;
    if (size < 1 || size > VACCINATION_MAX_PAGE) return reply.code(400).send({ error: { message: `page_size must be 1..${VACCINATION_MAX_PAGE}` } });
    const after = query.updated_after;
    let from = 0;
    if (typeof after === 'string' && after !== '') {
      const instant = /^\d{4}-\d{2}-\d{2}T/.test(after) ? Date.parse(after) : Number.NaN;
      const position = Number.isNaN(instant) ? index.positionAfterCursor(after) : index.positionAfterTime(Math.floor(instant / 1000));
      if (position === null) return reply.code(400).send({ error: { message: 'updated_after is neither a cursor nor an ISO instant' } });
      from = position;
    } else if (after !== undefined && after !== '') {
      return reply.code(400).send({ error: { message: 'updated_after must be given once' } });
    }
    const entries = index.page(from, size);
    const { malformedRate, outOfOrder } = faults.settings;
    const data = entries.map((e) => served(e, seed, malformedRate));
    if (outOfOrder) dice.shuffle(data);
    const last = from + entries.length;
    return {
      data,
      next_cursor: entries.length > 0 ? index.cursorOf(last - 1) : typeof after === 'string' && after !== '' ? after : null,
      has_more: last < index.length,
    };
  });

  const simulator = await listen(app, resolved);
  return {
    ...simulator,
    entryCount: () => index.length,
    expectedRecords: () => index.expectedLatest(faults.settings.malformedRate).map((e) => served(e, seed, 0)),
  };
}
