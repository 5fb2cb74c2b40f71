import {
  DEFAULT_SIMULATOR_TOKEN, isMalformed, startInsuranceSimulator, startRegistrySimulator, startVaccinationSimulator, type FaultSettings, type Population,
} from '@health-hub/simulators';
import type { Pool } from '@health-hub/subgraph-kit';
import { expectedCards, storedCards } from '../insurance-harness';
import { expectedPerson, storedPersons } from '../registry-harness';
import { expectedDoses, storedDoses } from '../vaccination-expected';

/** A store schema a connector writes. */
export type StoreSchema = 'registry' | 'vaccination' | 'insurance';

/** A simulator started for one case, and what a correct consumer of it ends up with. */
export interface RunningSource {
  url: string;
  close(): Promise<void>;
  /** What the store must hold after a full sync, in the shape `stored` reads (malformed records left out). */
  expected(): unknown[];
  /** The keys (`rawKey`) of the records served malformed with the fault settings in force. */
  malformedKeys(): string[];
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
  /** A config variable and a value its schema refuses, with the field the error must name. */
  badValue: { variable: string; value: string; field: string };
  /** Requests a second that make the source answer 429 during a sweep; absent when the source does not rate-limit. */
  rateLimitPerSecond?: number;
  /** What the store holds, in the shape `expected` gives, in a stable order. */
  stored(pool: Pool): Promise<unknown[]>;
  /** The store table and its key, to see that a re-run changes no row (`ingested_at`). */
  table: { name: string; key: string };
  /** The key of a raw record in the rejected table, as `malformedKeys` names it. */
  rawKey(raw: unknown): string;
}

const token = DEFAULT_SIMULATOR_TOKEN;
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
    stored: storedPersons,
    table: { name: 'registry.person', key: 'citizen_id' },
    // The registration of person i is sequence number i + 1 (no duplicates or updates here).
    rawKey: (raw) => String(Number(field(raw, 'soThuTu')) - 1),
  },
  {
    name: 'vaccination',
    schemas: ['vaccination'],
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
    rateLimitPerSecond: 5,
    stored: storedCards,
    table: { name: 'insurance.card', key: 'source_record_id' },
    rawKey: (raw) => field(raw, 'soCCCD'),
  },
];
