import { HubError, personKeysOf, recordPersonFields, type SubgraphContext } from '@health-hub/subgraph-kit';
import { caseCodeProblem } from './case-code';
import type { Case } from './case-store';
import { CasesErrors } from './errors';
import type { CasesLoaders } from './loaders';
import { scopedFilter, visibleProvince } from './province-scope';
import { listRecords, type ListFilter } from './store/list';
import { LISTS, type ListName } from './store/records';

type Context = SubgraphContext<CasesLoaders>;
type Row = Record<string, unknown>;
/** A `Person` representation: the citizen ID, and the registry's crosswalk its `@requires` brought. */
type PersonRef = { id: string; sourceReferences?: unknown; mergedIds?: unknown };

/** Largest page of a list, and of a person's check-ins. */
export const MAX_PAGE = 500;

/** `first` when it is a page size from 1 to MAX_PAGE; else refused with HUB_CASES_BAD_ARGUMENT naming the list. */
export function pageSize(name: string, first: number): number {
  if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE) {
    throw new HubError(CasesErrors.BAD_ARGUMENT, `${name}: first must be between 1 and ${MAX_PAGE}; got ${first}.`, { details: { max: MAX_PAGE } });
  }
  return first;
}

/**
 * A resolver of one of the graph's cursor-paginated lists. Lists of records about people are
 * `provinceScoped`: a province-limited caller gets its own province's (see `scopedFilter`).
 */
function list(name: ListName, provinceScoped = false) {
  return (_: unknown, args: { filter?: ListFilter | null; first: number; after?: string | null }, ctx: Context) =>
    listRecords(ctx.pool, LISTS[name], provinceScoped ? scopedFilter(ctx, name, args.filter) : args.filter, pageSize(name, args.first), args.after);
}

const person = (key: string) => (r: Row) => (r[key] ? { id: r[key] } : null);

