import { useEffect, useState } from 'preact/hooks';
import { formatDay, formatNumber, formatTime } from '../../../i18n';
import type { PageProps } from '../../pages';
import { provinceName, PROVINCES } from '../../provinces';
import dailyReports from './operations/ConsoleDailyReports.graphql';
import { localDay, reportStatus, type DailyReport, type ReportStatus } from './status';

const TEXT = {
  vi: {
    today: (day: string) => `Hôm nay, ${day}`, deadline: 'Hạn nộp: 18:00 (giờ Việt Nam)', province: 'Tỉnh, thành phố', status: 'Tình trạng',
    submittedAt: 'Thời điểm nộp', newCases: 'Ca mắc mới', summary: (late: number, missing: number) => `${late} tỉnh nộp muộn, ${missing} tỉnh muộn chưa nộp`,
    statuses: { ON_TIME: 'Đúng hạn', LATE: 'Nộp muộn', MISSING: 'Muộn, chưa nộp', DUE: 'Chưa đến hạn' } as Record<ReportStatus, string>,
    loading: 'Đang tải báo cáo…', failed: 'Không tải được báo cáo',
  },
  en: {
    today: (day: string) => `Today, ${day}`, deadline: 'Due by 18:00 (Việt Nam time)', province: 'Province', status: 'Status',
    submittedAt: 'Sent at', newCases: 'New cases', summary: (late: number, missing: number) => `${late} provinces sent late, ${missing} late and not sent`,
    statuses: { ON_TIME: 'On time', LATE: 'Sent late', MISSING: 'Late, not sent', DUE: 'Not yet due' } as Record<ReportStatus, string>,
    loading: 'Loading reports…', failed: 'Could not load the reports',
  },
};

/** Today's daily report of every province (or the partner's own), judged against 18:00 local time. */
export default function DailyReports({ session, lang, run, now }: PageProps) {
  const text = TEXT[lang];
  const [at] = useState(now);
  const today = localDay(at);
  const [reports, setReports] = useState<DailyReport[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    run<{ dailyReports: DailyReport[] }>(dailyReports, { from: today, to: today, ...(session.province ? { provinceCode: session.province } : {}) })
      .then((data) => setReports(data.dailyReports.filter((r) => !session.province || r.provinceCode === session.province)), (e: Error) => setError(e.message));
  }, [today]);
  if (error) return <p role="alert">{text.failed}: {error}</p>;
  if (!reports) return <p role="status">{text.loading}</p>;
  const byProvince = new Map(reports.map((r) => [r.provinceCode, r]));
  const rows = PROVINCES.filter((p) => byProvince.has(p.code)).map((p) => ({ report: byProvince.get(p.code)!, status: reportStatus(byProvince.get(p.code)!, at) }));
  const count = (status: ReportStatus) => rows.filter((r) => r.status === status).length;
  return (
    <section class="panel" data-testid="daily-reports" data-day={today}>
      <h2>{text.today(formatDay(lang, today))}</h2>
      <p class="note">{text.deadline}. <strong data-testid="late-summary">{text.summary(count('LATE'), count('MISSING'))}</strong></p>
      <table class="reports">
        <thead><tr><th scope="col">{text.province}</th><th scope="col">{text.status}</th><th scope="col">{text.submittedAt}</th><th scope="col">{text.newCases}</th></tr></thead>
        <tbody>
          {rows.map(({ report, status }) => (
            <tr key={report.provinceCode} class={`status-${status}`} data-province={report.provinceCode} data-status={status}>
              <th scope="row">{provinceName(report.provinceCode)}</th>
              <td><span class={`status-badge ${status}`}>{text.statuses[status]}</span></td>
              <td>{status === 'ON_TIME' || status === 'LATE' ? formatTime(lang, report.submittedAt) : '—'}</td>
              <td>{formatNumber(lang, report.newCases)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
