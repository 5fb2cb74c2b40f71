import { dayOf, HORIZON_DAY, isoDateTime, SECONDS_PER_DAY } from './calendar';
import { DayCurve } from './curves';
import { base36x6 } from './digits';
import { type CasePlan, infectedAround, isCaseCandidate, NEVER, type PlannedTest } from './epidemic';
import { BLOCK_SIZE } from './household';
import { LABS, LABS_FOR_PROVINCE } from './labs';
import { type Context, householdInfo, livingProvince, type PersonCore } from './person';
import { Rng, STREAM, unit, WeightedTable } from './prng';
import { citizenRef, demographicRef, truthOf } from './refs';
import type { TestRecord } from './types';

// Local aliases of Math functions: see prng.ts.
const { floor, min, max } = Math;

/**
 * Test results. Besides a person's own tests (for work, travel, symptoms) there are
 * neighbourhood testing drives: on a drive day the samples of up to eight neighbours
 * (consecutive indices) go into one RT-PCR tube. A pool is positive exactly when one of its
 * members was infected around that day, which any member can work out on its own; the
 * uninfected members of a positive pool are retested singly the next day.
 */

const HOUR = 3600;
const POOL_GROUP_SIZE = 8;
const PARTICIPATION = 0.85;

const ROUTINE_COUNT = new WeightedTable<number>([
  [0, 33],
  [1, 27],
  [2, 17],
  [3, 11],
  [4, 7],
  [5, 3],
  [6, 2],
]);
/** The most tests one person has. */
export const MAX_TESTS_PER_PERSON = 6;
const OPTIONAL_ROLES = ['D', 'M'] as const;

// Testing volume per month, January 2021 to June 2022.
const ROUTINE_CURVE = DayCurve.monthly(2021, 1, [2, 3, 1, 1, 4, 6, 10, 12, 12, 10, 9, 10, 12, 12, 12, 5, 2, 1.5], HORIZON_DAY);
// Mass-testing drives: Hải Dương early 2021, then the Delta wave summer 2021.
const DRIVE_CURVE = DayCurve.monthly(2021, 1, [1, 2, 0.5, 0.5, 4, 7, 14, 18, 14, 6, 5, 5, 4, 2, 1, 0.3, 0.1, 0.1], HORIZON_DAY - 2);
const DRIVE_COUNT = new WeightedTable<number>([
  [0, 45],
  [1, 35],
  [2, 20],
]);

/**
 * Test record ids name the person's test by role (C = the confirming test of a case), not by
 * position, so case records can cite one without generating the others.
 */
export function testRecordIdBase(ctx: Context, i: number): string {
  return `XN${base36x6(ctx.ids.testPerm.forward(i))}-`;
}

export const CONFIRMING_TEST_ROLE = 'C';

const JULY_2021 = dayOf(2021, 7, 1);
const JANUARY_2022 = dayOf(2022, 1, 1);

function pcrShare(day: number): number {
  // Rapid antigen tests took over as supply grew and rules changed.
  if (day < JULY_2021) return 0.75;
  if (day < JANUARY_2022) return 0.35;
  return 0.15;
}

/** Days of the testing drives in the neighbourhood (block of 64 indices) of person i. */
export function driveDays(ctx: Context, i: number): number[] {
  const block = floor(i / BLOCK_SIZE);
  const rng = new Rng(ctx.key, block, STREAM.POOL_ROUNDS);
  const n = DRIVE_COUNT.sample(rng);
  if (n === 0) return [];
  const first = DRIVE_CURVE.sample(rng);
  if (n === 1) return [first];
  const second = DRIVE_CURVE.sample(rng);
  const lo = min(first, second);
  // Two drives in one neighbourhood are at least a week apart.
  return [lo, max(first, second, lo + 7)];
}

function joinsDrive(ctx: Context, j: number, round: number): boolean {
  return unit(ctx.key, j * 2 + round, STREAM.POOL_JOIN) < PARTICIPATION;
}

interface Planned {
  role: string;
  method: 'RT_PCR' | 'RAPID_ANTIGEN';
  pooled: boolean;
  poolId: string | null;
  result: TestRecord['result'];
  sampleTs: number;
  resultTs: number;
  lab: number;
}

function fromPlan(role: string, t: PlannedTest, result: TestRecord['result'], lab: number): Planned {
  return { role, method: t.method, pooled: false, poolId: null, result, sampleTs: t.sampleTs, resultTs: t.resultTs, lab };
}

function single(rng: Rng, role: string, method: Planned['method'], sampleTs: number, result: TestRecord['result'], lab: number): Planned {
  const resultTs = sampleTs + (method === 'RT_PCR' ? rng.between(4 * HOUR, 30 * HOUR) : rng.between(15 * 60, 30 * 60));
  return { role, method, pooled: false, poolId: null, result, sampleTs, resultTs, lab };
}

