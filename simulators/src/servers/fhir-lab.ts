import type { Population, TestRecord } from '../population/types';
import { type ChangeEntry, ChangeIndex, UPDATE } from './change-index';
import { type FaultSwitch, isMalformed, recordVariant } from './faults';
import {
  fhirObservation,
  fhirPatient,
  fhirSpecimen,
  type FhirObservation,
  type FhirPatient,
  type FhirSpecimen,
  type LabFhirResult,
  operationOutcome,
  SNOMED_BY_RESULT,
} from './fhir-resources';
import { vnIsoDateTime } from './formats';
import { listen, resolveOptions, type Simulator, type SimulatorOptions, simulatorApp } from './http';

/** One entry of a searchset Bundle. */
export interface FhirBundleEntry {
  fullUrl: string;
  resource: FhirObservation | FhirPatient | FhirSpecimen;
  search: { mode: 'match' | 'include' };
}

/** The answer of `GET /fhir/Observation`. */
export interface FhirSearchBundle {
  resourceType: 'Bundle';
  type: 'searchset';
  link: Array<{ relation: 'self' | 'next'; url: string }>;
  entry: FhirBundleEntry[];
}

/** A running FHIR testing lab. */
export interface FhirLabSimulator extends Simulator {
  /** Observations served with the fault settings in force (counting duplicates and updates). */
  entryCount(): number;
  /**
   * What a correct consumer holds after reading the whole feed: the latest version of every
   * result that is not malformed, in feed order. Meant for test-sized populations.
   */
  expectedRecords(): LabFhirResult[];
}

/** Largest _count the lab accepts. */
export const FHIR_LAB_MAX_PAGE = 1000;
const DEFAULT_PAGE = 100;
const INCLUDES = ['Observation:subject', 'Observation:specimen'] as const;
/** A LOINC code no lab test has: the "unknown code" malformation. */
export const UNKNOWN_LOINC = '99999-9';

/**
 * The resources of one served entry, with the per-record faults applied. An UPDATE corrects
 * an INVALID result to NEGATIVE, or else re-issues the result 1–60 minutes later; either way
 * its status is `corrected`. A malformed result has an impossible effectiveDateTime (30 February)
 * or an unknown LOINC code, in every version.
 */
export function servedLabFhirResult(entry: ChangeEntry<TestRecord>, population: Population, seed: number, malformedRate: number): LabFhirResult {
  const { record } = entry;
  const observation = fhirObservation(record, entry.updatedTs);
  const id = record.sourceRecordId;
  if (entry.kind === UPDATE) {
    observation.status = 'corrected';
    if (record.result === 'INVALID') {
      const negative = SNOMED_BY_RESULT.NEGATIVE;
      observation.valueCodeableConcept = { coding: [{ ...negative }], text: negative.display };
    } else {
      observation.issued = vnIsoDateTime(Date.parse(record.resultedAt) + (1 + recordVariant(seed, id, 60)) * 60_000);
    }
  }
  if (isMalformed(seed, id, malformedRate)) {
    if (recordVariant(seed, id, 2) === 0) observation.effectiveDateTime = `${observation.effectiveDateTime.slice(0, 5)}02-30${observation.effectiveDateTime.slice(10)}`;
    else observation.code.coding[0]!.code = UNKNOWN_LOINC;
  }
  return { observation, patient: fhirPatient(record, population), specimen: fhirSpecimen(record) };
}

/** Builds the lab's time-ordered index of its (lab-fhir) results. */
export function labFhirIndex(population: Population, seed: number, faults: FaultSwitch): ChangeIndex<TestRecord> {
  return new ChangeIndex({ size: population.size, records: (i) => population.testResults(i).filter((r) => r.source === 'lab-fhir'), seed, faults });
}

type Query = Record<string, string | string[] | undefined>;

function single(query: Query, name: string): string | undefined | null {
  const value = query[name];
  return Array.isArray(value) ? null : value;
}

/**
 * The FHIR testing lab: `GET /fhir/Observation?_lastUpdated=gt<instant>&_count=<n>&_include=Observation:subject&_include=Observation:specimen`
 * with a bearer token answers a searchset Bundle of Observations ordered by (lastUpdated, id),
 * with their Patients and Specimens when included, and a `next` link with an opaque `_cursor`.
 */
