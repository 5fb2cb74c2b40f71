import { TIME_ZONE } from '../../../i18n';

/** A daily report as the console reads it. */
export interface DailyReport {
  provinceCode: string;
  date: string;
  newCases: number;
  communityCases: number;
  deaths: number;
  recoveries: number;
  quarantined: { centralisedFacility: number; medicalIsolation: number; home: number };
  submittedAt: string | null;
  deadline: string;
  onTime: boolean;
}

/** Sent before 18:00; sent after it; not sent and 18:00 has passed (late, outstanding); not sent, 18:00 still ahead. */
export type ReportStatus = 'ON_TIME' | 'LATE' | 'MISSING' | 'DUE';

/**
 * A report's status at `now`. A report sent after `now` counts as not sent yet, so a day looked
 * at as of a past instant shows what was known then.
 */
export function reportStatus(report: DailyReport, now: Date): ReportStatus {
  if (report.submittedAt && Date.parse(report.submittedAt) <= now.getTime()) return report.onTime ? 'ON_TIME' : 'LATE';
  return Date.parse(report.deadline) <= now.getTime() ? 'MISSING' : 'DUE';
}

/** The local day (Asia/Ho_Chi_Minh) of an instant, yyyy-MM-dd. */
export function localDay(at: Date): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}

/** The local day `days` before `day`. */
export function dayBefore(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) - days * 86_400_000).toISOString().slice(0, 10);
}