export function testResults(ctx: Context, core: PersonCore, plan: CasePlan | null): TestRecord[] {
  const i = core.index;
  const rng = new Rng(ctx.key, i, STREAM.TESTS);
  const labs = LABS_FOR_PROVINCE[livingProvince(core)]!;
  const deathDay = plan === null ? NEVER : plan.deathDay;
  const planned: Planned[] = [];

  if (plan !== null) {
    if (plan.antigen !== null) planned.push(fromPlan('A', plan.antigen, 'POSITIVE', labs.sample(rng)));
    planned.push(fromPlan(CONFIRMING_TEST_ROLE, plan.confirm, 'POSITIVE', labs.sample(rng)));
    if (plan.followUp !== null) planned.push(fromPlan('M', plan.followUp, 'POSITIVE', labs.sample(rng)));
    if (plan.discharge !== null) planned.push(fromPlan('D', plan.discharge, 'NEGATIVE', labs.sample(rng)));
  }

  const days = driveDays(ctx, i);
  if (days.length > 0) {
    const group = floor(i / POOL_GROUP_SIZE);
    const groupStart = group * POOL_GROUP_SIZE;
    const groupEnd = min(groupStart + POOL_GROUP_SIZE, ctx.size);
    for (let k = 0; k < days.length; k++) {
      const day = days[k]!;
      if (!joinsDrive(ctx, i, k) || core.birthDay > day || day >= deathDay) continue;
      // Confirmed cases are isolated until they recover.
      if (plan !== null && day > plan.detectDay && day <= plan.endDay) continue;
      const selfInfected = plan !== null && day >= plan.detectDay - 3 && day <= plan.detectDay;
      let positive = selfInfected;
      for (let j = groupStart; j < groupEnd && !positive; j++) {
        // The one-hash case check first: it rules out 96% of neighbours.
        if (j !== i && isCaseCandidate(ctx.key, j) && joinsDrive(ctx, j, k) && infectedAround(ctx, j, day)) positive = true;
      }
      // Everything shared by the pool comes from the pool's own stream.
      const pool = new Rng(ctx.key, group * 2 + k, STREAM.POOL_GROUP);
      const baseTs = day * SECONDS_PER_DAY + pool.below(8 * HOUR);
      const resultTs = baseTs + pool.between(6 * HOUR, 30 * HOUR);
      const invalid = pool.chance(0.003);
      const household = ctx.households.of(groupStart);
      const lab = LABS_FOR_PROVINCE[householdInfo(ctx, household.start).provinceIndex]!.sample(pool);
      planned.push({
        role: `P${k + 1}`,
        method: 'RT_PCR',
        pooled: true,
        poolId: `PL${base36x6(ctx.ids.poolPerm.forward(group))}-${k + 1}`,
        result: invalid ? 'INVALID' : positive ? 'POSITIVE' : 'NEGATIVE',
        sampleTs: baseTs + (i - groupStart) * 90,
        resultTs,
        lab,
      });
      if ((invalid || positive) && !selfInfected && day + 1 < deathDay) {
        const ts = (day + 1) * SECONDS_PER_DAY + rng.below(8 * HOUR);
        planned.push(single(rng, `F${k + 1}`, 'RT_PCR', ts, 'NEGATIVE', lab));
      }
    }
  }

  if (plan === null && rng.chance(0.003)) {
    // A false-positive rapid test, overturned by RT-PCR the same day.
    const day = ROUTINE_CURVE.sample(rng);
    if (day > core.birthDay) {
      const ts = day * SECONDS_PER_DAY + rng.below(8 * HOUR);
      const lab = labs.sample(rng);
      planned.push(single(rng, 'X', 'RAPID_ANTIGEN', ts, 'POSITIVE', lab));
      planned.push(single(rng, 'Y', 'RT_PCR', ts + rng.between(HOUR, 3 * HOUR), 'NEGATIVE', lab));
    }
  }

  // Optional tests give way, discharge first, so that nobody has more than the maximum.
  for (const role of OPTIONAL_ROLES) {
    if (planned.length <= MAX_TESTS_PER_PERSON) break;
    const k = planned.findIndex((p) => p.role === role);
    if (k >= 0) planned.splice(k, 1);
  }

  const routine = min(ROUTINE_COUNT.sample(rng), MAX_TESTS_PER_PERSON - planned.length);
  for (let r = 0; r < routine; r++) {
    const day = ROUTINE_CURVE.sample(rng);
    const method = rng.chance(pcrShare(day)) ? 'RT_PCR' : 'RAPID_ANTIGEN';
    const result = rng.chance(0.005) ? 'INVALID' : 'NEGATIVE';
    const ts = day * SECONDS_PER_DAY + rng.below(10 * HOUR);
    const lab = labs.sample(rng);
    // Drawn before these checks so that a skipped test does not shift the draws after it.
    // No negative test while ill, none before birth or after death.
    if (day <= core.birthDay || day >= deathDay) continue;
    if (plan !== null && day >= plan.detectDay - 1 && day <= plan.endDay) continue;
    planned.push(single(rng, `R${r + 1}`, method, ts, result, lab));
  }

  planned.sort(bySampleTime);
  const idBase = testRecordIdBase(ctx, i);
  const out: TestRecord[] = [];
  for (let k = 0; k < planned.length; k++) {
    const p = planned[k]!;
    const lab = LABS[p.lab]!;
    out.push({
      source: lab.source,
      sourceRecordId: idBase + p.role,
      personRef: rng.chance(0.9) ? citizenRef(core) : demographicRef(rng, core),
      sourceUpdatedAt: isoDateTime(p.resultTs + rng.below(1800)),
      truth: truthOf(core),
      method: p.method,
      pooled: p.pooled,
      poolId: p.poolId,
      result: p.result,
      sampledAt: isoDateTime(p.sampleTs),
      resultedAt: isoDateTime(p.resultTs),
      labId: lab.id,
      labName: lab.name,
    });
  }
  return out;
}

function bySampleTime(a: Planned, b: Planned): number {
  return a.sampleTs - b.sampleTs || (a.role < b.role ? -1 : 1);
}
