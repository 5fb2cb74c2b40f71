import type { ContactUpsert, F1Contact } from '@health-hub/cases';
import type { HouseholdOf } from '@health-hub/registry';
import type { MapResult } from '../sdk/connector';

/** Source of the F2 contacts the hub derives from F1s' households. */
export const HOUSEHOLD_CONTACTS_SOURCE = 'hub-households';

/**
 * One F1 as the household-contacts stream reads it: the contact, its household as the registry
 * holds it (null: the registry does not know the person, or the crosswalk does not link them),
 * and who is never its F2 (the case's person and every F1 of the case, as the registry shows them).
 */
export interface F1WithHousehold {
  f1: F1Contact;
  household: HouseholdOf | null;
  neverF2: string[];
}

/** The F2s of one F1, keyed (F1, member) so a later run updates them. */
export interface DerivedF2s {
  f1Id: string;
  contacts: ContactUpsert[];
}

/**
 * The F2 contacts of one F1: every other member of its household (exposure `HOUSEHOLD`, exposed
 * to the F1 contact, at the F1's exposure), except the case's person and the case's F1s. The F2s
 * carry the F1's `sourceUpdatedAt`, so a re-run over an unchanged F1 writes nothing and a changed
 * F1 (or household) rewrites them. An F1 whose person the registry does not know is refused with
 * the reason; one with no household has no F2s.
 */
export function deriveHouseholdF2s(record: F1WithHousehold): MapResult<DerivedF2s> {
  const { f1, household } = record;
  if (household === null) {
    return f1.personId !== null
      ? { ok: false, field: 'personId', reason: `F1 contact ${f1.id} names citizen ID ${f1.personId}, which the population registry does not hold` }
      : { ok: false, field: 'personRefKey', reason: `F1 contact ${f1.id} names its person by a reference the crosswalk links to nobody (yet)` };
  }
  const never = new Set(record.neverF2);
  const exposedAt = new Date(f1.exposedAt).toISOString();
  const sourceUpdatedAt = new Date(f1.sourceUpdatedAt).toISOString();
  const contacts: ContactUpsert[] = household.memberIds
    .filter((member) => !never.has(member))
    .map((member) => ({
      source: HOUSEHOLD_CONTACTS_SOURCE, sourceRecordId: `${f1.id}:${member}`, personId: member, personRef: { kind: 'CITIZEN_ID', citizenId: member },
      level: 'F2', exposedToCase: null, exposedToContact: f1.id, exposedAt, exposure: 'HOUSEHOLD', venueCode: null, place: null,
      status: 'MONITORING', provinceCode: f1.provinceCode, raw: { f1: f1.id, f1Person: household.personId, household: household.householdId }, sourceUpdatedAt,
    }));
  return { ok: true, value: { f1Id: f1.id, contacts } };
}
