import type {
  CheckInUpsert, CheckpointUpsert, CitizenReportUpsert, ContactUpsert, LockdownAreaUpsert, MedicalDeclarationUpsert,
  QuarantineFacilityUpsert, QuarantineUpsert, VenueUpsert,
} from '../src';

/** Records of each kind for store tests, with defaults a test overrides. */
const base = (id: string) => ({ source: 'case-management-79', sourceRecordId: id, raw: { id }, sourceUpdatedAt: '2021-07-20T00:00:00.000Z' });
const personal = (id: string, personId: string | null) => ({ ...base(id), personId, personRef: personId ? { cccd: personId } : { hoTen: 'Lê Văn Tám' } });

export const venue = (code: string, o: Partial<VenueUpsert> = {}): VenueUpsert => ({
  ...base(code), source: 'citizen-app', code, name: `Chợ ${code}`, kind: 'MARKET', provinceCode: '79', wardCode: '26734', ...o,
});
export const checkIn = (id: string, personId: string | null, venueCode: string, at: string, o: Partial<CheckInUpsert> = {}): CheckInUpsert => ({
  ...personal(id, personId), source: 'citizen-app', venueCode, checkedInAt: at, checkedOutAt: null, provinceCode: '79', ...o,
});
export const declaration = (id: string, personId: string | null, o: Partial<MedicalDeclarationUpsert> = {}): MedicalDeclarationUpsert => ({
  ...personal(id, personId), source: 'citizen-app', kind: 'DOMESTIC', declaredAt: '2021-07-10T08:00:00+07:00', provinceCode: '79',
  symptoms: ['sốt', 'ho'], travelledFrom: null, borderGate: null, ...o,
});
export const contact = (id: string, personId: string | null, o: Partial<ContactUpsert> = {}): ContactUpsert => ({
  ...personal(id, personId), level: 'F1', exposedToCase: 'BN100001', exposedToContact: null, exposedAt: '2021-07-12T10:00:00+07:00',
  exposure: 'HOUSEHOLD', venueCode: null, place: null, status: 'MONITORING', provinceCode: '79', ...o,
});
export const facility = (code: string, o: Partial<QuarantineFacilityUpsert> = {}): QuarantineFacilityUpsert => ({
  ...base(code), code, name: `Khu cách ly ${code}`, provinceCode: '79', capacity: 500, ...o,
});
export const quarantine = (id: string, personId: string | null, o: Partial<QuarantineUpsert> = {}): QuarantineUpsert => ({
  ...personal(id, personId), kind: 'CENTRALISED_FACILITY', facilityCode: 'KCL-01', startsAt: '2021-07-13T00:00:00+07:00',
  endsAt: '2021-07-27T00:00:00+07:00', status: 'ONGOING', provinceCode: '79', ...o,
});
export const checkpoint = (code: string, o: Partial<CheckpointUpsert> = {}): CheckpointUpsert => ({
  ...base(code), code, name: `Chốt ${code}`, provinceCode: '79', openedAt: '2021-07-09T00:00:00+07:00', closedAt: null, ...o,
});
export const lockdown = (code: string, o: Partial<LockdownAreaUpsert> = {}): LockdownAreaUpsert => ({
  ...base(code), code, name: `Phong tỏa ${code}`, provinceCode: '79', wardCodes: ['26734', '26737'], startsAt: '2021-07-09T00:00:00+07:00', endsAt: null, ...o,
});
export const report = (id: string, o: Partial<CitizenReportUpsert> = {}): CitizenReportUpsert => ({
  ...base(id), source: 'citizen-reports', kind: 'QUARANTINE_BREACH', reportedAt: '2021-07-15T20:00:00+07:00', provinceCode: '79',
  wardCode: '26734', subjectPersonId: null, description: 'Người cách ly ra khỏi nhà', status: 'RECEIVED', ...o,
});
