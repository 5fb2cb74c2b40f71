import { useEffect, useState } from 'preact/hooks';
import { formatDay } from '../../../i18n';
import type { PageProps } from '../../pages';
import { provinceName, PROVINCES } from '../../provinces';
import { allows } from '../../session';
import { NewCasePushes } from './new-case-pushes';
import dailyReports from './operations/ConsoleDailyReports.graphql';
import { ProvinceReport } from './province-report';
import { localDay, reportStatus, type DailyReport, type ReportStatus } from './status';
import { StatusCells } from './status-cells';
import { TEXT } from './text';

/**
 * Today's daily report of every province (or the partner's own) judged against 18:00 local
 * time, late ones highlighted; a province's report and history; the partner's new-case pushes.
 */
export default function DailyReports({ session, lang, run, now }: PageProps) {
  const text = TEXT[lang];
  const [at] = useState(now);
  const today = localDay(at);
  const [reports, setReports] = useState<DailyReport[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  // A province partner's own province is open from the start.
  const [open, setOpen] = useState<string | null>(session.province);
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
    <>
      <div class="two-columns reports-layout">
        <section class="panel" aria-labelledby="today-title" data-testid="daily-reports" data-day={today}>
          <h2 id="today-title">{text.today(formatDay(lang, today))}</h2>
          <p class="note">{text.deadline}. <strong data-testid="late-summary">{text.summary(count('LATE'), count('MISSING'))}</strong></p>
          <table class="reports">
            <thead><tr><th scope="col">{text.province}</th><th scope="col">{text.status}</th><th scope="col">{text.submittedAt}</th><th scope="col">{text.newCases}</th></tr></thead>
            <tbody>
              {rows.map(({ report, status }) => (
                <tr key={report.provinceCode} class={`status-${status}`} data-province={report.provinceCode} data-status={status}>
                  <th scope="row">
                    <button type="button" class="link-button" aria-label={text.open(provinceName(report.provinceCode))} aria-pressed={open === report.provinceCode} onClick={() => setOpen(report.provinceCode)}>
                      {provinceName(report.provinceCode)}
                    </button>
                  </th>
                  <StatusCells report={report} status={status} lang={lang} />
                </tr>
              ))}
            </tbody>
          </table>
        </section>
        {open && (
          <ProvinceReport
            province={open} today={today} at={at} lang={lang} run={run} onClose={() => setOpen(null)}
            canSend={allows(session, ['cases:read', 'cases:write']) && (!session.province || session.province === open)}
          />
        )}
      </div>
      {allows(session, ['cases:read', 'cases:write']) && <NewCasePushes session={session} lang={lang} run={run} />}
    </>
  );
}
