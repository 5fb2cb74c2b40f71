import { mapCitizenAppEvent, mapExportLine } from '../src';

const checkIn = (person: Record<string, unknown>) => ({
  soThuTu: 7, loai: 'QUET_QR', thoiDiem: '2021-08-03T09:15:00+07:00', maQuet: 'CI7', maDiem: 'QR790001', maTinh: '79',
  gioVao: '2021-08-03T09:15:00+07:00', gioRa: null, ...person,
});

describe('people named without the citizen ID by the citizen app and the provinces', () => {
  it('keeps the reference an older app gave, unlinked, the first of old ID, insurance code, name with birth and phone', () => {
    expect(mapCitizenAppEvent(checkIn({ soCCCD: '079187000001' }))).toMatchObject({ ok: true, value: { value: { personId: '079187000001', personRef: { kind: 'CITIZEN_ID', citizenId: '079187000001' } } } });
    expect(mapCitizenAppEvent(checkIn({ soCCCD: null, soCMND: '025123456', hoTen: 'Lê Văn Tám', namSinh: 1987 }))).toMatchObject({
      ok: true, value: { kind: 'checkIn', value: { personId: null, personRef: { kind: 'OLD_ID', oldId: '025123456' } } },
    });
    expect(mapCitizenAppEvent(checkIn({ soCCCD: null, maSoBHXH: '7912345678' }))).toMatchObject({ ok: true, value: { value: { personId: null, personRef: { kind: 'INSURANCE', socialInsuranceCode: '7912345678' } } } });
    expect(mapCitizenAppEvent(checkIn({ soCCCD: null, hoTen: 'LE VAN TAM', ngaySinh: '1987-02-01', soDienThoai: '01626123456' }))).toMatchObject({
      ok: true, value: { value: { personId: null, personRef: { kind: 'DEMOGRAPHIC', fullName: 'LE VAN TAM', birthDate: '1987-02-01', birthYear: 1987, phone: '01626123456' } } },
    });
    expect(mapCitizenAppEvent(checkIn({ hoTen: 'Lê Văn Tám', namSinh: 1987 }))).toMatchObject({
      ok: true, value: { value: { personRef: { kind: 'DEMOGRAPHIC', birthDate: null, birthYear: 1987, phone: null } } },
    });
  });

  it('refuses a check-in naming nobody, or naming someone with a malformed identifier, with the field', () => {
    expect(mapCitizenAppEvent(checkIn({ soCCCD: null, hoTen: 'Lê Văn Tám' }))).toMatchObject({ ok: false, field: 'soCCCD', reason: expect.stringMatching(/names no person/) });
    expect(mapCitizenAppEvent(checkIn({}))).toMatchObject({ ok: false, field: 'soCCCD' });
    expect(mapCitizenAppEvent(checkIn({ soCCCD: null, soCMND: '12345' }))).toMatchObject({ ok: false, field: 'soCMND' });
    expect(mapCitizenAppEvent(checkIn({ soCCCD: null, hoTen: 'Lê Văn Tám', ngaySinh: '1987-02-30' }))).toMatchObject({ ok: false, field: 'ngaySinh' });
  });

  it('maps an export line the same way; a case naming nobody is kept with its line as reference, a quarantine is refused', () => {
    const line = (record: Record<string, unknown>) => ({ file: '2021-08-03-79.jsonl', line: 1, record });
    const quarantine = {
      loai: 'CACH_LY', ma: 'CL1', hinhThuc: 'TAI_NHA', maCoSo: null, batDau: '2021-08-03T09:00:00+07:00', ketThuc: null, tinhTrang: 'DANG_CACH_LY',
      maTinh: '79', capNhatLuc: '2021-08-03T09:00:00+07:00',
    };
    expect(mapExportLine(line({ ...quarantine, soCCCD: null, hoTen: 'Lê Văn Tám', ngaySinh: '1987-02-01', soDienThoai: '0912345678' }))).toMatchObject({
      ok: true, value: { kind: 'quarantine', value: { personId: null, personRef: { kind: 'DEMOGRAPHIC', fullName: 'Lê Văn Tám' } } },
    });
    expect(mapExportLine(line({ ...quarantine, soCCCD: null }))).toMatchObject({ ok: false, field: 'soCCCD' });
    const kase = {
      loai: 'CA_BENH', maBenhNhan: 'BN1', soCCCD: null, thoiDiemXacNhan: '2021-08-03T09:00:00+07:00', tinhTrang: 'UNDER_TREATMENT',
      noiDieuTri: 'Bệnh viện', maTinh: '79', maXetNghiem: null, capNhatLuc: '2021-08-03T09:00:00+07:00',
    };
    expect(mapExportLine(line(kase))).toMatchObject({ ok: true, value: { kind: 'case', value: { personId: null, personRef: kase } } });
    expect(mapExportLine(line({ ...kase, soCMND: '025123456' }))).toMatchObject({ ok: true, value: { value: { personRef: { kind: 'OLD_ID', oldId: '025123456' } } } });
  });
});
