import type { Lang } from '../../../i18n';

/** The layers a partner can switch on and off; the risk levels are always drawn. */
export type LayerName = 'facilities' | 'checkpoints' | 'placesVisited' | 'lockdowns' | 'f1Contacts' | 'patients' | 'homeIsolations' | 'workplaces';
export const LAYERS: readonly LayerName[] = ['facilities', 'checkpoints', 'placesVisited', 'lockdowns', 'f1Contacts', 'patients', 'homeIsolations', 'workplaces'];

const vi = {
  heading: (province: string, day: string) => `Bản đồ kiểm soát dịch bệnh — ${province} — ${day}`,
  intro: 'Cấp độ dịch theo tỉnh, quận huyện và phường xã, cùng các lớp dữ liệu kiểm soát dịch. Chỉ có số đếm theo địa bàn: không có tên, số định danh hay địa chỉ.',
  province: 'Tỉnh, thành phố', day: 'Ngày', visitedFrom: 'Nơi F0 đến: từ ngày', visitedTo: 'đến ngày',
  layers: 'Lớp bản đồ',
  layer: {
    facilities: 'Khu cách ly tập trung và cách ly y tế', checkpoints: 'Chốt kiểm soát', placesVisited: 'Nơi F0 đã đến', lockdowns: 'Khu vực phong tỏa',
    f1Contacts: 'Số F1 theo địa bàn', patients: 'Nơi ở của người bệnh (theo phường, xã)', homeIsolations: 'Cách ly, điều trị tại nhà theo phường, xã', workplaces: 'Cơ sở sản xuất, kinh doanh',
  } as Record<LayerName, string>,
  provinceMap: 'Cấp độ dịch theo tỉnh (mỗi ô một tỉnh, thành phố)',
  provinceMapNote: 'Chưa có ranh giới hành chính được cấp phép mở: bản đồ tỉnh là lưới ô, quận huyện và phường xã là bảng xếp hạng.',
  allDistricts: 'Các quận, huyện', district: 'Quận, huyện', ward: 'Phường, xã', area: 'Địa bàn', level: 'Cấp độ', cases7: 'Ca mắc 7 ngày', per100k: 'Trên 100.000 dân',
  coverage: 'Tiêm đủ liều', f1: 'F1', patients: 'Người bệnh (14 ngày)', homeTreatment: 'F0 tại nhà', homeQuarantine: 'F1 tại nhà', lockdown: 'Phong tỏa', workplaces: 'Cơ sở SXKD',
  inLockdown: 'Đang phong tỏa', ranking: (what: string) => `${what} xếp theo số ca trên 100.000 dân`,
  back: 'Quay lại', open: (area: string) => `Xem ${area}`, wardDetail: (ward: string) => `Phường, xã ${ward}`,
  wardIsolations: 'Danh sách cách ly, điều trị tại nhà đang mở', facilityQuarantines: (name: string) => `Người cách ly tại ${name}`,
  facility: 'Khu cách ly', capacity: 'Số giường', occupied: 'Đang cách ly', occupancy: 'Công suất', medicalIsolation: (n: string) => `Cách ly y tế (không ghi cơ sở): ${n} người`,
  checkpoint: 'Chốt', openedAt: 'Mở từ', closedAt: 'Đóng lúc', venue: 'Địa điểm', visits: 'Lượt check-in', casesAt: 'Số F0', firstVisit: 'Lần đầu', lastVisit: 'Lần cuối',
  lockdownArea: 'Khu vực', wards: 'Phường, xã', startsAt: 'Bắt đầu', endsAt: 'Kết thúc', kind: 'Hình thức', status: 'Tình trạng',
  lastReport: 'Báo cáo gần nhất', flags: 'Cần theo dõi', due: 'Chưa báo cáo hôm nay', overdue: 'Quá hạn báo cáo', alerted: 'Chỉ số bất thường',
  kinds: { HOME_TREATMENT: 'F0 điều trị tại nhà', HOME_QUARANTINE: 'F1 cách ly tại nhà', CENTRALISED_FACILITY: 'Tập trung', MEDICAL_ISOLATION: 'Cách ly y tế', HOME: 'Tại nhà' } as Record<string, string>,
  statuses: { ONGOING: 'Đang cách ly', RELEASED: 'Đã kết thúc', TRANSFERRED: 'Chuyển đi' } as Record<string, string>,
  total: (n: string, unlocated: string) => `Tổng ${n} (chưa rõ địa bàn: ${unlocated})`,
  none: 'Không có', loading: 'Đang tải bản đồ…', failed: 'Không tải được bản đồ', choose: 'Chọn để xem danh sách',
};

const en: typeof vi = {
  heading: (province, day) => `Epidemic control map — ${province} — ${day}`,
  intro: 'Risk levels by province, district and ward, with the control layers. Counts by area only: no name, identifier or address.',
  province: 'Province', day: 'Day', visitedFrom: 'Places F0 visited: from', visitedTo: 'to',
  layers: 'Map layers',
  layer: {
    facilities: 'Quarantine and medical isolation facilities', checkpoints: 'Checkpoints', placesVisited: 'Places F0 visited', lockdowns: 'Lockdown areas',
    f1Contacts: 'F1 counts by locality', patients: "Patients' home areas (by ward)", homeIsolations: 'Isolation and treatment at home by ward', workplaces: 'Workplaces',
  },
  provinceMap: 'Risk level by province (one tile a province)',
  provinceMapNote: 'No openly licensed administrative boundaries could be had: provinces are a tile grid, districts and wards a ranked table.',
  allDistricts: 'Districts', district: 'District', ward: 'Ward', area: 'Area', level: 'Level', cases7: 'Cases, 7 days', per100k: 'Per 100,000',
  coverage: 'Fully vaccinated', f1: 'F1', patients: 'Patients (14 days)', homeTreatment: 'F0 at home', homeQuarantine: 'F1 at home', lockdown: 'Lockdown', workplaces: 'Workplaces',
  inLockdown: 'In lockdown', ranking: (what) => `${what} ranked by cases per 100,000`,
  back: 'Back', open: (area) => `Open ${area}`, wardDetail: (ward) => `Ward ${ward}`,
  wardIsolations: 'Open isolations at home', facilityQuarantines: (name) => `People quarantined at ${name}`,
  facility: 'Facility', capacity: 'Beds', occupied: 'In quarantine', occupancy: 'Occupancy', medicalIsolation: (n) => `Medical isolation (no facility named): ${n} people`,
  checkpoint: 'Checkpoint', openedAt: 'Opened', closedAt: 'Closed', venue: 'Place', visits: 'Check-ins', casesAt: 'F0s', firstVisit: 'First', lastVisit: 'Last',
  lockdownArea: 'Area', wards: 'Wards', startsAt: 'Starts', endsAt: 'Ends', kind: 'Kind', status: 'Status',
  lastReport: 'Last report', flags: 'Needs attention', due: 'No report today', overdue: 'Report overdue', alerted: 'Readings alerted',
  kinds: { HOME_TREATMENT: 'F0 treated at home', HOME_QUARANTINE: 'F1 quarantined at home', CENTRALISED_FACILITY: 'Facility', MEDICAL_ISOLATION: 'Medical isolation', HOME: 'Home' },
  statuses: { ONGOING: 'Ongoing', RELEASED: 'Released', TRANSFERRED: 'Transferred' },
  total: (n, unlocated) => `Total ${n} (area not known: ${unlocated})`,
  none: 'None', loading: 'Loading the map…', failed: 'Could not load the map', choose: 'Choose one to see its list',
};

export const TEXT: Record<Lang, typeof vi> = { vi, en };
export type Text = typeof vi;
