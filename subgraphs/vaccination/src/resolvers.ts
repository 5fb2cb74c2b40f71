import type { SubgraphContext } from '@health-hub/subgraph-kit';
import { coverageByDay, type CoverageRange, type Dose } from './dose-store';
import type { VaccinationLoaders } from './loaders';
import { vaccinationStatus } from './vaccines';

type Context = SubgraphContext<VaccinationLoaders>;

export const resolvers = {
  Query: {
    vaccination: (_: unknown, args: { id: string }, ctx: Context) => ctx.loaders.dose.load(args.id),

    vaccinationCoverage: (_: unknown, args: CoverageRange, ctx: Context) => coverageByDay(ctx.pool, args),
  },

  Person: {
    // The registry owns the person: this subgraph only adds fields to a citizen ID.
    __resolveReference: (ref: { id: string }) => ({ id: ref.id }),

    vaccinations: (person: { id: string }, _: unknown, ctx: Context) => ctx.loaders.dosesByPerson.load(person.id),

    // Same loader as `vaccinations`: asking for both costs one statement per batch, not two.
    vaccinationStatus: async (person: { id: string }, _: unknown, ctx: Context) =>
      vaccinationStatus(await ctx.loaders.dosesByPerson.load(person.id)),
  },

  Vaccination: {
    __resolveReference: (ref: { id: string }, ctx: Context) => ctx.loaders.dose.load(ref.id),

    person: (dose: Dose) => (dose.personId ? { id: dose.personId } : null),
  },
};

export type { Dose };
