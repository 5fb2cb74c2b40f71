import type { TestResultUpsert } from '@health-hub/testing';
import { parseRecord, type MapResult } from '../sdk/connector';
import { labPersonRef } from './lab-person';
import { labFhirRecordSchema } from './resources';

/** The `source` of every result the FHIR lab connector writes. */
export const LAB_FHIR_SOURCE = 'lab-fhir';

/** The Observation id of a lab result, for the rejected table. */
export function observationKey(record: unknown): string | null {
  const id = (record as { observation?: { id?: unknown } } | null)?.observation?.id;
  return typeof id === 'string' ? id : null;
}

const iso = (instant: string) => new Date(instant).toISOString();

/**
 * Validates one FHIR lab result (Observation, its Patient and Specimen) and maps it to the
 * testing store's upsert: LOINC → method, SNOMED CT → result, effectiveDateTime → sampledAt,
 * issued → resultedAt, performer → lab, the Specimen's `urn:vn:pool` identifier → poolId.
 * The person is linked only by the Patient's `urn:vn:cccd` identifier; otherwise the result
 * keeps the name, birth date (or year) and phone the lab wrote down. A `corrected` Observation
 * is simply a newer version (later `meta.lastUpdated`). `raw` is the record as received.
 */
export function mapFhirObservation(record: unknown): MapResult<TestResultUpsert> {
  const parsed = parseRecord(labFhirRecordSchema, record);
  if (!parsed.ok) return parsed;
  const { observation: o, patient, specimen } = parsed.data;
  if (o.specimen !== undefined && specimen === null) {
    return { ok: false, reason: `"specimen" ${o.specimen.reference} is not included in the Bundle`, field: 'specimen' };
  }
  const performer = o.performer[0]!;
  return {
    ok: true,
    value: {
      source: LAB_FHIR_SOURCE,
      sourceRecordId: o.id,
      personId: patient!.citizenId,
      personRef: labPersonRef(patient!),
      method: o.method,
      result: o.outcome,
      sampledAt: iso(o.effectiveDateTime),
      resultedAt: iso(o.issued),
      labId: performer.identifier.value,
      labName: performer.display,
      poolId: specimen?.poolId ?? null,
      raw: record,
      sourceUpdatedAt: iso(o.meta.lastUpdated),
    },
  };
}
