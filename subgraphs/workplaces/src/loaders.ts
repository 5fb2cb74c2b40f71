import { rowLoader, rowsLoader, type Pool } from '@health-hub/subgraph-kit';
import DataLoader from 'dataloader';
import { areaWorkplaces, type AreaKind, type AreaWorkplaces } from './area-counts';
import { assessmentsByTaxCodes, type Assessment } from './assessment-store';
import { listZonesWorkplaces, type WorkplacePage } from './lists';
import { workplacesByTaxCodes, zonesByCodes } from './workplace-store';
import { zoneSummaries, type ZoneSummary } from './zone-summary';

/** The workplaces subgraph's per-request loaders: one statement per batch each. */
export function createLoaders(pool: Pool) {
  const summaries = new Map<string, DataLoader<string, ZoneSummary>>();
  const zonePages = new Map<string, DataLoader<string, WorkplacePage>>();
  const areaCounts = new Map<string, DataLoader<string, AreaWorkplaces>>();
  const assessmentPages = new Map<number, DataLoader<string, Assessment[]>>();
  return {
    /** A workplace by tax code. */
    workplace: rowLoader((codes: readonly string[]) => workplacesByTaxCodes(pool, codes), (w) => w.taxCode),
    /** A workplace's `first` newest assessments, newest first, one loader per page size: the workplaces of one query share it. */
    assessments(first: number): DataLoader<string, Assessment[]> {
      let loader = assessmentPages.get(first);
      if (!loader) {
        loader = rowsLoader((codes: readonly string[]) => assessmentsByTaxCodes(pool, codes, first), (a) => a.taxCode);
        assessmentPages.set(first, loader);
      }
      return loader;
    },
    /** A zone by code. */
    zone: rowLoader((codes: readonly string[]) => zonesByCodes(pool, codes), (z) => z.code),
    /** Zone summaries, one loader per (day, allowed age): the zones of one query share them. */
    zoneSummary(asOf: string, maxAgeDays: number): DataLoader<string, ZoneSummary> {
      const key = `${asOf}/${maxAgeDays}`;
      let loader = summaries.get(key);
      if (!loader) {
        loader = new DataLoader(async (codes: readonly string[]) => {
          const byZone = new Map((await zoneSummaries(pool, codes, asOf, maxAgeDays)).map((s) => [s.zoneCode, s]));
          return codes.map((c) => byZone.get(c)!);
        });
        summaries.set(key, loader);
      }
      return loader;
    },
    /** A page of each zone's workplaces, one loader per page (level, size, cursor): the zones of one query share it. */
    zoneWorkplaces(riskLevel: string | null, first: number, after: string | null): DataLoader<string, WorkplacePage> {
      const key = JSON.stringify([riskLevel, first, after]);
      let loader = zonePages.get(key);
      if (!loader) {
        loader = new DataLoader((codes: readonly string[]) => listZonesWorkplaces(pool, codes, riskLevel, first, after));
        zonePages.set(key, loader);
      }
      return loader;
    },
    /** Areas' workplaces by risk level on a day, one loader per (kind of area, day): the risk map's areas of one query share it. */
    areaWorkplaces(kind: AreaKind, day: string): DataLoader<string, AreaWorkplaces> {
      const key = `${kind}/${day}`;
      let loader = areaCounts.get(key);
      if (!loader) {
        loader = new DataLoader((codes: readonly string[]) => areaWorkplaces(pool, kind, codes, day));
        areaCounts.set(key, loader);
      }
      return loader;
    },
  };
}

export type WorkplacesLoaders = ReturnType<typeof createLoaders>;
