import { HubError } from '@health-hub/subgraph-kit';
import { z } from 'zod';
import { CasesErrors } from '../errors';

/**
 * How long an isolation at home lasts, by the Ministry of Health's rules of the period the
 * simulated data cover (February to mid-March 2022, the Omicron wave):
 *
 * - Home treatment of an F0 (điều trị tại nhà): Decision 261/QĐ-BYT of 31 January 2022
 *   ("Hướng dẫn quản lý người mắc COVID-19 tại nhà"): isolation ends after 7 days with a negative
 *   rapid antigen test; still positive on day 7, it goes on to day 10 for someone fully
 *   vaccinated and to day 14 otherwise. Until the day-7 test is recorded the planned end is day 7.
 * - Home quarantine of an F1 (cách ly y tế tại nhà): Official Letter 10696/BYT-MT of December
 *   2021: 7 days for someone fully vaccinated (or recovered within six months), 14 days otherwise.
 *
 * From 15 March 2022 (Official Letter 1265/BYT-DP) F1s were quarantined for 5 or 7 days and then
 * not at all: data of that time would need a rule keyed by date, which this one is not.
 */
export type HomeIsolationKind = 'HOME_TREATMENT' | 'HOME_QUARANTINE';

const DAY_MS = 86_400_000;

/** Days an isolation lasts under the rules above. */
export function isolationDays(kind: HomeIsolationKind, fullyVaccinated: boolean, day7Negative: boolean | null): number {
  if (kind === 'HOME_QUARANTINE') return fullyVaccinated ? 7 : 14;
  if (day7Negative === false) return fullyVaccinated ? 10 : 14;
  return 7;
}

/** The planned end of an isolation starting at `startsAt` (ISO instant), as an ISO instant; null when `startsAt` is not one. */
export function plannedEnd(kind: HomeIsolationKind, startsAt: string, fullyVaccinated: boolean, day7Negative: boolean | null): string | null {
  const start = Date.parse(startsAt);
  if (!Number.isFinite(start)) return null;
  return new Date(start + isolationDays(kind, fullyVaccinated, day7Negative) * DAY_MS).toISOString();
}

/**
 * When a ward health station is alerted: a value over a threshold in a daily report, or no
 * report for more than `overdueAfterHours`. The defaults are the danger signs of home care in
 * Decision 261/QĐ-BYT (SpO2 of 95 % or less; a fever the guidance treats from 38.5 °C).
 */
export const homeIsolationAlertsSchema = z.object({
  /** A report with SpO2 (%) below this alerts. Default 96. */
  spo2Below: z.number().min(50).max(100).default(96),
  /** A report with a temperature (°C) at or above this alerts. Default 38.5. */
  temperatureFrom: z.number().min(35).max(43).default(38.5),
  /** No report (or, before the first, since the start) for longer than this alerts. Default 24. */
  overdueAfterHours: z.number().min(1).max(240).default(24),
}).strict();

export type HomeIsolationAlerts = z.output<typeof homeIsolationAlertsSchema>;

/** The alert thresholds with defaults filled in, frozen; refused with HUB_CASES_BAD_ARGUMENT naming the field. */
export function homeIsolationAlerts(given: Partial<HomeIsolationAlerts> | undefined): Readonly<HomeIsolationAlerts> {
  const parsed = homeIsolationAlertsSchema.safeParse(given ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = issue.path.join('.');
    throw new HubError(CasesErrors.BAD_ARGUMENT, `Home isolation alert option "${field}" ${issue.message}.`, { details: { field } });
  }
  return Object.freeze(parsed.data);
}
