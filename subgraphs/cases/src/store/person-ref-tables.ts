/**
 * The cases tables whose records may name a person without a citizen ID: each has `source`,
 * `source_record_id`, `person_id`, `person_ref` and `person_ref_key`, so the identity backfill
 * can fill keys and link references the same way for all of them.
 */
export const PERSON_REF_TABLES = ['cases.covid_case', 'cases.check_in', 'cases.medical_declaration', 'cases.contact', 'cases.quarantine'] as const;
