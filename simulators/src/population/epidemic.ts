import { dayOf, HORIZON_DAY, SECONDS_PER_DAY } from './calendar';
import { DayCurve } from './curves';
import { bucketYear } from './buckets';
import { birthDayOf, type Context, livingProvince, livingProvinceOf, type PersonCore } from './person';
import { Rng, STREAM, unit } from './prng';
import { PROVINCE_ZONE } from './provinces';

// Local aliases of Math functions: see prng.ts.
const { floor, min, max } = Math;

/**
 * Whether and when a person is infected and confirmed. Tests, cases and vaccinations all
 * read this one plan, which is what keeps them consistent with each other: the case's
 * confirming test exists, nobody is vaccinated after dying, pools are positive only when a
 * member is infected.
 */

export const CASE_RATE = 0.04;
/** deathDay of everyone who does not die (a constant: reading the global Infinity is slow under Jest). */
export const NEVER = Infinity;
/** From about this date a positive rapid antigen test alone confirmed a case. */
export const ANTIGEN_CONFIRMS_FROM = dayOf(2022, 2, 20);

// Monthly weights from January 2021 to June 2022, by zone: the north's Hải Dương and Bắc
// Giang clusters in 2021, the southern Delta wave of July–September 2021, and the Omicron
// wave everywhere in early 2022.
const CASE_CURVES: readonly DayCurve[] = [
  DayCurve.monthly(2021, 1, [0.3, 0.5, 0.05, 0.05, 1.5, 2, 1, 1, 1, 2, 6, 10, 14, 22, 25, 8, 2, 0.5], HORIZON_DAY - 2),
  DayCurve.monthly(2021, 1, [0.05, 0.05, 0, 0.02, 0.3, 0.5, 2, 3, 2, 2, 5, 8, 12, 20, 25, 10, 3, 1], HORIZON_DAY - 2),
  DayCurve.monthly(2021, 1, [0.02, 0.02, 0, 0.02, 0.2, 2, 14, 22, 14, 6, 5, 5, 5, 8, 10, 4, 1, 0.5], HORIZON_DAY - 2),
];

export type CaseStatus = 'UNDER_TREATMENT' | 'RECOVERED' | 'DECEASED' | 'TRANSFERRED';

export interface PlannedTest {
  method: 'RT_PCR' | 'RAPID_ANTIGEN';
  sampleTs: number;
  resultTs: number;
}

export interface CasePlan {
  detectDay: number;
  /** Positive antigen test before a confirming RT-PCR, if any. */
  antigen: PlannedTest | null;
  /** The positive test the case is confirmed on. */
  confirm: PlannedTest;
  confirmedTs: number;
  status: CaseStatus;
  /** When the status last changed: what the case record's sourceUpdatedAt shows. */
  statusTs: number;
  /** Day of death, or NEVER. */
  deathDay: number;
  /** Last day of the illness: no routine negative test is placed in [detectDay, endDay]. */
  endDay: number;
  /** A still-positive test some days into the illness. */
  followUp: PlannedTest | null;
  /** Negative test before discharge. */
  discharge: PlannedTest | null;
  provinceIndex: number;
  ageYears: number;
}

const HOUR = 3600;
const WORKDAY = 10 * HOUR;

/** Cheap pre-check (one hash): only these people can have a case. */
export function isCaseCandidate(key: number, i: number): boolean {
  return unit(key, i, STREAM.CASE_FLAG) < CASE_RATE;
}

function deathRisk(age: number): number {
  // Calibrated so ~0.5% of cases die, concentrated in the old.
  if (age < 50) return 0.0007;
  if (age < 65) return 0.0085;
  if (age < 80) return 0.038;
  return 0.11;
}

function pcr(rng: Rng, sampleTs: number): PlannedTest {
  return { method: 'RT_PCR', sampleTs, resultTs: sampleTs + rng.between(4 * HOUR, 30 * HOUR) };
}
function antigen(rng: Rng, sampleTs: number): PlannedTest {
  return { method: 'RAPID_ANTIGEN', sampleTs, resultTs: sampleTs + rng.between(15 * 60, 30 * 60) };
}

export function casePlan(ctx: Context, core: PersonCore): CasePlan | null {
  return planFor(ctx, core.index, core.birthDay, livingProvince(core));
}

