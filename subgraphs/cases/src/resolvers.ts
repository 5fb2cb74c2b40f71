import { HubError, type SubgraphContext } from '@health-hub/subgraph-kit';
import { caseCodeProblem } from './case-code';
import type { Case } from './case-store';
import { CasesErrors } from './errors';
import type { CasesLoaders } from './loaders';

type Context = SubgraphContext<CasesLoaders>;

export const resolvers = {
  Query: {
    case: (_: unknown, args: { code: string }, ctx: Context) => {
      const code = args.code.trim();
      const problem = caseCodeProblem(code);
      if (problem) throw new HubError(CasesErrors.BAD_CASE_CODE, `Case code ${JSON.stringify(args.code)} ${problem}, e.g. BN123456.`);
      return ctx.loaders.case.load(code);
    },
  },

  Person: {
    __resolveReference: (ref: { id: string }) => ({ id: ref.id }),
    cases: (person: { id: string }, _: unknown, ctx: Context) => ctx.loaders.personCases.load(person.id),
  },

  Case: {
    __resolveReference: (ref: { code: string }, ctx: Context) => ctx.loaders.case.load(ref.code),
    person: (c: Case) => (c.personId ? { id: c.personId } : null),
    // Only the reference: the testing subgraph resolves the result through the gateway.
    confirmingTest: (c: Case) => (c.confirmingTestId ? { id: c.confirmingTestId } : null),
  },
};
