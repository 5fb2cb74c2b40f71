import type { SubgraphContext } from '@health-hub/subgraph-kit';
import type { RecordPersonSource } from './crosswalk';
import type { RegistryLoaders } from './loaders';
import { visibleTo } from './province-scope';

/**
 * The `person` of other subgraphs' records (`registry.records.graphql`). A record's subgraph
 * knows only how the source named the person: the citizen ID it gave, or its reference in the
 * crosswalk. The registry resolves either to the person shown today: the crosswalk's link for a
 * reference, then the survivor of a merge: one statement per batch, then the persons' own.
 */

/** The record types whose `person` the registry resolves. */
export const RECORD_TYPES = ['Vaccination', 'TestResult', 'Case', 'Contact', 'Quarantine', 'CheckIn', 'MedicalDeclaration', 'HomeIsolation', 'HealthReport'] as const;

type Context = SubgraphContext<RegistryLoaders>;

/** The person a record belongs to now, as a province-limited caller may see it; null when linked to nobody. */
export async function recordPerson(record: RecordPersonSource, _: unknown, ctx: Context) {
  if (!record.personCitizenId && !record.personReference) return null;
  const shownAs = await ctx.loaders.recordPerson.load({ personCitizenId: record.personCitizenId ?? null, personReference: record.personReference ?? null });
  return shownAs === null ? null : visibleTo(ctx, await ctx.loaders.person.load(shownAs));
}

/** `__resolveReference` (the representation is all the registry needs) and `person` of each record type. */
export const recordPersonResolvers = Object.fromEntries(
  RECORD_TYPES.map((type) => [type, { __resolveReference: (ref: RecordPersonSource) => ref, person: recordPerson }]),
);
