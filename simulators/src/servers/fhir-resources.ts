import type { Population, TestRecord } from '../population/types';
import { vnIsoDateTime } from './formats';
import { labPatient } from './lab-patient';

/** FHIR R4 resources of the FHIR testing lab, reduced to the elements it fills. */

export interface FhirCoding {
  system: string;
  code: string;
  display: string;
}

export interface FhirIdentifier {
  system: string;
  value: string;
}

export interface FhirObservation {
  resourceType: 'Observation';
  id: string;
  meta: { lastUpdated: string };
  /** `corrected` for a newer version of a result already reported final. */
  status: 'final' | 'corrected';
  category: Array<{ coding: FhirCoding[] }>;
  code: { coding: FhirCoding[]; text: string };
  subject: { reference: string };
  /** When the sample was taken, with the +07:00 offset. */
  effectiveDateTime: string;
  /** When the result was released, with the +07:00 offset. */
  issued: string;
  performer: Array<{ display: string; identifier: FhirIdentifier }>;
  valueCodeableConcept: { coding: FhirCoding[]; text: string };
  specimen: { reference: string };
}

export interface FhirPatient {
  resourceType: 'Patient';
  id: string;
  /** `urn:vn:cccd` when the lab recorded the citizen ID; absent otherwise. */
  identifier?: FhirIdentifier[];
  name: Array<{ text: string; family: string; given: string[] }>;
  /** yyyy-mm-dd, or only yyyy when the lab knows only the year (a FHIR partial date). */
  birthDate: string;
  telecom?: Array<{ system: 'phone'; value: string; use: 'mobile' }>;
}

export interface FhirSpecimen {
  resourceType: 'Specimen';
  id: string;
  /** `urn:vn:pool` with the pool id, for a sample tested in a pooled tube. */
  identifier?: FhirIdentifier[];
  type: { coding: FhirCoding[] };
  subject: { reference: string };
  collection: { collectedDateTime: string };
}

/** The three resources the lab holds for one test record. */
export interface LabFhirResult {
  observation: FhirObservation;
  patient: FhirPatient;
  specimen: FhirSpecimen;
}

export const LOINC = 'http://loinc.org';
export const SNOMED = 'http://snomed.info/sct';
export const CCCD_SYSTEM = 'urn:vn:cccd';
export const POOL_SYSTEM = 'urn:vn:pool';
export const LAB_SYSTEM = 'urn:vn:lab';

/** The LOINC code of each test method. */
export const LOINC_BY_METHOD: Readonly<Record<TestRecord['method'], FhirCoding>> = Object.freeze({
  RT_PCR: { system: LOINC, code: '94309-2', display: 'SARS-CoV-2 RNA [Presence] in Respiratory specimen by NAA with probe detection' },
  RAPID_ANTIGEN: { system: LOINC, code: '94558-4', display: 'SARS-CoV-2 Ag [Presence] in Respiratory specimen by Rapid immunoassay' },
});

/** The SNOMED CT code of each result. */
export const SNOMED_BY_RESULT: Readonly<Record<TestRecord['result'], FhirCoding>> = Object.freeze({
  POSITIVE: { system: SNOMED, code: '260373001', display: 'Detected' },
  NEGATIVE: { system: SNOMED, code: '260415000', display: 'Not detected' },
  INVALID: { system: SNOMED, code: '455371000124106', display: 'Invalid result' },
});

const LABORATORY = { system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'laboratory', display: 'Laboratory' };
const SWAB = { system: SNOMED, code: '258500001', display: 'Nasopharyngeal swab' };

/** Resource ids: the Observation has the record id; its Patient and Specimen are the lab's own, one per sample. */
export const patientId = (recordId: string) => `pt-${recordId}`;
export const specimenId = (recordId: string) => `sp-${recordId}`;

/** The Observation of a test record as first reported, last updated at `updatedTs` (seconds). */
export function fhirObservation(record: TestRecord, updatedTs: number): FhirObservation {
  const result = SNOMED_BY_RESULT[record.result];
  const code = LOINC_BY_METHOD[record.method];
  return {
    resourceType: 'Observation',
    id: record.sourceRecordId,
    meta: { lastUpdated: vnIsoDateTime(updatedTs * 1000) },
    status: 'final',
    category: [{ coding: [LABORATORY] }],
    code: { coding: [{ ...code }], text: code.display },
    subject: { reference: `Patient/${patientId(record.sourceRecordId)}` },
    effectiveDateTime: vnIsoDateTime(Date.parse(record.sampledAt)),
    issued: vnIsoDateTime(Date.parse(record.resultedAt)),
    performer: [{ display: record.labName, identifier: { system: LAB_SYSTEM, value: record.labId } }],
    valueCodeableConcept: { coding: [{ ...result }], text: result.display },
    specimen: { reference: `Specimen/${specimenId(record.sourceRecordId)}` },
  };
}

/** The Patient the lab registered for a test record. */
export function fhirPatient(record: TestRecord, population: Population): FhirPatient {
  const p = labPatient(record, population);
  const patient: FhirPatient = {
    resourceType: 'Patient',
    id: patientId(record.sourceRecordId),
    name: [{ text: p.fullName, family: p.familyName, given: p.givenNames }],
    birthDate: p.birthDate ?? String(p.birthYear),
  };
  if (p.citizenId !== null) patient.identifier = [{ system: CCCD_SYSTEM, value: p.citizenId }];
  if (p.phone !== null) patient.telecom = [{ system: 'phone', value: p.phone, use: 'mobile' }];
  return patient;
}

/** The Specimen of a test record. */
export function fhirSpecimen(record: TestRecord): FhirSpecimen {
  const specimen: FhirSpecimen = {
    resourceType: 'Specimen',
    id: specimenId(record.sourceRecordId),
    type: { coding: [SWAB] },
    subject: { reference: `Patient/${patientId(record.sourceRecordId)}` },
    collection: { collectedDateTime: vnIsoDateTime(Date.parse(record.sampledAt)) },
  };
  if (record.poolId !== null) specimen.identifier = [{ system: POOL_SYSTEM, value: record.poolId }];
  return specimen;
}

/** An OperationOutcome, the FHIR error body. */
export function operationOutcome(code: string, diagnostics: string) {
  return { resourceType: 'OperationOutcome' as const, issue: [{ severity: 'error' as const, code, diagnostics }] };
}
