import { upsertCases, upsertDailyReportSubmissions, upsertQuarantineFacilities, upsertQuarantines } from '@health-hub/cases';
import type { InProcessHub } from '@health-hub/hub';
import type { Writer } from '@health-hub/subgraph-kit';
import { generateEpidemiology, type Population } from '@health-hub/simulators';

const ref = (citizenId: string) => ({ kind: 'CITIZEN_ID', citizenId });

/**
 * Writes a generated epidemic (cases with where the patient lives, facilities, quarantines and
 * the provinces' report submissions) into a hub's cases store, as the case-management
 * connector would; returns what was generated, latest version of each record only. `target` is an
 * in-process hub, or a connection to a hub's database (a hub run as processes).
 */
export async function seedEpidemic(target: InProcessHub | Writer, population: Population, period: { from: string; to: string }) {
  const epi = generateEpidemiology({ population, ...period, checkInsPerPersonDay: 0 });
  const cases = [...new Map(epi.cases.map((c) => [c.caseCode, c])).values()];
  const quarantines = [...new Map(epi.quarantines.map((q) => [q.id, q])).values()];
  const pg = 'subgraphs' in target ? target.subgraphs.cases.app.pg : target;
  await upsertCases(pg, cases.map((c) => ({
    source: 'case-management', sourceRecordId: c.caseCode, personId: c.truth.citizenId, personRef: ref(c.truth.citizenId), caseCode: c.caseCode,
    confirmedAt: c.confirmedAt, status: c.status, treatmentPlace: c.treatmentPlace, provinceCode: c.provinceCode, confirmingTestId: c.confirmingTestId,
    districtCode: c.districtCode, wardCode: c.wardCode, raw: {}, sourceUpdatedAt: c.sourceUpdatedAt,
  })));
  await upsertQuarantineFacilities(pg, epi.facilities.map((f) => ({ source: 'case-management', sourceRecordId: f.code, code: f.code, name: f.name, provinceCode: f.provinceCode, capacity: f.capacity, raw: {}, sourceUpdatedAt: '2021-01-01T00:00:00Z' })));
  await upsertQuarantines(pg, quarantines.map((q) => ({
    source: 'case-management', sourceRecordId: q.id, personId: q.truth.citizenId, personRef: ref(q.truth.citizenId), kind: q.kind, facilityCode: q.facilityCode,
    startsAt: q.startsAt, endsAt: q.endsAt, status: q.status, provinceCode: q.provinceCode, raw: {}, sourceUpdatedAt: q.updatedAt,
  })));
  await upsertDailyReportSubmissions(pg, epi.submissions.map((s) => ({
    source: 'case-management', sourceRecordId: `${s.provinceCode}:${s.date}`, provinceCode: s.provinceCode, reportDate: s.date, submittedAt: s.submittedAt, raw: {}, sourceUpdatedAt: s.submittedAt,
  })));
  return { ...epi, cases, quarantines };
}

/** The local day (Asia/Ho_Chi_Minh) of an instant. */
export const localDate = (iso: string) => new Date(Date.parse(iso) + 7 * 3_600_000).toISOString().slice(0, 10);
