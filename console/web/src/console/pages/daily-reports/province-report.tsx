import { useEffect, useState } from 'preact/hooks';
import { formatDay, formatNumber, formatTime, type Lang } from '../../../i18n';
import type { PageProps } from '../../pages';
import { provinceName } from '../../provinces';
import dailyReports from './operations/ConsoleDailyReports.graphql';
import submitDailyReport from './operations/ConsoleSubmitDailyReport.graphql';
import { dayBefore, reportStatus, type DailyReport, type ReportStatus } from './status';
import { StatusCells } from './status-cells';
import { TEXT } from './text';

/** One province's report of the day (the figures it stands for) and its last 31 days' statuses. */
export function ProvinceReport({ province, today, at, lang, run, onClose, canSend }: {
  province: string; today: string; at: Date; lang: Lang; run: PageProps['run']; onClose: () => void;
  /** Whether this partner may send the province's report (cases:write, and its own province when limited to one). */
  canSend: boolean;
}) {
  const text = TEXT[lang];
  const [history, setHistory] = useState<DailyReport[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [sending, setSending] = useState<'idle' | 'sending' | 'sent'>('idle');
  const [loads, setLoads] = useState(0);
  useEffect(() => {
    setHistory(null);
    run<{ dailyReports: DailyReport[] }>(dailyReports, { from: dayBefore(today, 30), to: today, provinceCode: province })
      .then((data) => setHistory(data.dailyReports.filter((r) => r.provinceCode === province).sort((a, b) => b.date.localeCompare(a.date))), (e: Error) => setError(e.message));
  }, [province, today, loads]);
  const send = () => {
    setSending('sending');
    // The server's clock judges the sending against the deadline; the page then reads the report again.
    run(submitDailyReport, { provinceCode: province, date: today })
      .then(() => { setSending('sent'); setLoads((n) => n + 1); }, (e: Error) => { setSending('idle'); setError(`${text.sendFailed}: ${e.message}`); });
  };
  const name = provinceName(province);
  const report = history?.find((r) => r.date === today);
  const statuses = history?.map((r) => [r, reportStatus(r, at)] as const) ?? [];
  const count = (status: ReportStatus) => statuses.filter(([, s]) => s === status).length;
  return (
    <section class="panel" aria-labelledby="province-report-title" data-testid="province-report" data-province={province}>
      <div class="panel-head">
        <h2 id="province-report-title">{text.reportOf(name, formatDay(lang, today))}</h2>
        <button type="button" onClick={onClose}>{text.close}</button>
      </div>
      {error && <p role="alert">{text.failed}: {error}</p>}
      {!history && !error && <p role="status">{text.loading}</p>}
      {report && (
        <>
          <dl class="report-form" data-testid="report-form">
            <div><dt>{text.status}</dt><dd><span class={`status-badge ${reportStatus(report, at)}`}>{text.statuses[reportStatus(report, at)]}</span></dd></div>
            <div><dt>{text.submittedAt}</dt><dd>{reportStatus(report, at) === 'ON_TIME' || reportStatus(report, at) === 'LATE' ? formatTime(lang, report.submittedAt) : '—'}</dd></div>
            <div><dt>{text.deadlineAt}</dt><dd>{formatTime(lang, report.deadline)}</dd></div>
            <div><dt>{text.newCases}</dt><dd data-field="newCases">{formatNumber(lang, report.newCases)}</dd></div>
            <div><dt>{text.communityCases}</dt><dd data-field="communityCases">{formatNumber(lang, report.communityCases)}</dd></div>
            <div><dt>{text.deaths}</dt><dd>{formatNumber(lang, report.deaths)}</dd></div>
            <div><dt>{text.recoveries}</dt><dd>{formatNumber(lang, report.recoveries)}</dd></div>
            <div><dt>{text.centralisedFacility}</dt><dd>{formatNumber(lang, report.quarantined.centralisedFacility)}</dd></div>
            <div><dt>{text.medicalIsolation}</dt><dd>{formatNumber(lang, report.quarantined.medicalIsolation)}</dd></div>
            <div><dt>{text.home}</dt><dd>{formatNumber(lang, report.quarantined.home)}</dd></div>
          </dl>
          <p class="note">{text.figuresNote}</p>
          {canSend && report.submittedAt === null && (
            <button type="button" data-testid="send-report" disabled={sending === 'sending'} onClick={send}>
              {sending === 'sending' ? text.sending : text.send}
            </button>
          )}
          {sending === 'sent' && <p role="status" data-testid="report-sent">{text.sent}</p>}
        </>
      )}
      {history && (
        <>
          <h3>{text.history}</h3>
          <p class="note" data-testid="history-summary">{text.historySummary(count('ON_TIME'), count('LATE'), count('MISSING'))}</p>
          <table class="reports" data-testid="report-history">
            <thead><tr><th scope="col">{text.day}</th><th scope="col">{text.status}</th><th scope="col">{text.submittedAt}</th><th scope="col">{text.newCases}</th></tr></thead>
            <tbody>
              {statuses.map(([r, status]) => (
                <tr key={r.date} class={`status-${status}`} data-date={r.date} data-status={status}>
                  <th scope="row">{formatDay(lang, r.date)}</th>
                  <StatusCells report={r} status={status} lang={lang} />
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}
