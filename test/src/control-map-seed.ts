import { upsertCheckIns, upsertCheckpoints, upsertContacts, upsertHomeIsolations, upsertLockdownAreas, upsertVenues } from '@health-hub/cases';
import type { Epidemiology, LockdownRecord } from '@health-hub/simulators';
import type { Writer } from '@health-hub/subgraph-kit';

const ref = (citizenId: string) => ({ kind: 'CITIZEN_ID', citizenId });
const latest = <T, K>(records: T[], key: (r: T) => K) => [...new Map(records.map((r) => [key(r), r])).values()];

/**
 * Writes the generated records the control map's layers read besides cases, facilities and
 * quarantines (`seedEpidemic` writes those): F1 contacts, checkpoints, lockdowns (with `lockdowns`
 * added), venues and check-ins, isolations at home; latest version of each, as the connectors would.
 */
export async function seedControlMapLayers(pg: Writer, epi: Epidemiology, lockdowns: LockdownRecord[] = []): Promise<void> {
  const SOURCE = { raw: {}, source: 'case-management' };
  await upsertContacts(pg, latest(epi.contacts, (k) => k.id).map((k) => ({
    ...SOURCE, sourceRecordId: k.id, personId: k.truth.citizenId, personRef: ref(k.truth.citizenId), level: 'F1' as const, exposedToCase: k.caseCode, exposedToContact: null,
    exposedAt: k.exposedAt, exposure: k.exposure, venueCode: null, place: null, status: k.status, provinceCode: k.provinceCode, sourceUpdatedAt: k.updatedAt,
  })));
  await upsertCheckpoints(pg, epi.checkpoints.map((c) => ({ ...SOURCE, sourceRecordId: c.code, code: c.code, name: c.name, provinceCode: c.provinceCode, openedAt: c.openedAt, closedAt: c.closedAt, sourceUpdatedAt: c.updatedAt })));
  await upsertLockdownAreas(pg, [...epi.lockdowns, ...lockdowns].map((l) => ({
    ...SOURCE, sourceRecordId: l.code, code: l.code, name: l.name, provinceCode: l.provinceCode, wardCodes: l.wardCodes, startsAt: l.startsAt, endsAt: l.endsAt, sourceUpdatedAt: l.updatedAt,
  })));
  await upsertVenues(pg, epi.venues.map((v) => ({
    source: 'citizen-app', raw: {}, sourceRecordId: v.code, code: v.code, name: v.name, kind: v.kind, provinceCode: v.provinceCode, wardCode: v.wardCode, sourceUpdatedAt: v.registeredAt,
  })));
  for (let i = 0; i < epi.checkIns.length; i += 5_000) {
    await upsertCheckIns(pg, epi.checkIns.slice(i, i + 5_000).map((c) => ({
      source: 'citizen-app', raw: {}, sourceRecordId: c.id, personId: c.truth.citizenId, personRef: ref(c.truth.citizenId), venueCode: c.venueCode,
      checkedInAt: c.checkedInAt, checkedOutAt: c.checkedOutAt, provinceCode: c.provinceCode, sourceUpdatedAt: c.checkedInAt,
    })));
  }
  await upsertHomeIsolations(pg, epi.homeIsolations.map((h) => ({
    source: 'ward-health-station', raw: {}, sourceRecordId: h.id, personId: h.citizenId, personRef: ref(h.citizenId), kind: h.kind, caseCode: h.caseCode,
    contactId: h.contactCode ? `case-management:${h.contactCode}` : null, provinceCode: h.provinceCode, wardCode: h.wardCode, startsAt: h.startsAt,
    fullyVaccinated: h.fullyVaccinated, day7Negative: h.day7Negative, releasedAt: null, sourceUpdatedAt: h.startsAt,
  })));
}
