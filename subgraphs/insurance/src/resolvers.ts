import { HubError, type SubgraphContext } from '@health-hub/subgraph-kit';
import { cardNumberProblem } from './card-number';
import type { HealthInsuranceCard } from './card-store';
import { InsuranceErrors } from './errors';
import type { InsuranceLoaders } from './loaders';
import { vietnamDate } from './local-date';

type Context = SubgraphContext<InsuranceLoaders>;

export const resolvers = {
  Query: {
    healthInsuranceCard: async (_: unknown, args: { cardNumber: string }, ctx: Context) => {
      // Printed cards group the characters with spaces; people type them in lower case too.
      const cardNumber = args.cardNumber.replace(/\s+/g, '').toUpperCase();
      const problem = cardNumberProblem(cardNumber);
      if (problem) {
        throw new HubError(InsuranceErrors.BAD_CARD_NUMBER, `Card number "${args.cardNumber}" ${problem}.`);
      }
      return ctx.loaders.card.load(cardNumber);
    },
  },

  Person: {
    __resolveReference: (ref: { id: string }) => ({ id: ref.id }),
    healthInsurance: (person: { id: string }, _: unknown, ctx: Context) => ctx.loaders.currentCard.load(person.id),
  },

  HealthInsuranceCard: {
    __resolveReference: (ref: { cardNumber: string }, ctx: Context) => ctx.loaders.card.load(ref.cardNumber),
    person: (card: HealthInsuranceCard) => (card.personId ? { id: card.personId } : null),
    validOn: (card: HealthInsuranceCard, args: { date?: string | null }) => {
      const day = args.date ?? vietnamDate();
      // yyyy-MM-dd strings order like the days they name.
      return card.validFrom <= day && day <= card.validTo;
    },
  },
};
