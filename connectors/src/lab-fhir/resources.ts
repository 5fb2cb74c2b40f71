import { z } from 'zod';
import { citizenIdField, phoneField } from './lab-person';

/** FHIR R4 resources of a lab's Observation search, reduced to the elements the hub reads. Unknown elements are allowed. */

export const LOINC_SYSTEM = 'http://loinc.org';
export const SNOMED_SYSTEM = 'http://snomed.info/sct';
export const CCCD_SYSTEM = 'urn:vn:cccd';
export const POOL_SYSTEM = 'urn:vn:pool';
export const LAB_SYSTEM = 'urn:vn:lab';

/** LOINC codes of the SARS-CoV-2 tests the hub knows → its test methods. */
export const METHOD_BY_LOINC: Readonly<Record<string, 'RT_PCR' | 'RAPID_ANTIGEN'>> = Object.freeze({ '94309-2': 'RT_PCR', '94558-4': 'RAPID_ANTIGEN' });

/** SNOMED CT results → the hub's outcomes. */
export const OUTCOME_BY_SNOMED: Readonly<Record<string, 'POSITIVE' | 'NEGATIVE' | 'INVALID'>> = Object.freeze({
  '260373001': 'POSITIVE',
  '260415000': 'NEGATIVE',
  '455371000124106': 'INVALID',
});

const nonBlank = z.string().trim().min(1);
// zod's ISO check knows the calendar (30 February fails), unlike Date.parse.
const instant = z.iso.datetime({ offset: true, message: 'must be a real ISO date-time with an offset' });
const coding = z.object({ system: z.string().optional(), code: z.string().optional() }).loose();
const identifier = z.object({ system: z.string().optional(), value: z.string().optional() }).loose();

/** The first coding of `system` whose code is in `known`, or undefined. */
function knownCode(codings: ReadonlyArray<z.infer<typeof coding>>, system: string, known: Readonly<Record<string, unknown>>): string | undefined {
  return codings.find((c) => c.system === system && c.code !== undefined && Object.hasOwn(known, c.code))?.code;
}

const codes = (codings: ReadonlyArray<z.infer<typeof coding>>) => codings.map((c) => c.code).join(', ');

export const observationSchema = z
  .object({
    resourceType: z.literal('Observation'),
    id: nonBlank,
    meta: z.object({ lastUpdated: instant }),
    status: z.enum(['final', 'amended', 'corrected'], { message: 'must be final, amended or corrected (a released result)' }),
    code: z.object({ coding: z.array(coding).min(1) }).loose(),
    subject: z.object({ reference: nonBlank }).loose(),
    effectiveDateTime: instant,
    issued: instant,
    performer: z
      .array(z.object({ display: nonBlank, identifier: z.object({ system: z.literal(LAB_SYSTEM), value: nonBlank }).loose() }).loose())
      .min(1),
    valueCodeableConcept: z.object({ coding: z.array(coding).min(1) }).loose(),
    specimen: z.object({ reference: nonBlank }).loose().optional(),
  })
  .loose()
  .superRefine((o, ctx) => {
    if (knownCode(o.code.coding, LOINC_SYSTEM, METHOD_BY_LOINC) === undefined) {
      ctx.addIssue({ code: 'custom', path: ['code', 'coding'], message: `has no LOINC code of a SARS-CoV-2 test the hub knows (${codes(o.code.coding)})` });
    }
    if (knownCode(o.valueCodeableConcept.coding, SNOMED_SYSTEM, OUTCOME_BY_SNOMED) === undefined) {
      ctx.addIssue({ code: 'custom', path: ['valueCodeableConcept', 'coding'], message: `has no SNOMED CT result the hub knows (${codes(o.valueCodeableConcept.coding)})` });
    }
  })
  .transform((o) => ({
    ...o,
    method: METHOD_BY_LOINC[knownCode(o.code.coding, LOINC_SYSTEM, METHOD_BY_LOINC)!]!,
    outcome: OUTCOME_BY_SNOMED[knownCode(o.valueCodeableConcept.coding, SNOMED_SYSTEM, OUTCOME_BY_SNOMED)!]!,
  }));

/** yyyy, yyyy-mm or yyyy-mm-dd (FHIR partial dates); a full date must be a real day. */
const birthDate = z
  .string()
  .regex(/^\d{4}(-\d{2}(-\d{2})?)?$/, 'must be a FHIR date: yyyy, yyyy-mm or yyyy-mm-dd')
  .refine((v) => v.length < 10 || z.iso.date().safeParse(v).success, 'is not a real day');

export const patientSchema = z
  .object({
    resourceType: z.literal('Patient'),
    id: nonBlank,
    identifier: z.array(identifier).optional(),
    name: z.array(z.object({ text: z.string().optional(), family: z.string().optional(), given: z.array(z.string()).optional() }).loose()).min(1),
    birthDate,
    telecom: z.array(z.object({ system: z.string().optional(), value: z.string().optional() }).loose()).optional(),
  })
  .loose()
  .transform((p, ctx) => {
    const citizenId = p.identifier?.find((i) => i.system === CCCD_SYSTEM)?.value ?? null;
    if (citizenId !== null) {
      const checked = citizenIdField.safeParse(citizenId);
      if (!checked.success) ctx.addIssue({ code: 'custom', path: ['identifier'], message: checked.error.issues[0]!.message });
    }
    const name = p.name[0]!;
    const fullName = (name.text ?? [name.family, ...(name.given ?? [])].filter((n) => n !== undefined).join(' ')).trim();
    if (fullName === '') ctx.addIssue({ code: 'custom', path: ['name'], message: 'has neither text nor family and given names' });
    const phone = p.telecom?.find((t) => t.system === 'phone')?.value ?? null;
    if (phone !== null && !phoneField.safeParse(phone).success) ctx.addIssue({ code: 'custom', path: ['telecom'], message: phoneField.safeParse(phone).error!.issues[0]!.message });
    return {
      citizenId,
      fullName,
      birthDate: p.birthDate.length === 10 ? p.birthDate : null,
      birthYear: Number(p.birthDate.slice(0, 4)),
      phone,
    };
  });

export const specimenSchema = z
  .object({ resourceType: z.literal('Specimen'), id: nonBlank, identifier: z.array(identifier).optional() })
  .loose()
  .transform((s) => ({ poolId: s.identifier?.find((i) => i.system === POOL_SYSTEM)?.value ?? null }));

/** One lab result as the connector hands it to `map`: the Observation and the resources it references, as received. */
export interface LabFhirRecord {
  observation: unknown;
  /** The included Patient of `observation.subject`; null when the Bundle did not include it. */
  patient: unknown;
  /** The included Specimen of `observation.specimen`; null when the Observation names none or the Bundle did not include it. */
  specimen: unknown;
}

export const labFhirRecordSchema = z.object({
  observation: observationSchema,
  patient: patientSchema.nullable().refine((p) => p !== null, 'the subject Patient is not included in the Bundle'),
  specimen: specimenSchema.nullable(),
});
