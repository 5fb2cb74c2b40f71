import { formatNumber, formatTime, type Lang } from '../../../i18n';
import type { DailyReport, ReportStatus } from './status';
import { TEXT } from './text';

/** A report's status, when it was sent (only once sent as of the clock) and its new cases: a table row's cells. */
export function StatusCells({ report, status, lang }: { report: DailyReport; status: ReportStatus; lang: Lang }) {
  return (
    <>
      <td><span class={`status-badge ${status}`}>{TEXT[lang].statuses[status]}</span></td>
      <td>{status === 'ON_TIME' || status === 'LATE' ? formatTime(lang, report.submittedAt) : '—'}</td>
      <td>{formatNumber(lang, report.newCases)}</td>
    </>
  );
}
