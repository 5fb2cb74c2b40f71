export { build, MIGRATIONS_DIR, type RegistryOptions } from './app';
export { upsertPersons, personsByIds, personsWithCrosswalkByIds, PERSONS_WITH_CROSSWALK, searchPersons, citizenIdsAfter, type PersonUpsert, type Person, type Address, type OldIdentity } from './person-store';
export { nameKey } from './name-key';
export { RegistryErrors, MAX_PERSONS_PER_CALL } from './errors';
export { linkSourceReferences, learnPersonIdentifiers, rematchWaiting, referenceRecord, linkedReferencesOf, type ReferenceToLink, type LinkSummary, type LinkOptions } from './crosswalk';
export { RegistryCandidates, registryRecord } from './person-index';
export { reviewQueue, decideReference, mergePersons, unmergePersons, identityHistory, type ReviewItem, type StewardDecision, type PersonMerge, type IdentityEvent, type ReferenceState } from './stewardship';
export { householdsOf, householdWritesAfter, type HouseholdOf, type HouseholdWrite, type HouseholdWritePosition } from './households';
export { personsShownFor, namesOfPersons, type RecordPersonSource } from './crosswalk';
