import {
  caseManagementFiles, DEFAULT_SIMULATOR_TOKEN, generateEpidemiology, isMalformed, startCitizenAppSimulator, writeCaseManagementFiles, startFhirLabSimulator, startInsuranceSimulator, startRegistrySimulator, startVaccinationSimulator, startWorkplaceSafetySimulator, writeLabCsvDays,
  type FaultSettings, type Population,
} from '@health-hub/simulators';
import type { Pool } from '@health-hub/subgraph-kit';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventKey } from '../../src/citizen-app/map-event';
import { PAGE } from './harness';
import { expectedCaseManagement, expectedCitizenApp, storedCaseManagement, storedCitizenApp } from '../epidemiology-harness';
import { expectedCards, storedCards } from '../insurance-harness';
import { expectedCsvResults, expectedFhirResults, labRecords, storedCsvResults, storedResults } from '../lab-harness';
import { expectedPerson, storedPersons } from '../registry-harness';
import { expectedDoses, storedDoses } from '../vaccination-expected';
import { expectedWorkplaceRecords, storedWorkplaceRecords } from '../workplaces-harness';

/** A store schema a connector writes. */
export type StoreSchema = 'registry' | 'vaccination' | 'insurance' | 'testing' | 'cases' | 'workplaces';

/** The cases a subject may declare not applicable (listed as skipped, with the subject's reason). */
export type CaseName = 'source-faults' | 'timeouts' | 'rate-limit' | 'duplicates-and-updates' | 'base-url';

/** A simulator started for one case, and what a correct consumer of it ends up with. */
export interface RunningSource {
  /** Where the connector reads: the simulator's URL, or the folder of a file-drop source. */
  url: string;
  close(): Promise<void>;
  /** What the store must hold after a full sync, in the shape `stored` reads (malformed records left out). */
  expected(): unknown[];
  /** The keys (`rawKey`) of the records served malformed with the fault settings in force. */
  malformedKeys(): string[];
  /**
   * Store writes a full sync makes, when a source serves some records in several versions of
   * its own (a quarantine admitted, then released): default `expected().length`.
   */
  writes?(): number;
}

/**
 * One connector with its simulator, as the conformance suite drives it. A new source is one
 * more entry in `SUBJECTS`.
 */
export interface ConformanceSubject {
  /** Its key in AVAILABLE_CONNECTORS (and its queue name). */
  name: string;
  /** The store schemas it writes (migrated in every fresh database). */
  schemas: StoreSchema[];
  /** A lookup-style source asks about the persons the hub knows: the registry runs first. */
  needsRegistry?: boolean;
  /** Starts its simulator; `rateLimitPerSecond` only for sources that rate-limit. */
  start(population: Population, faults: Partial<FaultSettings>, rateLimitPerSecond?: number): Promise<RunningSource>;
  /** The variables its `configFromEnv` reads, pointing at the simulator; `pageSize` records or keys a page. */
  env(url: string, pageSize: number): Record<string, string>;
  /** Config members the environment has no variable for (merged over `configFromEnv`'s). */
  config?(pageSize: number): Record<string, unknown>;
  /** A config variable and a value its schema refuses, with the field the error must name; absent when it has no such variable. */
  badValue?: { variable: string; value: string; field: string };
  /** A location (`url` of `env`) that cannot be read, and the code its failed run ends with. */
  unreachable: { url: string; code: string };
  /** Requests a second that make the source answer 429 during a sweep (needed unless `rate-limit` is not applicable). */
  rateLimitPerSecond?: number;
  /** The cases that do not apply to this source, each with why. */
  notApplicable?: Partial<Record<CaseName, string>>;
  /** What the store holds, in the shape `expected` gives, in a stable order. */
  stored(pool: Pool): Promise<unknown[]>;
  /** The store table (or a subquery over the tables of one feed) and its key, to see that a re-run changes no row (`ingested_at`). */
  table: { name: string; key: string };
  /** The key of a raw record in the rejected table, as `malformedKeys` names it. */
  rawKey(raw: unknown): string;
}

const token = DEFAULT_SIMULATOR_TOKEN;
/** A closed port: nothing listens there. */
const CLOSED_PORT = { url: 'http://127.0.0.1:1', code: 'HUB_CONNECTOR_SOURCE_UNAVAILABLE' };
const NO_RATE_LIMIT = 'the source does not rate-limit';
const NO_CHANGES = 'the source serves each record once, in one version';
/** Lines a page of the case-management exports: a file is a few lines, so a page spans several. */
const CASE_MANAGEMENT_PAGE = 50;
const field = (raw: unknown, name: string) => String((raw as Record<string, unknown>)[name]);

