import { upsertCases, type CaseUpsert } from '@health-hub/cases';
import { upsertCards, type CardUpsert } from '@health-hub/insurance';
import { upsertPersons, type PersonUpsert } from '@health-hub/registry';
import type { CaseRecord, InsuranceCardRecord, Person, PersonRef, Population, TestRecord, VaccinationRecord } from '@health-hub/simulators';
import { createPool } from '@health-hub/subgraph-kit';
import { upsertTestResults, type TestResultUpsert } from '@health-hub/testing';
import { upsertDoses, type DoseUpsert } from '@health-hub/vaccination';

/** Records written by a seeding run, by kind. */
export interface SeedCounts {
  persons: number;
  doses: number;
  testResults: number;
  cards: number;
  cases: number;
}

export interface SeedProgress {
  people: number;
  records: number;
  elapsedMs: number;
}

export interface SeedOptions {
  databaseUrl: string;
  population: Population;
  /** First person index. Default 0. */
  from?: number;
  /** One past the last person index. Default the population's size. */
  to?: number;
  /** People per batch; each batch is one multi-row upsert per store. Default 2,000. */
  batchPeople?: number;
  /** Which kinds of record to write. Default all; kinds whose connector runs are left to it. */
  kinds?: ReadonlyArray<keyof SeedCounts>;
  /** Called after each batch. */
  onProgress?: (progress: SeedProgress) => void;
}

/** Every kind of record the seeder writes. */
export const SEED_KINDS: ReadonlyArray<keyof SeedCounts> = ['persons', 'doses', 'testResults', 'cards', 'cases'];

/**
 * Writes a synthetic population into the subgraphs' stores through their own upserts, as the
 * connectors will: persons into the registry, doses, test results, cards and cases into
 * theirs. Records that name their person by citizen ID are linked at once; the others wait
 * for identity resolution, kept with how the source named the person. Batches overlap: the
 * next one is generated while the database writes the current one.
 */
export async function seedPopulation(options: SeedOptions): Promise<SeedCounts & { elapsedMs: number }> {
  const { population } = options;
  const from = options.from ?? 0;
  const to = Math.min(options.to ?? population.size, population.size);
  const batchPeople = options.batchPeople ?? 2_000;
  const pool = createPool({ databaseUrl: options.databaseUrl, applicationName: 'hub-seed', max: 6 });
  const counts: SeedCounts = { persons: 0, doses: 0, testResults: 0, cards: 0, cases: 0 };
  const kinds = new Set(options.kinds ?? SEED_KINDS);
  const started = Date.now();
  try {
    let inFlight: Promise<void> | null = null;
    for (let start = from; start < to; start += batchPeople) {
      const end = Math.min(start + batchPeople, to);
      const batch = generateBatch(population, start, end, kinds);
      if (inFlight) await inFlight;
      inFlight = writeBatch(pool, batch, counts).then(() => {
        const records = counts.persons + counts.doses + counts.testResults + counts.cards + counts.cases;
        options.onProgress?.({ people: end - from, records, elapsedMs: Date.now() - started });
      });
    }
    if (inFlight) await inFlight;
  } finally {
    await pool.end();
  }
  return { ...counts, elapsedMs: Date.now() - started };
}

interface Batch {
  persons: PersonUpsert[];
  doses: DoseUpsert[];
  testResults: TestResultUpsert[];
  cards: CardUpsert[];
  cases: CaseUpsert[];
}

function generateBatch(population: Population, from: number, to: number, kinds: ReadonlySet<keyof SeedCounts>): Batch {
  const batch: Batch = { persons: [], doses: [], testResults: [], cards: [], cases: [] };
  for (let i = from; i < to; i++) {
    if (kinds.has('persons')) batch.persons.push(toPersonUpsert(population.person(i)));
    if (kinds.has('doses')) for (const record of population.vaccinations(i)) batch.doses.push(toDoseUpsert(record));
    const tests = kinds.has('testResults') || kinds.has('cases') ? population.testResults(i) : [];
    if (kinds.has('testResults')) for (const record of tests) batch.testResults.push(toTestResultUpsert(record));
    const card = kinds.has('cards') ? population.insuranceCard(i) : null;
    if (card) batch.cards.push(toCardUpsert(card));
    if (kinds.has('cases')) for (const record of population.cases(i)) batch.cases.push(toCaseUpsert(record, tests, population.person(i)));
  }
  return batch;
}

async function writeBatch(pool: ReturnType<typeof createPool>, batch: Batch, counts: SeedCounts): Promise<void> {
  const [persons, doses, tests, cards, cases] = await Promise.all([
    upsertPersons(pool, batch.persons),
    upsertDoses(pool, batch.doses),
    upsertTestResults(pool, batch.testResults),
    upsertCards(pool, batch.cards),
    upsertCases(pool, batch.cases),
  ]);
  counts.persons += persons.length;
  counts.doses += doses.length;
  counts.testResults += tests.length;
  counts.cards += cards.length;
  counts.cases += cases.length;
}

