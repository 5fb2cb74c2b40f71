import { HubError, type SubgraphContext } from '@health-hub/subgraph-kit';
import { controlMapStore, ACTIVE_DAYS, type QuarantinedRow } from './control-map/layers';
import { CasesErrors } from './errors';
import type { CasesLoaders } from './loaders';

type Context = SubgraphContext<CasesLoaders>;

/** The longest window of the places-visited layer, in days. */
export const MAX_VISIT_WINDOW_DAYS = 31;
const DAY_MS = 86_400_000;

/** One province's map on one day; the people-in-quarantine read is shared by the layers that need it. */
interface ControlMap {
  provinceCode: string;
  date: string;
  quarantined?: Promise<QuarantinedRow[]>;
}

const addDays = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);

function quarantined(map: ControlMap, ctx: Context): Promise<QuarantinedRow[]> {
  map.quarantined ??= controlMapStore.quarantined(ctx.pool, map.provinceCode, map.date);
  return map.quarantined;
}

/**
 * The epidemic control map (`Query.controlMap`): one province's layers on a local day. A
 * province-limited partner may ask for its own province only; another is refused with
 * HUB_CASES_OUTSIDE_PROVINCE (an error, so a mistaken request is not read as an empty map).
 */
export const controlMapResolvers = {
  Query: {
    controlMap: (_: unknown, args: { provinceCode: string; date: string }, ctx: Context): ControlMap => {
      const own = ctx.caller.provinceCode;
      if (own && own !== args.provinceCode) {
        throw new HubError(CasesErrors.OUTSIDE_PROVINCE, `controlMap: this partner may read province ${own} only; it asked for ${args.provinceCode}.`, {
          details: { provinceCode: args.provinceCode, allowed: own },
        });
      }
      return { provinceCode: args.provinceCode, date: args.date };
    },
  },
  ControlMap: {
    facilities: async (map: ControlMap, _: unknown, ctx: Context) => {
      const [facilities, people] = await Promise.all([controlMapStore.facilities(ctx.pool, map.provinceCode), quarantined(map, ctx)]);
      const occupied = new Map(people.filter((r) => r.kind === 'CENTRALISED_FACILITY').map((r) => [r.facilityCode, r.occupied]));
      return facilities.map((facility) => ({ facility, occupied: occupied.get(facility.code as string) ?? 0 }));
    },
    medicalIsolation: async (map: ControlMap, _: unknown, ctx: Context) =>
      (await quarantined(map, ctx)).filter((r) => r.kind === 'MEDICAL_ISOLATION').reduce((n, r) => n + r.occupied, 0),
    checkpoints: (map: ControlMap, _: unknown, ctx: Context) => controlMapStore.checkpoints(ctx.pool, map.provinceCode, map.date),
    lockdownAreas: (map: ControlMap, _: unknown, ctx: Context) => controlMapStore.lockdownAreas(ctx.pool, map.provinceCode, map.date),
    placesVisited: async (map: ControlMap, args: { from?: string | null; to?: string | null }, ctx: Context) => {
      const to = args.to ?? map.date;
      const from = args.from ?? addDays(to, 1 - ACTIVE_DAYS);
      const days = (Date.parse(to) - Date.parse(from)) / DAY_MS + 1;
      if (!(days >= 1 && days <= MAX_VISIT_WINDOW_DAYS)) {
        throw new HubError(CasesErrors.BAD_ARGUMENT, `placesVisited: from must be on or before to, at most ${MAX_VISIT_WINDOW_DAYS} days in all; got ${from} to ${to}.`, {
          details: { field: 'from', max: MAX_VISIT_WINDOW_DAYS },
        });
      }
      const rows = await controlMapStore.placesVisited(ctx.pool, map.provinceCode, from, to);
      return rows.map((r) => ({ ...r, venueCode: undefined, venue: { code: r.venueCode } }));
    },
    f1Contacts: (map: ControlMap, _: unknown, ctx: Context) => controlMapStore.f1ByArea(ctx.pool, map.provinceCode, map.date),
    patients: (map: ControlMap, _: unknown, ctx: Context) => controlMapStore.patientsByArea(ctx.pool, map.provinceCode, map.date),
    homeIsolations: (map: ControlMap, _: unknown, ctx: Context) => controlMapStore.homeIsolationsByWard(ctx.pool, map.provinceCode, map.date),
  },
  VisitedPlace: {
    // The venue by code through the request's loader: one statement for every place of the layer.
    venue: (p: { venue: { code: string } }, _: unknown, ctx: Context) => ctx.loaders.byCode.venue.load(p.venue.code),
  },
};