export const SUBJECTS: ConformanceSubject[] = [
  {
    name: 'registry',
    schemas: ['registry'],
    async start(population, faults) {
      const sim = await startRegistrySimulator({ population, faults });
      const rate = faults.malformedRate ?? 0;
      const malformed = (i: number) => isMalformed(population.seed, i, rate);
      const indices = Array.from({ length: population.size }, (_, i) => i);
      return {
        url: sim.url,
        close: () => sim.close(),
        expected: () => indices.filter((i) => !malformed(i)).map((i) => expectedPerson(population.person(i))).sort((a, b) => a.citizenId.localeCompare(b.citizenId)),
        malformedKeys: () => indices.filter(malformed).map(String),
      };
    },
    env: (url, pageSize) => ({ HUB_REGISTRY_URL: url, HUB_REGISTRY_TOKEN: token, HUB_REGISTRY_PAGE_SIZE: String(pageSize) }),
    badValue: { variable: 'HUB_REGISTRY_PAGE_SIZE', value: '5000', field: 'pageSize' },
    unreachable: CLOSED_PORT,
    notApplicable: { 'rate-limit': NO_RATE_LIMIT, 'duplicates-and-updates': NO_CHANGES },
    stored: storedPersons,
    table: { name: 'registry.person', key: 'citizen_id' },
    // The registration of person i is sequence number i + 1 (no duplicates or updates here).
    rawKey: (raw) => String(Number(field(raw, 'soThuTu')) - 1),
  },
  {
    name: 'vaccination',
    schemas: ['registry', 'vaccination'],
    async start(population, faults) {
      const sim = await startVaccinationSimulator({ population, faults });
      const rate = faults.malformedRate ?? 0;
      return {
        url: sim.url,
        close: () => sim.close(),
        expected: () => expectedDoses(population, sim.expectedRecords()),
        malformedKeys: () =>
          Array.from({ length: population.size }, (_, i) => population.vaccinations(i).map((v) => v.sourceRecordId))
            .flat()
            .filter((id) => isMalformed(population.seed, id, rate)),
      };
    },
    env: (url, pageSize) => ({ HUB_VACCINATION_URL: url, HUB_VACCINATION_TOKEN: token, HUB_VACCINATION_PAGE_SIZE: String(pageSize) }),
    badValue: { variable: 'HUB_VACCINATION_PAGE_SIZE', value: '0', field: 'pageSize' },
    unreachable: CLOSED_PORT,
    notApplicable: { 'rate-limit': NO_RATE_LIMIT },
    stored: storedDoses,
    table: { name: 'vaccination.dose', key: 'source_record_id' },
    rawKey: (raw) => field(raw, 'record_id'),
  },
  {
    name: 'insurance',
    schemas: ['registry', 'insurance'],
    needsRegistry: true,
    async start(population, faults, rateLimitPerSecond = 10_000) {
      const sim = await startInsuranceSimulator({ population, faults, rateLimitPerSecond });
      const rate = faults.malformedRate ?? 0;
      const malformed = (code: string) => isMalformed(population.seed, code, rate);
      return {
        url: sim.url,
        close: () => sim.close(),
        expected: () => expectedCards(population, sim, (code) => !malformed(code)),
        // By the holder's citizen ID: a malformed card may carry a 9-digit code.
        malformedKeys: () =>
          Array.from({ length: population.size }, (_, i) => i)
            .filter((i) => {
              const code = population.insuranceCard(i)?.socialInsuranceCode;
              return code !== undefined && malformed(code);
            })
            .map((i) => population.person(i).citizenId),
      };
    },
    env: (url, pageSize) => ({ HUB_INSURANCE_URL: url, HUB_INSURANCE_TOKEN: token, HUB_INSURANCE_BATCH_SIZE: String(pageSize) }),
    badValue: { variable: 'HUB_INSURANCE_BATCH_SIZE', value: '101', field: 'batchSize' },
    unreachable: CLOSED_PORT,
    rateLimitPerSecond: 5,
    notApplicable: { 'duplicates-and-updates': 'a lookup answers with the card as it is now' },
    stored: storedCards,
    table: { name: 'insurance.card', key: 'source_record_id' },
    rawKey: (raw) => field(raw, 'soCCCD'),
  },  {
    name: 'lab-fhir',
    schemas: ['registry', 'testing'],
    async start(population, faults) {
      const sim = await startFhirLabSimulator({ population, faults });
      const rate = faults.malformedRate ?? 0;
      return {
        url: sim.url,
        close: () => sim.close(),
        expected: () => expectedFhirResults(population, sim.expectedRecords()),
        malformedKeys: () => [...labRecords(population, 'lab-fhir').keys()].filter((id) => isMalformed(population.seed, id, rate)),
      };
    },
    env: (url, pageSize) => ({ HUB_LAB_FHIR_URL: `${url}/fhir`, HUB_LAB_FHIR_TOKEN: token, HUB_LAB_FHIR_PAGE_SIZE: String(pageSize) }),
    badValue: { variable: 'HUB_LAB_FHIR_PAGE_SIZE', value: '1001', field: 'pageSize' },
    unreachable: CLOSED_PORT,
    notApplicable: { 'rate-limit': NO_RATE_LIMIT },
    stored: storedResults,
    table: { name: 'testing.test_result', key: 'source_record_id' },
    rawKey: (raw) => String((raw as { observation: { id: string } }).observation.id),
  },
  {
    name: 'lab-csv',
    schemas: ['registry', 'testing'],
    async start(population, faults) {
      // The folder's files are written once: only malformed and repeated rows apply (no updates).
      const { malformedRate = 0, duplicateRate = 0 } = faults;
      const folder = await mkdtemp(join(tmpdir(), 'conformance-lab-csv-'));
      await writeLabCsvDays({ population, dir: folder, faults: { malformedRate, duplicateRate } });
      const malformed = (id: string) => isMalformed(population.seed, id, malformedRate);
      return {
        url: folder,
        close: () => rm(folder, { recursive: true, force: true }),
        expected: () => expectedCsvResults(population, (id) => !malformed(id)),
        malformedKeys: () => [...labRecords(population, 'lab-csv').keys()].filter(malformed),
      };
    },
    env: (folder) => ({ HUB_LAB_CSV_DIR: folder }),
    // Its page size has no variable; a quarter of the others' makes a file-sized page.
    config: (pageSize) => ({ pageSize: Math.ceil(pageSize / 4) }),
    unreachable: { url: join(tmpdir(), 'conformance-no-such-folder'), code: 'HUB_CONNECTOR_LAB_CSV_FOLDER_UNREADABLE' },
    notApplicable: {
      'source-faults': 'a folder has no 5xx answers or truncated bodies',
      timeouts: 'a folder has no requests to time out',
      'rate-limit': NO_RATE_LIMIT,
      'base-url': 'its location is a folder, not a URL',
    },
    stored: storedCsvResults,
    table: { name: 'testing.test_result', key: 'source_record_id' },
    rawKey: (raw) => (raw as { fields: { ma_mau: string } }).fields.ma_mau,
  },
  {
    name: 'citizen-app',
    schemas: ['cases'],
    async start(population, faults) {
      // With isolations at home and their daily health reports (February 2022), an F0's isolation in two versions.
      const epidemiology = generateEpidemiology({ population, from: '2021-08-01', to: '2021-08-02', venuesPerProvince: 2, homeIsolation: { from: '2022-02-01', to: '2022-02-28' } });
      const sim = await startCitizenAppSimulator({ population, faults, epidemiology });
      const rate = faults.malformedRate ?? 0;
      const malformed = [...epidemiology.checkIns, ...epidemiology.declarations, ...epidemiology.healthReports].map((r) => r.id).filter((id) => isMalformed(population.seed, id, rate));
      const bad = new Set(malformed);
      return {
        url: sim.url,
        close: () => sim.close(),
        // Check-ins, the table the suite counts; writes() adds the venues, declarations, reports and isolations of the same stream.
        expected: () => expectedCitizenApp(epidemiology, (id) => !isMalformed(population.seed, id, rate)).filter((l) => l.startsWith('checkIn ')),
        // A page holds PAGE events; an isolation twice in one page is written once (its latest version).
        writes: () => {
          let n = 0;
          for (let i = 0; i < sim.events.length; i += PAGE) n += new Set(sim.events.slice(i, i + PAGE).map((e) => eventKey(e)!).filter((k) => !bad.has(k))).size;
          return n;
        },
        malformedKeys: () => malformed,
      };
    },
    env: (url, pageSize) => ({ HUB_CITIZEN_APP_URL: url, HUB_CITIZEN_APP_TOKEN: token, HUB_CITIZEN_APP_PAGE_SIZE: String(pageSize) }),
    badValue: { variable: 'HUB_CITIZEN_APP_PAGE_SIZE', value: '5000', field: 'pageSize' },
    unreachable: CLOSED_PORT,
    notApplicable: { 'rate-limit': NO_RATE_LIMIT, 'duplicates-and-updates': 'the app serves each event once' },
    stored: async (pool) => (await storedCitizenApp(pool)).filter((l) => l.startsWith('checkIn ')),
    table: { name: 'cases.check_in', key: 'source_record_id' },
    rawKey: (raw) => eventKey(raw)!,
  },
  {
    name: 'case-management',
    schemas: ['cases'],
    async start(population, faults) {
      // The exports are written once: only malformed lines apply.
      const malformedRate = faults.malformedRate ?? 0;
      const folder = await mkdtemp(join(tmpdir(), 'conformance-case-management-'));
      const epidemiology = generateEpidemiology({ population, from: '2021-08-01', to: '2021-08-02', checkInsPerPersonDay: 0 });
      await writeCaseManagementFiles({ epidemiology, dir: folder, seed: population.seed, malformedRate });
      const lines = [...caseManagementFiles(epidemiology, population.seed, malformedRate).values()].flat();
      const bad = (l: Record<string, unknown>) =>
        (l.loai === 'CACH_LY' && isMalformed(population.seed, String(l.ma), malformedRate)) ||
        (l.loai === 'CA_BENH' && l.tinhTrang === 'UNDER_TREATMENT' && isMalformed(population.seed, String(l.maBenhNhan), malformedRate));
      return {
        url: folder,
        close: () => rm(folder, { recursive: true, force: true }),
        expected: () => expectedCaseManagement(lines.filter((l) => !bad(l))),
        malformedKeys: () => lines.filter(bad).map((l) => String(l.ma ?? l.maBenhNhan)),
        // A page holds CASE_MANAGEMENT_PAGE lines across files; a record twice in one page is written once (its latest version).
        writes: () => {
          let n = 0;
          for (let i = 0; i < lines.length; i += CASE_MANAGEMENT_PAGE) {
            n += new Set(lines.slice(i, i + CASE_MANAGEMENT_PAGE).filter((l) => !bad(l)).map((l) => `${l.loai} ${String(l.ma ?? l.maBenhNhan ?? `${String(l.maTinh)}:${String(l.ngayBaoCao)}`)}`)).size;
          }
          return n;
        },
      };
    },
    env: (folder) => ({ HUB_CASE_MANAGEMENT_DIR: folder, HUB_CASE_MANAGEMENT_PAGE_SIZE: String(CASE_MANAGEMENT_PAGE) }),
    badValue: { variable: 'HUB_CASE_MANAGEMENT_PAGE_SIZE', value: '0', field: 'pageSize' },
    unreachable: { url: join(tmpdir(), 'conformance-no-such-folder'), code: 'HUB_CONNECTOR_SOURCE_UNAVAILABLE' },
    notApplicable: {
      'source-faults': 'a folder has no 5xx answers or truncated bodies',
      timeouts: 'a folder has no requests to time out',
      'rate-limit': NO_RATE_LIMIT,
      'duplicates-and-updates': 'versions are part of every export (admission, then release), checked by every case',
      'base-url': 'its location is a folder, not a URL',
    },
    stored: storedCaseManagement,
    table: { name: 'cases.quarantine', key: 'source_record_id' },
    rawKey: (raw) => {
      const record = (raw as { record: Record<string, unknown> }).record;
      return String(record.ma ?? record.maBenhNhan);
    },
  },
  {
    name: 'workplace-safety',
    schemas: ['workplaces'],
    async start(population, faults) {
      const sim = await startWorkplaceSafetySimulator({ population, faults });
      return {
        url: sim.url,
        close: () => sim.close(),
        expected: () => expectedWorkplaceRecords(sim.expectedRecords()),
        malformedKeys: () => sim.malformedIds(),
      };
    },
    env: (url, pageSize) => ({ HUB_WORKPLACE_SAFETY_URL: url, HUB_WORKPLACE_SAFETY_TOKEN: token, HUB_WORKPLACE_SAFETY_PAGE_SIZE: String(pageSize) }),
    badValue: { variable: 'HUB_WORKPLACE_SAFETY_PAGE_SIZE', value: '501', field: 'pageSize' },
    unreachable: CLOSED_PORT,
    notApplicable: { 'rate-limit': NO_RATE_LIMIT },
    stored: storedWorkplaceRecords,
    // Two tables, one feed: the suite sees them as one.
    table: {
      name: '(SELECT source_record_id, ingested_at FROM workplaces.workplace UNION ALL SELECT source_record_id, ingested_at FROM workplaces.assessment) AS records',
      key: 'source_record_id',
    },
    // The record number stays when a malformed tax code or day is served.
    rawKey: (raw) => field(raw, 'maHoSo'),
  },
];
