import type { ReportStatus, RiskLevel } from './api';

export type Lang = 'vi' | 'en';
export const TIME_ZONE = 'Asia/Ho_Chi_Minh';

const vi = {
  title: 'Tình hình dịch COVID-19',
  subtitle: 'Số liệu tổng hợp công khai từ Health Hub — không có dữ liệu cá nhân',
  language: 'Ngôn ngữ',
  day: 'Ngày',
  area: 'Khu vực',
  nationwide: 'Toàn quốc',
  loading: 'Đang tải số liệu…',
  failed: 'Không tải được số liệu',
  newCases: 'Ca mắc mới',
  community: 'Trong cộng đồng',
  inQuarantine: 'Trong khu cách ly',
  deaths: 'Tử vong',
  recoveries: 'Khỏi bệnh',
  tests: 'Xét nghiệm',
  doses: 'Mũi tiêm',
  coverage: 'Tỷ lệ tiêm đủ liều',
  firstDoses: 'Mũi 1',
  primarySeriesCompleted: 'Hoàn thành mũi cơ bản',
  boosterDoses: 'Mũi nhắc lại',
  casesOverTime: 'Ca mắc mới theo ngày',
  outcomesOverTime: 'Tử vong và khỏi bệnh theo ngày',
  testsOverTime: 'Xét nghiệm theo ngày',
  dosesOverTime: 'Mũi tiêm theo ngày',
  riskMap: 'Bản đồ cấp độ dịch theo tỉnh',
  riskMapNote: 'Mỗi ô là một tỉnh, thành phố (xếp gần đúng theo vị trí). Chọn một ô để xem quận, huyện và phường, xã.',
  reportStatus: 'Tình trạng báo cáo ngày',
  reportDeadline: 'Hạn nộp: 18:00 hằng ngày (giờ Việt Nam)',
  province: 'Tỉnh, thành phố',
  level: 'Cấp độ',
  cases7: 'Ca mắc 7 ngày',
  per100k: 'Trên 100.000 dân',
  status: 'Tình trạng',
  submittedAt: 'Thời điểm nộp',
  districts: 'Quận, huyện',
  wards: 'Phường, xã',
  district: 'Quận, huyện',
  ward: 'Phường, xã',
  residents: 'Dân số',
  suppressedRule: (n: number) => `Ở cấp phường, xã, số ca từ 1 đến ${n - 1} được hiển thị là "< ${n}" và không kèm cấp độ; khi chỉ một phường, xã của quận, huyện bị ẩn, phường, xã có số ca nhỏ nhất khác cũng được ẩn ("ẩn") để không suy ra được số ca bằng phép trừ. Tương tự ở cấp quận, huyện: khi chỉ một quận, huyện của tỉnh bị ẩn, quận, huyện có số ca nhỏ nhất khác cũng được ẩn. Dân số làm tròn đến hàng trăm, tỷ lệ tiêm làm tròn đến phần trăm.`,
  fewer: (n: number) => `< ${n}`,
  hidden: 'ẩn',
  close: 'Đóng',
  ofProvinces: (n: number, total: number) => `${n}/${total} tỉnh`,
  levels: { LOW: 'Cấp 1 — Nguy cơ thấp', MEDIUM: 'Cấp 2 — Nguy cơ trung bình', HIGH: 'Cấp 3 — Nguy cơ cao', VERY_HIGH: 'Cấp 4 — Nguy cơ rất cao' } as Record<RiskLevel, string>,
  statuses: { ON_TIME: 'Đúng hạn', LATE: 'Muộn', MISSING: 'Chưa nộp', DUE: 'Chưa đến hạn' } as Record<ReportStatus, string>,
  chartSummary: (title: string, total: string) => `${title}: tổng ${total}`,
  footer: 'Ngày giờ theo giờ Việt Nam (Asia/Ho_Chi_Minh). Số liệu mô phỏng.',
};

