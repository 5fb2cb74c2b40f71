import { hash3, Rng, seedKey } from '../population/prng';
import type { Person, Population } from '../population/types';
import { isMalformed } from '../servers/faults';
import type { CaseVersion, CitizenReportRecord, Epidemiology, HealthReportRecord, HomeIsolationRecord } from './types';

// Local aliases of Math functions: see population/prng.ts.
const { floor } = Math;

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const LOCAL_OFFSET = 7 * HOUR;
const STREAM = { ISOLATION: 211, HEALTH_REPORT: 212 } as const;
const iso = (ms: number) => new Date(ms).toISOString();
/** The instant the local (UTC+7) day of `ms` starts. */
const localDayStart = (ms: number) => floor((ms + LOCAL_OFFSET) / DAY) * DAY - LOCAL_OFFSET;
const SYMPTOMS = ['sốt', 'ho', 'đau họng', 'mệt mỏi', 'mất vị giác', 'khó thở'];

/**
 * Days an isolation at home lasts: the ward health stations' rule in early 2022 (Decision
 * 261/QĐ-BYT for F0s treated at home: 7 days, 10 or 14 when the day-7 rapid test is still
 * positive for people fully vaccinated or not; Official Letter 10696/BYT-MT for F1s: 7 days
 * fully vaccinated, else 14). The outside world's copy: the hub keeps its own.
 */
export function homeIsolationDays(kind: HomeIsolationRecord['kind'], fullyVaccinated: boolean, day7Negative: boolean | null): number {
  if (kind === 'HOME_QUARANTINE') return fullyVaccinated ? 7 : 14;
  if (day7Negative === false) return fullyVaccinated ? 10 : 14;
  return 7;
}

/** Where someone lives: the current address, else the permanent one (the first). */
export function livingPlace(p: Person): { provinceCode: string; districtCode: string; wardCode: string } {
  const a = p.addresses.find((x) => x.kind === 'CURRENT') ?? p.addresses[0]!;
  return { provinceCode: a.provinceCode, districtCode: a.districtCode, wardCode: a.wardCode };
}

export interface HomeIsolationInput {
  population: Population;
  /** `seedKey(population.seed)`. */
  key: number;
  /** Person `i` of the population (a cache of them, or `population.person`). */
  person: (index: number) => Person;
  /** The cases of the population by person index (only those confirmed from `from` to `to` are isolated). */
  caseOf: ReadonlyMap<number, Pick<CaseVersion, 'caseCode' | 'confirmedAt'>>;
  /** Cases confirmed in these local days, and their households, are isolated at home. */
  from: string;
  to: string;
}

/**
 * Isolations at home of the cases confirmed from `from` to `to` (home treatment) and of their
 * households (home quarantine of the F1s), with the ward health stations' daily reports and
 * neighbours' reports of breaches. Most people report once a day in the morning; some miss a
 * day, a few stop reporting (overdue); an F0 now and then has a fever or a low SpO2 (alerted).
 * A pure function of its input.
 */
export function generateHomeIsolations(input: HomeIsolationInput): { isolations: HomeIsolationRecord[]; healthReports: HealthReportRecord[]; breaches: CitizenReportRecord[] } {
  const { population, key, person, caseOf } = input;
  const fromMs = Date.parse(`${input.from}T00:00:00Z`) - LOCAL_OFFSET;
  const toMs = Date.parse(`${input.to}T00:00:00Z`) - LOCAL_OFFSET + DAY;
  const rng = new Rng(key, 0, STREAM.ISOLATION);
  const isolations: HomeIsolationRecord[] = [];
  const vaccinatedBy = (i: number, ms: number) => population.vaccinations(i).filter((v) => Date.parse(`${v.administeredOn}T00:00:00Z`) < ms).length >= 2;
  const isolate = (p: Person, kind: HomeIsolationRecord['kind'], caseCode: string | null, contactCode: string | null, startsAt: number) => {
    rng.reset(key, hash3(p.index, floor(startsAt / DAY), 1), STREAM.ISOLATION);
    const fullyVaccinated = vaccinatedBy(p.index, startsAt);
    const day7Negative = kind === 'HOME_TREATMENT' ? rng.float() < 0.8 : null;
    const place = livingPlace(p);
    isolations.push({
      id: `CLN${kind === 'HOME_TREATMENT' ? 'F0' : 'F1'}${p.citizenId}${floor(startsAt / DAY)}`, citizenId: p.citizenId, truth: { personIndex: p.index, citizenId: p.citizenId },
      kind, caseCode, contactCode, provinceCode: place.provinceCode, wardCode: place.wardCode, startsAt: iso(startsAt), fullyVaccinated, day7Negative,
      endsAt: iso(startsAt + homeIsolationDays(kind, fullyVaccinated, day7Negative) * DAY),
      // A few stop reporting after some days: the ward health station's overdue list.
      silentFrom: rng.float() < 0.15 ? iso(startsAt + (1 + rng.below(4)) * DAY) : null,
    });
  };
  for (const [i, c] of caseOf) {
    const confirmed = Date.parse(c.confirmedAt);
    if (confirmed < fromMs || confirmed >= toMs) continue;
    const p = person(i);
    isolate(p, 'HOME_TREATMENT', c.caseCode, null, confirmed + 2 * HOUR);
    // The household, as the provinces record their F1s (`TX<case>-<citizen ID>`): consecutive indices within p's block.
    for (let j = Math.max(0, i - 63); j < Math.min(population.size, i + 64); j++) {
      const m = person(j);
      if (j === i || m.householdId !== p.householdId || caseOf.has(j)) continue;
      isolate(m, 'HOME_QUARANTINE', null, `TX${c.caseCode}-${m.citizenId}`, confirmed + 3 * HOUR);
    }
  }

  const healthReports: HealthReportRecord[] = [];
  const breaches: CitizenReportRecord[] = [];
  for (const h of isolations) {
    const start = Date.parse(h.startsAt);
    const end = Date.parse(h.endsAt);
    const silent = h.silentFrom === null ? Infinity : Date.parse(h.silentFrom);
    for (let day = localDayStart(start), n = 0; day < end; day += DAY, n++) {
      rng.reset(key, hash3(h.truth.personIndex, floor(day / DAY), 2), STREAM.HEALTH_REPORT);
      const at = day + 7 * HOUR + rng.below(4 * 60) * 60_000;
      if (at < start || at >= end || at >= silent || rng.float() < 0.1) continue;
      const f0 = h.kind === 'HOME_TREATMENT';
      // An F0 now and then has a fever or a low SpO2; an F1 rarely (the first sign of infection).
      const fever = rng.float() < (f0 ? 0.1 : 0.02);
      const low = rng.float() < (f0 ? 0.08 : 0.01);
      healthReports.push({
        id: `BC${h.id}-${n}`, isolationId: h.id, reportedAt: iso(at),
        temperature: (fever ? 385 + rng.below(11) : 363 + rng.below(11)) / 10, spo2: low ? 92 + rng.below(4) : 96 + rng.below(4),
        symptoms: f0 && rng.float() < 0.5 ? [rng.pick(SYMPTOMS)] : [], reportedBy: rng.float() < 0.25 ? 'WARD_HEALTH_STATION' : 'SELF',
      });
    }
    if (hash3(key, h.truth.personIndex, 13) % 10 === 0) {
      breaches.push({
        id: `PA${h.id}`, kind: 'QUARANTINE_BREACH', reportedAt: iso(start + 2 * DAY + 5 * HOUR), provinceCode: h.provinceCode, wardCode: h.wardCode,
        subjectCitizenId: h.citizenId, description: 'Người đang cách ly tại nhà ra khỏi nhà', homeIsolationId: h.id,
      });
    }
  }
  return { isolations, healthReports, breaches };
}

