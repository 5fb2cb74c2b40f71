import type { Address, PersonUpsert } from '@health-hub/registry';
import type { MapResult } from '../sdk/connector';
import { instantFromVnDateTime, isoFromVnDate, registryEntrySchema, type RegistryFeedEntry } from './entry';

/** The `source` of every person the registry connector writes. */
export const REGISTRY_SOURCE = 'population-registry';

/** The entry's citizen ID when it has a string one, for the rejected table. */
export function entryKey(record: unknown): string | null {
  const id = (record as { soDinhDanh?: unknown } | null)?.soDinhDanh;
  return typeof id === 'string' ? id : null;
}

function address(kind: Address['kind'], a: RegistryFeedEntry['noiThuongTru']): Address {
  return { kind, provinceCode: a.maTinh, districtCode: a.maHuyen, wardCode: a.maXa, line: a.diaChiChiTiet };
}

/** Validates one change-feed entry and maps it to the registry store's upsert; `raw` is the entry as received. */
export function mapRegistryEntry(record: unknown): MapResult<PersonUpsert> {
  const parsed = registryEntrySchema.safeParse(record);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = issue.path.join('.');
    return { ok: false, reason: `"${field}" ${issue.message}`, field };
  }
  const e = parsed.data;
  return {
    ok: true,
    value: {
      citizenId: e.soDinhDanh,
      source: REGISTRY_SOURCE,
      sourceRecordId: e.soDinhDanh,
      familyName: e.ho,
      middleName: e.tenDem,
      givenName: e.ten,
      sex: e.gioiTinh === 'Nam' ? 'MALE' : 'FEMALE',
      birthDate: e.ngaySinh === null ? null : isoFromVnDate(e.ngaySinh),
      birthYear: e.namSinh,
      phone: e.soDienThoai,
      oldIds: e.soCMND === null ? [] : [{ kind: 'CMND', number: e.soCMND }],
      addresses: [address('PERMANENT', e.noiThuongTru), ...(e.noiOHienTai ? [address('CURRENT', e.noiOHienTai)] : [])],
      householdId: e.maHoGiaDinh,
      raw: record,
      sourceUpdatedAt: instantFromVnDateTime(e.thoiDiemCapNhat)!,
    },
  };
}