/** The plan from the few facts it depends on, so neighbours' plans are cheap to re-derive. */
function planFor(ctx: Context, index: number, birthDay: number, provinceIndex: number): CasePlan | null {
  if (!isCaseCandidate(ctx.key, index)) return null;
  const rng = new Rng(ctx.key, index, STREAM.CASE);
  const detectDay = CASE_CURVES[PROVINCE_ZONE[provinceIndex]!]!.sample(rng);
  if (detectDay <= birthDay) return null;
  const ageYears = floor((detectDay - birthDay) / 365.25);
  const antigenEra = detectDay >= ANTIGEN_CONFIRMS_FROM;
  const sampleTs = detectDay * SECONDS_PER_DAY + rng.below(WORKDAY);

  let confirm: PlannedTest;
  let prior: PlannedTest | null = null;
  if (antigenEra && rng.chance(0.65)) {
    confirm = antigen(rng, sampleTs);
  } else {
    confirm = pcr(rng, sampleTs);
    if (rng.chance(antigenEra ? 0.5 : 0.35)) prior = antigen(rng, sampleTs - rng.between(2 * HOUR, 6 * HOUR));
  }
  const confirmedTs = confirm.resultTs + rng.below(SECONDS_PER_DAY + 1);

  let status: CaseStatus;
  let statusTs = confirmedTs;
  let deathDay = NEVER;
  let endDay: number;
  let discharge: PlannedTest | null = null;
  const u = rng.float();
  const risk = deathRisk(ageYears);
  if (u < risk) {
    const day = detectDay + rng.between(2, 25);
    endDay = min(day, HORIZON_DAY);
    if (day <= HORIZON_DAY) {
      status = 'DECEASED';
      deathDay = day;
      statusTs = max(confirmedTs + HOUR, day * SECONDS_PER_DAY + rng.below(SECONDS_PER_DAY));
    } else {
      status = 'UNDER_TREATMENT';
    }
  } else if (u < risk + 0.02) {
    status = 'TRANSFERRED';
    statusTs = confirmedTs + rng.between(1, 5) * SECONDS_PER_DAY;
    endDay = min(detectDay + 14, HORIZON_DAY);
  } else {
    const recoveryDay = detectDay + (antigenEra ? rng.between(7, 10) : rng.between(10, 21));
    endDay = min(recoveryDay, HORIZON_DAY);
    // A few records are never closed by the province, and recent cases are still open.
    if (recoveryDay > HORIZON_DAY || rng.chance(0.03)) {
      status = 'UNDER_TREATMENT';
    } else {
      status = 'RECOVERED';
      statusTs = max(confirmedTs + HOUR, recoveryDay * SECONDS_PER_DAY + rng.between(HOUR, WORKDAY));
      if (rng.chance(0.7)) {
        const dischargeDay = antigenEra ? recoveryDay : recoveryDay - 1;
        const ts = dischargeDay * SECONDS_PER_DAY + rng.below(WORKDAY);
        discharge = antigenEra ? antigen(rng, ts) : pcr(rng, ts);
      }
    }
  }
  if (statusTs > (HORIZON_DAY + 1) * SECONDS_PER_DAY - 1) statusTs = (HORIZON_DAY + 1) * SECONDS_PER_DAY - 1;
  let followUp: PlannedTest | null = null;
  // Patients were retested during treatment and were often still positive after five to seven days.
  const followUpDay = detectDay + rng.between(5, 7);
  if (rng.chance(antigenEra ? 0.3 : 0.45) && followUpDay < endDay && followUpDay < deathDay) {
    const ts = followUpDay * SECONDS_PER_DAY + rng.below(WORKDAY);
    followUp = antigenEra ? antigen(rng, ts) : pcr(rng, ts);
  }
  return { detectDay, antigen: prior, confirm, confirmedTs, status, statusTs, deathDay, endDay, followUp, discharge, provinceIndex, ageYears };
}

/**
 * Whether person j was infected around `day` (from three days before confirmation to the
 * confirmation day): what makes a pooled sample with j in it positive.
 */
export function infectedAround(ctx: Context, j: number, day: number): boolean {
  if (!isCaseCandidate(ctx.key, j)) return false;
  const birthYear = bucketYear(ctx.ids.bucketOfIndex(j));
  const birthDay = birthDayOf(ctx, j, birthYear);
  if (birthDay > day) return false;
  const plan = planFor(ctx, j, birthDay, livingProvinceOf(ctx, j, birthYear));
  return plan !== null && day >= plan.detectDay - 3 && day <= plan.detectDay;
}