const en: typeof vi = {
  title: 'COVID-19 situation',
  subtitle: 'Public aggregate figures from Health Hub — no personal data',
  language: 'Language',
  day: 'Day',
  area: 'Area',
  nationwide: 'Nationwide',
  loading: 'Loading the figures…',
  failed: 'The figures could not be loaded',
  newCases: 'New cases',
  community: 'In the community',
  inQuarantine: 'In quarantine',
  deaths: 'Deaths',
  recoveries: 'Recoveries',
  tests: 'Tests',
  doses: 'Doses',
  coverage: 'Fully vaccinated',
  firstDoses: 'First doses',
  primarySeriesCompleted: 'Primary series completed',
  boosterDoses: 'Boosters',
  casesOverTime: 'New cases by day',
  outcomesOverTime: 'Deaths and recoveries by day',
  testsOverTime: 'Tests by day',
  dosesOverTime: 'Doses by day',
  riskMap: 'Risk level by province',
  riskMapNote: 'Each tile is a province (placed roughly where it lies). Choose one to see its districts and wards.',
  reportStatus: "The day's report status",
  reportDeadline: 'Due by 18:00 every day (Việt Nam time)',
  province: 'Province',
  level: 'Level',
  cases7: 'Cases, 7 days',
  per100k: 'Per 100,000',
  status: 'Status',
  submittedAt: 'Sent at',
  districts: 'Districts',
  wards: 'Wards',
  district: 'District',
  ward: 'Ward',
  residents: 'Residents',
  suppressedRule: (n: number) => `At ward level, case counts from 1 to ${n - 1} are shown as "< ${n}", without a level; when only one ward of a district is hidden, the ward with the next smallest count is hidden too ("hidden"), so no count can be worked out by subtraction. The same holds for districts: when only one district of a province is hidden, the district with the next smallest count is hidden too. Residents are rounded to the hundred and coverage to the per cent.`,
  fewer: (n: number) => `< ${n}`,
  hidden: 'hidden',
  close: 'Close',
  ofProvinces: (n: number, total: number) => `${n} of ${total} provinces`,
  levels: { LOW: 'Level 1 — low risk', MEDIUM: 'Level 2 — medium risk', HIGH: 'Level 3 — high risk', VERY_HIGH: 'Level 4 — very high risk' },
  statuses: { ON_TIME: 'On time', LATE: 'Late', MISSING: 'Not sent', DUE: 'Not yet due' },
  chartSummary: (title: string, total: string) => `${title}: ${total} in all`,
  footer: 'Dates and times in Việt Nam time (Asia/Ho_Chi_Minh). Simulated figures.',
};

export const TEXT: Record<Lang, typeof vi> = { vi, en };
export type Text = typeof vi;

/** Colours of the four levels (the 2021 rules' green, yellow, orange, red), dark enough for text on white. */
export const LEVEL_COLOURS: Record<RiskLevel, string> = { LOW: '#2e7d32', MEDIUM: '#f2c200', HIGH: '#ef6c00', VERY_HIGH: '#c62828' };
/** Text colour readable on each level's colour. */
export const LEVEL_TEXT: Record<RiskLevel, string> = { LOW: '#ffffff', MEDIUM: '#1a1a1a', HIGH: '#1a1a1a', VERY_HIGH: '#ffffff' };

export const formatNumber = (lang: Lang, n: number | null | undefined) => (n === null || n === undefined ? '—' : new Intl.NumberFormat(lang === 'vi' ? 'vi-VN' : 'en-GB').format(n));
export const formatPercent = (lang: Lang, share: number | null | undefined) =>
  share === null || share === undefined ? '—' : new Intl.NumberFormat(lang === 'vi' ? 'vi-VN' : 'en-GB', { style: 'percent', maximumFractionDigits: 1 }).format(share);
/** A local day (yyyy-MM-dd) written out, e.g. "31/08/2021". */
export const formatDay = (lang: Lang, day: string) =>
  new Intl.DateTimeFormat(lang === 'vi' ? 'vi-VN' : 'en-GB', { timeZone: TIME_ZONE, day: '2-digit', month: '2-digit', year: 'numeric' }).format(new Date(`${day}T12:00:00+07:00`));
/** An instant in Việt Nam's time, e.g. "17:42 31/08/2021". */
export const formatTime = (lang: Lang, iso: string | null) =>
  iso === null ? '—' : new Intl.DateTimeFormat(lang === 'vi' ? 'vi-VN' : 'en-GB', { timeZone: TIME_ZONE, hour: '2-digit', minute: '2-digit', day: '2-digit', month: '2-digit', year: 'numeric' }).format(new Date(iso));
