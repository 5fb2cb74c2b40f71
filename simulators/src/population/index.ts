import { IdentityCodec } from './citizen-id';
import { cases } from './cases';
import { casePlan, type CasePlan } from './epidemic';
import { Households } from './household';
import { insuranceCard } from './insurance';
import { computeCore, type Context, type PersonCore, toPerson } from './person';
import { seedKey } from './prng';
import { testResults } from './tests';
import type {
  CaseRecord,
  InsuranceCardRecord,
  Person,
  Population,
  PopulationOptions,
  TestRecord,
  VaccinationRecord,
} from './types';
import { vaccinations } from './vaccinations';

// Local alias of Math.floor: see prng.ts.
const { floor } = Math;

/** Seed used when PopulationOptions.seed is omitted. */
export const DEFAULT_SEED = 2021;
/** Largest population size: the CCCD construction has room for 10^8 people. */
export const MAX_POPULATION_SIZE = 100_000_000;

class SyntheticPopulation implements Population {
  private readonly ctx: Context;
  // One-entry caches: callers usually ask for a person and then their records.
  private core: PersonCore | null = null;
  private planIndex = -1;
  private plan: CasePlan | null = null;

  constructor(
    readonly seed: number,
    readonly size: number,
  ) {
    const key = seedKey(seed);
    this.ctx = { seed, key, size, ids: new IdentityCodec(key), households: new Households(key, size), householdMemo: null, householdMemo2: null };
  }

  private coreOf(i: number): PersonCore {
    if (!(i >= 0 && i < this.size && floor(i) === i)) {
      throw new RangeError(`index must be an integer in [0, ${this.size - 1}], got ${String(i)}`);
    }
    const cached = this.core;
    if (cached !== null && cached.index === i) return cached;
    const core = computeCore(this.ctx, i);
    this.core = core;
    return core;
  }

  private planOf(core: PersonCore): CasePlan | null {
    if (this.planIndex !== core.index) {
      this.plan = casePlan(this.ctx, core);
      this.planIndex = core.index;
    }
    return this.plan;
  }

  person(i: number): Person {
    return toPerson(this.coreOf(i));
  }

  vaccinations(i: number): VaccinationRecord[] {
    const core = this.coreOf(i);
    return vaccinations(this.ctx, core, this.planOf(core));
  }

  testResults(i: number): TestRecord[] {
    const core = this.coreOf(i);
    return testResults(this.ctx, core, this.planOf(core));
  }

  insuranceCard(i: number): InsuranceCardRecord | null {
    return insuranceCard(this.ctx, this.coreOf(i));
  }

  cases(i: number): CaseRecord[] {
    const core = this.coreOf(i);
    return cases(this.ctx, core, this.planOf(core));
  }

  findByCitizenId(citizenId: string): number | null {
    const i = this.ctx.ids.indexOfCitizenId(citizenId);
    return i === null || i >= this.size ? null : i;
  }
}

/**
 * Creates a population of `size` people from `seed`. Nothing is generated up front: each
 * method computes person i's data on demand in constant time.
 * @throws RangeError naming the field when seed or size is invalid.
 */
export function createPopulation(options: PopulationOptions): Population {
  if (options === null || typeof options !== 'object') throw new RangeError('options must be an object with a size');
  const { size } = options;
  const seed = options.seed ?? DEFAULT_SEED;
  if (typeof seed !== 'number' || !Number.isSafeInteger(seed)) {
    throw new RangeError(`seed must be a safe integer, got ${String(seed)}`);
  }
  if (typeof size !== 'number' || !Number.isInteger(size) || size < 1 || size > MAX_POPULATION_SIZE) {
    throw new RangeError(`size must be an integer in [1, ${MAX_POPULATION_SIZE}], got ${String(size)}`);
  }
  return new SyntheticPopulation(seed, size);
}