export const resolvers = {
  Query: {
    case: async (_: unknown, args: { code: string }, ctx: Context) => {
      const code = args.code.trim();
      const problem = caseCodeProblem(code);
      if (problem) throw new HubError(CasesErrors.BAD_CASE_CODE, `Case code ${JSON.stringify(args.code)} ${problem}, e.g. BN123456.`);
      // Another province's case is answered as an unknown one would be: nothing about it leaks.
      const found = await ctx.loaders.case.load(code);
      return found && visibleProvince(ctx, found.provinceCode) ? found : null;
    },
    cases: list('cases', true),
    contacts: list('contacts', true),
    quarantines: list('quarantines', true),
    checkIns: list('checkIns', true),
    medicalDeclarations: list('medicalDeclarations', true),
    citizenReports: list('citizenReports', true),
    lockdownAreas: list('lockdownAreas'),
    venues: list('venues'),
    quarantineFacilities: list('quarantineFacilities'),
    checkpoints: list('checkpoints'),
    venue: (_: unknown, args: { code: string }, ctx: Context) => ctx.loaders.byCode.venue.load(args.code.trim()),
  },

  Person: {
    // The registry owns the person: this subgraph adds records to a citizen ID. The
    // representation carries the registry's crosswalk (`@requires`): records the sources sent
    // without the citizen ID, and those of persons merged into this one, follow it.
    __resolveReference: (ref: PersonRef) => ref,
    cases: (p: PersonRef, _: unknown, ctx: Context) => ctx.loaders.personCases.load(personKeysOf(p)),
    contacts: (p: PersonRef, _: unknown, ctx: Context) => ctx.loaders.ofPerson.contacts.load(personKeysOf(p)),
    quarantines: (p: PersonRef, _: unknown, ctx: Context) => ctx.loaders.ofPerson.quarantines.load(personKeysOf(p)),
    medicalDeclarations: (p: PersonRef, _: unknown, ctx: Context) => ctx.loaders.ofPerson.medicalDeclarations.load(personKeysOf(p)),
    checkIns: (p: PersonRef, args: { last: number }, ctx: Context) =>
      ctx.loaders.personCheckIns(pageSize('Person.checkIns', args.last)).load(personKeysOf(p)),
  },

  Case: {
    __resolveReference: (ref: { code: string }, ctx: Context) => ctx.loaders.case.load(ref.code),
    // `person` of each record is the registry's (it follows the crosswalk and merges): it requires these.
    ...recordPersonFields,
    // Only the reference: the testing subgraph resolves the result through the gateway.
    confirmingTest: (c: Case) => (c.confirmingTestId ? { id: c.confirmingTestId } : null),
    contacts: (c: Case, _: unknown, ctx: Context) => ctx.loaders.caseContacts.load(c.code),
    // Only the reference: the workplaces subgraph resolves the workplace (null for another province's
    // partner), but only when a field it owns is selected; taxCode and the counts are answered here.
    workplace: (c: Case) => (c.employerTaxCode ? { taxCode: c.employerTaxCode } : null),
  },

  Workplace: {
    __resolveReference: (ref: { taxCode: string }) => ({ taxCode: ref.taxCode }),
    confirmedCases: async (w: { taxCode: string }, _: unknown, ctx: Context) => (await ctx.loaders.workplaceCounts.load(w.taxCode))?.confirmedCases ?? 0,
    f1Contacts: async (w: { taxCode: string }, _: unknown, ctx: Context) => (await ctx.loaders.workplaceCounts.load(w.taxCode))?.f1Contacts ?? 0,
  },

  Contact: {
    __resolveReference: (ref: { id: string }, ctx: Context) => ctx.loaders.byId.contact.load(ref.id),
    ...recordPersonFields,
    exposedToCase: (r: Row, _: unknown, ctx: Context) => (r.exposedToCase ? ctx.loaders.case.load(r.exposedToCase as string) : null),
    exposedToContact: (r: Row, _: unknown, ctx: Context) => (r.exposedToContact ? ctx.loaders.byId.contact.load(r.exposedToContact as string) : null),
    venue: (r: Row, _: unknown, ctx: Context) => (r.venueCode ? ctx.loaders.byCode.venue.load(r.venueCode as string) : null),
  },
  Quarantine: {
    __resolveReference: (ref: { id: string }, ctx: Context) => ctx.loaders.byId.quarantine.load(ref.id),
    ...recordPersonFields,
    facility: (r: Row, _: unknown, ctx: Context) => (r.facilityCode ? ctx.loaders.byCode.quarantineFacility.load(r.facilityCode as string) : null),
  },
  CheckIn: {
    __resolveReference: (ref: { id: string }, ctx: Context) => ctx.loaders.byId.checkIn.load(ref.id),
    ...recordPersonFields,
    venue: (r: Row, _: unknown, ctx: Context) => ctx.loaders.byCode.venue.load(r.venueCode as string),
  },
  MedicalDeclaration: {
    __resolveReference: (ref: { id: string }, ctx: Context) => ctx.loaders.byId.medicalDeclaration.load(ref.id),
    ...recordPersonFields,
  },
  CitizenReport: {
    __resolveReference: (ref: { id: string }, ctx: Context) => ctx.loaders.byId.citizenReport.load(ref.id),
    subject: person('subjectPersonId'),
  },
  Venue: { __resolveReference: (ref: { code: string }, ctx: Context) => ctx.loaders.byCode.venue.load(ref.code) },
  QuarantineFacility: { __resolveReference: (ref: { code: string }, ctx: Context) => ctx.loaders.byCode.quarantineFacility.load(ref.code) },
  Checkpoint: { __resolveReference: (ref: { code: string }, ctx: Context) => ctx.loaders.byCode.checkpoint.load(ref.code) },
  LockdownArea: { __resolveReference: (ref: { code: string }, ctx: Context) => ctx.loaders.byCode.lockdownArea.load(ref.code) },
};
