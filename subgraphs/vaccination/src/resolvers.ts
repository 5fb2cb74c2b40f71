import { personKeysOf, recordPersonFields, type SubgraphContext } from '@health-hub/subgraph-kit';
import { coverageByDay, type CoverageRange, type Dose } from './dose-store';
import type { VaccinationLoaders } from './loaders';
import { vaccinationStatus } from './vaccines';

type Context = SubgraphContext<VaccinationLoaders>;
type PersonRef = { id: string; sourceReferences?: unknown; mergedIds?: unknown };

export const resolvers = {
  Query: {
    vaccination: (_: unknown, args: { id: string }, ctx: Context) => ctx.loaders.dose.load(args.id),

    vaccinationCoverage: (_: unknown, args: CoverageRange, ctx: Context) => coverageByDay(ctx.pool, args),
  },

  Person: {
    // The registry owns the person: this subgraph only adds fields to a citizen ID. The
    // representation carries the registry's crosswalk (`@requires`): doses recorded without
    // the citizen ID follow it.
    __resolveReference: (ref: PersonRef) => ref,

    vaccinations: (person: PersonRef, _: unknown, ctx: Context) => ctx.loaders.dosesByPerson.load(personKeysOf(person)),

    // Same loader as `vaccinations`: asking for both costs one statement per batch, not two.
    vaccinationStatus: async (person: PersonRef, _: unknown, ctx: Context) =>
      vaccinationStatus(await ctx.loaders.dosesByPerson.load(personKeysOf(person))),
  },

  Vaccination: {
    __resolveReference: (ref: { id: string }, ctx: Context) => ctx.loaders.dose.load(ref.id),

    // `person` is the registry's (it follows the crosswalk and merges): it requires these.
    ...recordPersonFields,
  },
};

export type { Dose };