export async function startFhirLabSimulator(options: SimulatorOptions): Promise<FhirLabSimulator> {
  const resolved = resolveOptions(options);
  const { seed, faults, population } = resolved;
  const index = labFhirIndex(population, seed, faults);
  const { app, dice } = simulatorApp(resolved, (message) => operationOutcome('exception', message));
  const invalid = (message: string) => operationOutcome('invalid', message);

  app.get('/fhir/Observation', async (request, reply) => {
    const query = request.query as Query;
    const countText = single(query, '_count');
    const count = countText === undefined ? DEFAULT_PAGE : countText !== null && /^\d{1,4}$/.test(countText) ? Number(countText) : 0;
    if (count < 1 || count > FHIR_LAB_MAX_PAGE) return reply.code(400).send(invalid(`_count must be 1..${FHIR_LAB_MAX_PAGE}`));
    const includes = query._include === undefined ? [] : ([] as string[]).concat(query._include);
    const unknownInclude = includes.find((i) => !(INCLUDES as readonly string[]).includes(i));
    if (unknownInclude !== undefined) return reply.code(400).send(invalid(`_include ${unknownInclude} is not supported`));

    let from = 0;
    const cursor = single(query, '_cursor');
    const lastUpdated = single(query, '_lastUpdated');
    if (cursor === null || lastUpdated === null) return reply.code(400).send(invalid('_cursor and _lastUpdated may be given once'));
    if (cursor !== undefined) {
      const position = index.positionAfterCursor(cursor);
      if (position === null) return reply.code(400).send(invalid('_cursor is not one of this server'));
      from = position;
    } else if (lastUpdated !== undefined) {
      // An unencoded "+07:00" arrives as " 07:00".
      const instant = /^gt\d{4}-\d{2}-\d{2}/.test(lastUpdated) ? Date.parse(lastUpdated.slice(2).replace(' ', '+')) : Number.NaN;
      if (Number.isNaN(instant)) return reply.code(400).send(invalid('_lastUpdated must be gt<ISO date-time>'));
      from = index.positionAfterTime(Math.floor(instant / 1000));
    }

    const entries = index.page(from, count);
    const { malformedRate, outOfOrder } = faults.settings;
    const origin = `${request.protocol}://${request.headers.host}`;
    const results = entries.map((e) => servedLabFhirResult(e, population, seed, malformedRate));
    if (outOfOrder) dice.shuffle(results);
    const entry: FhirBundleEntry[] = [];
    const included = new Set<string>();
    const add = (resource: FhirBundleEntry['resource'], mode: 'match' | 'include') => {
      const fullUrl = `${origin}/fhir/${resource.resourceType}/${resource.id}`;
      // A resource is included once per Bundle, even when two versions of its Observation share the page.
      if (mode === 'include' && included.has(fullUrl)) return;
      included.add(fullUrl);
      entry.push({ fullUrl, resource, search: { mode } });
    };
    for (const r of results) add(r.observation, 'match');
    if (includes.includes('Observation:subject')) for (const r of results) add(r.patient, 'include');
    if (includes.includes('Observation:specimen')) for (const r of results) add(r.specimen, 'include');

    const link: FhirSearchBundle['link'] = [{ relation: 'self', url: `${origin}${request.url}` }];
    const last = from + entries.length;
    if (last < index.length) {
      const params = new URLSearchParams({ _count: String(count) });
      for (const i of includes) params.append('_include', i);
      params.set('_cursor', index.cursorOf(last - 1));
      link.push({ relation: 'next', url: `${origin}/fhir/Observation?${params}` });
    }
    const bundle: FhirSearchBundle = { resourceType: 'Bundle', type: 'searchset', link, entry };
    return reply.type('application/fhir+json; charset=utf-8').send(bundle);
  });

  const simulator = await listen(app, resolved);
  return {
    ...simulator,
    entryCount: () => index.length,
    expectedRecords: () => index.expectedLatest(faults.settings.malformedRate).map((e) => servedLabFhirResult(e, population, seed, 0)),
  };
}