/**
 * The isolations at home of a whole population's cases confirmed from `from` to `to`, without
 * generating the rest of its epidemiology (a bench of a million persons).
 */
export function homeIsolationsOfPopulation(population: Population, from: string, to: string): ReturnType<typeof generateHomeIsolations> {
  // Every case (not only the period's): a household member who is a case is not quarantined as an F1.
  const caseOf = new Map<number, Pick<CaseVersion, 'caseCode' | 'confirmedAt'>>();
  for (let i = 0; i < population.size; i++) {
    const c = population.cases(i)[0];
    if (c) caseOf.set(i, c);
  }
  return generateHomeIsolations({ population, key: seedKey(population.seed), person: (i) => population.person(i), caseOf, from, to });
}

/** Thresholds of the ground truth, as the hub's defaults. */
export interface WorklistThresholds {
  spo2Below: number;
  temperatureFrom: number;
  overdueAfterHours: number;
}
export const DEFAULT_WORKLIST_THRESHOLDS: Readonly<WorklistThresholds> = Object.freeze({ spo2Below: 96, temperatureFrom: 38.5, overdueAfterHours: 24 });

/** Whether the citizen app serves this health report wrong (`citizenAppEvents`): it never reaches a store. */
export const healthReportMalformed = (seed: number, id: string, rate: number) => isMalformed(seed, id, rate);

/**
 * What a ward health station's list must show at `at`: the ward's isolations open then, each
 * due (no good report yet that local day), overdue (the last good report, or the start, older
 * than `overdueAfterHours`), alerted (a good report of the 24 hours before crossed a threshold).
 * Reports the app serves malformed (`seed`, `malformedRate`) are not counted. A plain scan of
 * the generated records, independent of the hub.
 */
export function homeIsolationWorklistTruth(
  epi: Pick<Epidemiology, 'homeIsolations' | 'healthReports'>,
  wardCode: string,
  at: Date,
  fault: { seed: number; malformedRate: number },
  thresholds: WorklistThresholds = DEFAULT_WORKLIST_THRESHOLDS,
): Map<string, { due: boolean; overdue: boolean; alerted: boolean }> {
  const now = at.getTime();
  const today = localDayStart(now);
  const result = new Map<string, { due: boolean; overdue: boolean; alerted: boolean }>();
  const open = epi.homeIsolations.filter((h) => h.wardCode === wardCode && Date.parse(h.startsAt) <= now && Date.parse(h.endsAt) > now);
  for (const h of open) {
    const reports = epi.healthReports.filter((r) => r.isolationId === h.id && Date.parse(r.reportedAt) <= now && !healthReportMalformed(fault.seed, r.id, fault.malformedRate));
    const last = reports.reduce((m, r) => Math.max(m, Date.parse(r.reportedAt)), -Infinity);
    result.set(h.id, {
      due: last < today,
      overdue: (last === -Infinity ? Date.parse(h.startsAt) : last) < now - thresholds.overdueAfterHours * HOUR,
      alerted: reports.some((r) => Date.parse(r.reportedAt) > now - DAY && (r.spo2 < thresholds.spo2Below || r.temperature >= thresholds.temperatureFrom)),
    });
  }
  return result;
}
