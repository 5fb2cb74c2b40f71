import type { ReportStatus } from './status';

const vi = {
  today: (day: string) => `Hôm nay, ${day}`, deadline: 'Hạn nộp: 18:00 (giờ Việt Nam)', province: 'Tỉnh, thành phố', status: 'Tình trạng',
  submittedAt: 'Thời điểm nộp', newCases: 'Ca mắc mới', summary: (late: number, missing: number) => `${late} tỉnh nộp muộn, ${missing} tỉnh muộn chưa nộp`,
  statuses: { ON_TIME: 'Đúng hạn', LATE: 'Nộp muộn', MISSING: 'Muộn, chưa nộp', DUE: 'Chưa đến hạn' } as Record<ReportStatus, string>,
  loading: 'Đang tải báo cáo…', failed: 'Không tải được báo cáo',
  open: (name: string) => `Xem báo cáo của ${name}`,
  reportOf: (name: string, day: string) => `Báo cáo ngày ${day} — ${name}`,
  close: 'Đóng',
  communityCases: 'Trong cộng đồng', deaths: 'Tử vong', recoveries: 'Khỏi bệnh',
  centralisedFacility: 'Cách ly tập trung', medicalIsolation: 'Cách ly y tế', home: 'Cách ly tại nhà', deadlineAt: 'Hạn nộp',
  figuresNote: 'Số liệu do Health Hub tính từ hồ sơ ca bệnh và cách ly của tỉnh; tỉnh gửi báo cáo tại đây hoặc qua hệ thống quản lý ca bệnh.',
  send: 'Gửi báo cáo', sending: 'Đang gửi…', sent: 'Đã gửi báo cáo.', sendFailed: 'Không gửi được báo cáo',
  history: 'Lịch sử 31 ngày', day: 'Ngày',
  historySummary: (onTime: number, late: number, missing: number) => `${onTime} ngày đúng hạn, ${late} ngày nộp muộn, ${missing} ngày chưa nộp`,
};

const en: typeof vi = {
  today: (day: string) => `Today, ${day}`, deadline: 'Due by 18:00 (Việt Nam time)', province: 'Province', status: 'Status',
  submittedAt: 'Sent at', newCases: 'New cases', summary: (late: number, missing: number) => `${late} provinces sent late, ${missing} late and not sent`,
  statuses: { ON_TIME: 'On time', LATE: 'Sent late', MISSING: 'Late, not sent', DUE: 'Not yet due' },
  loading: 'Loading reports…', failed: 'Could not load the reports',
  open: (name: string) => `Open ${name}'s report`,
  reportOf: (name: string, day: string) => `Report of ${day} — ${name}`,
  close: 'Close',
  communityCases: 'In the community', deaths: 'Deaths', recoveries: 'Recoveries',
  centralisedFacility: 'Centralised quarantine', medicalIsolation: 'Medical isolation', home: 'Quarantine at home', deadlineAt: 'Deadline',
  figuresNote: "Figures computed by Health Hub from the province's case and quarantine records; a province sends its report here or through case management.",
  send: 'Send the report', sending: 'Sending…', sent: 'Report sent.', sendFailed: 'Could not send the report',
  history: 'The last 31 days', day: 'Day',
  historySummary: (onTime: number, late: number, missing: number) => `${onTime} days on time, ${late} sent late, ${missing} not sent`,
};

/** The daily reports page's words in each language. */
export const TEXT = { vi, en };
