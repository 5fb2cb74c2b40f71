import {
  CCCD_SYSTEM,
  createPopulation,
  type FhirObservation,
  type FhirPatient,
  type FhirSearchBundle,
  type FhirSpecimen,
  type FhirLabSimulator,
  POOL_SYSTEM,
  startFhirLabSimulator,
  type TestRecord,
} from '../src/index';
import { getJson } from './http-client';
import { labRecords } from './lab-records';

const population = createPopulation({ seed: 9, size: 1_500 });
const generated = labRecords(population, 'lab-fhir');
let lab: FhirLabSimulator;

beforeAll(async () => {
  lab = await startFhirLabSimulator({ population });
});
afterAll(() => lab.close());

const INCLUDES = '&_include=Observation:subject&_include=Observation:specimen';

/** Follows `next` links from a first URL; returns every Bundle. */
async function readAll(first: string): Promise<FhirSearchBundle[]> {
  const bundles: FhirSearchBundle[] = [];
  for (let url: string | undefined = first; url !== undefined; ) {
    const { status, body } = await getJson(url);
    expect(status).toBe(200);
    bundles.push(body);
    url = (body as FhirSearchBundle).link.find((l) => l.relation === 'next')?.url;
  }
  return bundles;
}

// Decoding done here on its own, not with the simulator's encoder.
const METHOD_BY_LOINC: Record<string, TestRecord['method']> = { '94309-2': 'RT_PCR', '94558-4': 'RAPID_ANTIGEN' };
const RESULT_BY_SNOMED: Record<string, TestRecord['result']> = { '260373001': 'POSITIVE', '260415000': 'NEGATIVE', '455371000124106': 'INVALID' };
const instant = (s: string) => new Date(Date.parse(s)).toISOString();

function decode(o: FhirObservation) {
  return {
    id: o.id,
    method: METHOD_BY_LOINC[o.code.coding[0]!.code],
    result: RESULT_BY_SNOMED[o.valueCodeableConcept.coding[0]!.code],
    sampledAt: instant(o.effectiveDateTime),
    resultedAt: instant(o.issued),
    updatedAt: instant(o.meta.lastUpdated),
    labId: o.performer[0]!.identifier.value,
    labName: o.performer[0]!.display,
  };
}