/** The citizen ID when the source gives it; otherwise the record waits for identity resolution. */
function linkedPersonId(ref: PersonRef): string | null {
  return ref.kind === 'CITIZEN_ID' ? ref.citizenId : null;
}

/** Strips the generator's ground truth: the hub must never see it. */
function sourcePayload<T extends { truth: unknown }>(record: T): Omit<T, 'truth'> {
  const { truth: _truth, ...payload } = record;
  return payload;
}

export function toPersonUpsert(p: Person): PersonUpsert {
  // The generator's index is the key to its ground truth: it is no part of the source record.
  const { index: _index, ...raw } = p;
  return {
    citizenId: p.citizenId,
    source: 'population-registry',
    sourceRecordId: p.citizenId,
    familyName: p.familyName,
    middleName: p.middleName,
    givenName: p.givenName,
    sex: p.sex,
    birthDate: p.birthDate,
    birthYear: p.birthYear,
    phone: p.phone,
    oldIds: p.oldId ? [{ kind: 'CMND', number: p.oldId }] : [],
    addresses: p.addresses,
    householdId: p.householdId,
    raw,
    sourceUpdatedAt: p.updatedAt,
  };
}

/** The schema's enum value of a vaccine product name: 'Vero Cell' → 'VERO_CELL'. */
export function vaccineEnum(product: string): DoseUpsert['vaccine'] {
  return product.toUpperCase().replace(/[^A-Z]+/g, '_') as DoseUpsert['vaccine'];
}

export function toDoseUpsert(r: VaccinationRecord): DoseUpsert {
  return {
    source: r.source,
    sourceRecordId: r.sourceRecordId,
    personId: linkedPersonId(r.personRef),
    personRef: r.personRef,
    doseNumber: r.doseNumber,
    vaccine: vaccineEnum(r.vaccine),
    manufacturer: r.manufacturer,
    lot: r.lot,
    administeredOn: r.administeredOn,
    siteName: r.siteName,
    siteProvinceCode: r.siteProvinceCode,
    residentDistrictCode: r.residentDistrictCode,
    residentWardCode: r.residentWardCode,
    raw: sourcePayload(r),
    sourceUpdatedAt: r.sourceUpdatedAt,
  };
}

export function toTestResultUpsert(r: TestRecord): TestResultUpsert {
  return {
    source: r.source,
    sourceRecordId: r.sourceRecordId,
    personId: linkedPersonId(r.personRef),
    personRef: r.personRef,
    method: r.method,
    result: r.result,
    sampledAt: r.sampledAt,
    resultedAt: r.resultedAt,
    labId: r.labId,
    labName: r.labName,
    poolId: r.poolId,
    raw: sourcePayload(r),
    sourceUpdatedAt: r.sourceUpdatedAt,
  };
}

export function toCardUpsert(r: InsuranceCardRecord): CardUpsert {
  return {
    source: r.source,
    sourceRecordId: r.sourceRecordId,
    personId: linkedPersonId(r.personRef),
    personRef: r.personRef,
    cardNumber: r.cardNumber,
    socialInsuranceCode: r.socialInsuranceCode,
    beneficiaryGroup: r.beneficiaryGroup,
    benefitLevel: r.benefitLevel,
    validFrom: r.validFrom,
    validTo: r.validTo,
    registeredClinic: r.registeredClinic,
    raw: sourcePayload(r),
    sourceUpdatedAt: r.sourceUpdatedAt,
  };
}

/**
 * `tests` are the same person's test records: the case names its confirming test by the lab's
 * own ID. `person`, when given, places the case where the patient lives (current address, else
 * permanent), as case management records it.
 */
export function toCaseUpsert(r: CaseRecord, tests: readonly TestRecord[], person?: Person): CaseUpsert {
  const test = r.confirmingTestRecordId ? tests.find((t) => t.sourceRecordId === r.confirmingTestRecordId) : undefined;
  const home = person && (person.addresses.find((a) => a.kind === 'CURRENT') ?? person.addresses[0]);
  return {
    source: r.source,
    sourceRecordId: r.sourceRecordId,
    personId: linkedPersonId(r.personRef),
    personRef: r.personRef,
    caseCode: r.caseCode,
    confirmedAt: r.confirmedAt,
    status: r.status,
    treatmentPlace: r.treatmentPlace,
    provinceCode: r.provinceCode,
    confirmingTestId: test ? `${test.source}:${test.sourceRecordId}` : null,
    districtCode: home?.districtCode ?? null,
    wardCode: home?.wardCode ?? null,
    raw: sourcePayload(r),
    sourceUpdatedAt: r.sourceUpdatedAt,
  };
}