describe('the FHIR testing lab', () => {
  it('serves every lab-fhir result exactly once across pages, ordered by (lastUpdated, id), equal to the generator', async () => {
    const bundles = await readAll(`${lab.url}/fhir/Observation?_count=97${INCLUDES}`);
    expect(bundles.length).toBe(Math.ceil(generated.size / 97));
    const observations = bundles.flatMap((b) => b.entry.filter((e) => e.search.mode === 'match').map((e) => e.resource as FhirObservation));
    expect(observations).toHaveLength(generated.size);
    expect(new Set(observations.map((o) => o.id)).size).toBe(generated.size);
    expect(lab.entryCount()).toBe(generated.size);
    for (const o of observations) {
      const r = generated.get(o.id)!;
      expect(o.status).toBe('final');
      expect(decode(o)).toEqual({
        id: r.sourceRecordId,
        method: r.method,
        result: r.result,
        sampledAt: r.sampledAt,
        resultedAt: r.resultedAt,
        updatedAt: r.sourceUpdatedAt,
        labId: r.labId,
        labName: r.labName,
      });
    }
    const keys = observations.map((o) => [Date.parse(o.meta.lastUpdated), o.id] as const);
    const sorted = [...keys].sort((a, b) => a[0] - b[0] || (a[1] < b[1] ? -1 : 1));
    expect(keys).toEqual(sorted);
    expect(bundles.map((b) => [b.resourceType, b.type, b.link.map((l) => l.relation).join()])).toEqual(
      bundles.map((_, k) => ['Bundle', 'searchset', k === bundles.length - 1 ? 'self' : 'self,next']),
    );
  });

  it('includes each Observation’s own Patient and Specimen, once per Bundle', async () => {
    const bundles = await readAll(`${lab.url}/fhir/Observation?_count=250${INCLUDES}`);
    let patients = 0;
    let pooled = 0;
    for (const bundle of bundles) {
      const byUrl = new Map(bundle.entry.map((e) => [e.fullUrl.replace(/^.*\/fhir\//, ''), e]));
      expect(byUrl.size).toBe(bundle.entry.length);
      const matches = bundle.entry.filter((e) => e.search.mode === 'match');
      expect(bundle.entry).toHaveLength(matches.length * 3);
      for (const m of matches) {
        const o = m.resource as FhirObservation;
        const r = generated.get(o.id)!;
        const patientEntry = byUrl.get(o.subject.reference)!;
        const specimenEntry = byUrl.get(o.specimen.reference)!;
        expect(patientEntry.search.mode).toBe('include');
        expect(specimenEntry.search.mode).toBe('include');
        const patient = patientEntry.resource as FhirPatient;
        const specimen = specimenEntry.resource as FhirSpecimen;
        patients++;

        const person = population.person(r.truth.personIndex);
        const ref = r.personRef;
        if (ref.kind === 'CITIZEN_ID') {
          expect(patient.identifier).toEqual([{ system: CCCD_SYSTEM, value: person.citizenId }]);
          expect(patient.name[0]!.text).toBe(person.fullName);
          expect(patient.birthDate).toBe(person.birthDate ?? String(person.birthYear));
          expect(patient.telecom?.[0]?.value ?? null).toBe(person.phone);
        } else if (ref.kind === 'DEMOGRAPHIC') {
          expect(patient.identifier).toBeUndefined();
          expect(patient.name[0]!.text).toBe(ref.fullName);
          expect(patient.birthDate).toBe(ref.birthDate ?? String(ref.birthYear));
          expect(patient.telecom?.[0]?.value ?? null).toBe(ref.phone);
        }
        const name = patient.name[0]!;
        expect([name.family, ...name.given].join(' ')).toBe(name.text);

        expect(specimen.subject.reference).toBe(o.subject.reference);
        expect(instant(specimen.collection.collectedDateTime)).toBe(r.sampledAt);
        if (r.poolId !== null) pooled++;
        expect(specimen.identifier ?? null).toEqual(r.poolId === null ? null : [{ system: POOL_SYSTEM, value: r.poolId }]);
      }
    }
    expect(patients).toBe(generated.size);
    expect(pooled).toBeGreaterThan(0);
  });

  it('serves only Observations without _include, and starts strictly after _lastUpdated', async () => {
    const ordered = [...generated.values()].sort((a, b) => a.sourceUpdatedAt.localeCompare(b.sourceUpdatedAt) || a.sourceRecordId.localeCompare(b.sourceRecordId));
    const pivot = ordered[Math.floor(ordered.length / 2)]!.sourceUpdatedAt;
    const after = ordered.filter((r) => r.sourceUpdatedAt > pivot);
    const since = encodeURIComponent(`gt${pivot}`);
    const bundles = await readAll(`${lab.url}/fhir/Observation?_lastUpdated=${since}&_count=1000`);
    const entries = bundles.flatMap((b) => b.entry);
    expect(entries.every((e) => e.search.mode === 'match')).toBe(true);
    expect(entries.map((e) => e.resource.id)).toEqual(after.map((r) => r.sourceRecordId));
    // The same instant with the lab's own +07:00 offset, and the "+" left unencoded.
    const local = new Date(Date.parse(pivot) + 7 * 3_600_000).toISOString().replace(/\.\d{3}Z$/, '+07:00');
    const { body } = await getJson(`${lab.url}/fhir/Observation?_lastUpdated=gt${local}&_count=1`);
    expect(body.entry[0].resource.id).toBe(after[0]!.sourceRecordId);
  });

  it('refuses bad requests with an OperationOutcome', async () => {
    expect((await getJson(`${lab.url}/fhir/Observation`, null)).status).toBe(401);
    for (const query of ['_count=0', '_count=1001', '_count=x', '_lastUpdated=lt2021-01-01', '_lastUpdated=gtyesterday', '_cursor=bm9wZQ', '_include=Observation:performer']) {
      const { status, body } = await getJson(`${lab.url}/fhir/Observation?${query}`);
      expect([query, status]).toEqual([query, 400]);
      expect(body).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'invalid' }] });
    }
  });
});
