import { dayOf, HORIZON_DAY, HORIZON_TS, isoDate, isoDateTime, monthOfDay, SECONDS_PER_DAY, yearOfDay } from './calendar';
import { DayCurve } from './curves';
import { base36x6 } from './digits';
import { type CasePlan, NEVER } from './epidemic';
import { hasInsuranceCard } from './insurance';
import { adminTables } from './admin-units';
import { type Context, livingProvince, livingWard, type PersonCore } from './person';
import { Rng, STREAM, WeightedTable } from './prng';
import { PROVINCE_ZONE, PROVINCES } from './provinces';
import { citizenRef, demographicRef, truthOf } from './refs';
import { vaccinationSite } from './sites';
import type { PersonRef, VaccinationRecord, VaccineProduct } from './types';
import { BOOSTER_MIN_INTERVAL_DAYS, lotCode, LOTS_PER_MONTH, SECOND_BOOSTER_MIN_INTERVAL_DAYS, VACCINE_INDEX, VACCINES } from './vaccines';

// Local aliases of Math functions: see prng.ts.
const { floor, min, max } = Math;

/**
 * The campaign as it ran: from 8 March 2021 for priority groups, the mass campaign from
 * July 2021 (the south first, where the Delta wave hit), 12–17-year-olds from late October
 * 2021, boosters from late 2021, children 5–11 from April 2022, second boosters for the
 * over-50s from late May 2022. The product depended on what had arrived by then.
 */

const d = dayOf;
const CAMPAIGN_START = d(2021, 3, 8);

// Adults' first dose, by zone (north, central, south).
const ADULT_FIRST_DOSE: readonly DayCurve[] = [
  [15, 28, 25, 15, 5, 1.5],
  [10, 20, 32, 20, 8, 2],
  [30, 25, 14, 10, 6, 1.5],
].map(
  ([summer, sep, octNov, dec, q1, q2]) =>
    new DayCurve([
      [CAMPAIGN_START, d(2021, 5, 31), 4 / 85],
      [d(2021, 6, 1), d(2021, 7, 15), 8 / 45],
      [d(2021, 7, 16), d(2021, 8, 31), summer! / 47],
      [d(2021, 9, 1), d(2021, 9, 30), sep! / 30],
      [d(2021, 10, 1), d(2021, 11, 15), octNov! / 46],
      [d(2021, 11, 16), d(2021, 12, 31), dec! / 46],
      [d(2022, 1, 1), d(2022, 3, 31), q1! / 90],
      [d(2022, 4, 1), HORIZON_DAY, q2! / 91],
    ]),
);
const TEEN_FIRST_DOSE = new DayCurve([
  [d(2021, 10, 27), d(2021, 11, 30), 6 / 35],
  [d(2021, 12, 1), d(2022, 1, 31), 3 / 62],
  [d(2022, 2, 1), d(2022, 4, 30), 0.5 / 89],
]);
const CHILD_FIRST_DOSE = new DayCurve([
  [d(2022, 4, 14), d(2022, 5, 31), 5 / 48],
  [d(2022, 6, 1), HORIZON_DAY, 1.5 / 30],
]);

type Mix = WeightedTable<number>;
const mix = (rows: ReadonlyArray<readonly [VaccineProduct, number]>): Mix =>
  new WeightedTable(rows.map(([p, w]) => [VACCINE_INDEX[p], w] as const));

// Primary-series product by the date of the first dose: what had been delivered by then.
const PRIMARY_MIX: ReadonlyArray<readonly [untilDay: number, mix: Mix]> = [
  [d(2021, 6, 14), mix([['Vaxzevria', 96], ['Vero Cell', 4]])],
  [d(2021, 7, 31), mix([['Vaxzevria', 45], ['Vero Cell', 25], ['Spikevax', 15], ['Comirnaty', 10], ['Sputnik V', 5]])],
  [d(2021, 9, 30), mix([['Vero Cell', 38], ['Vaxzevria', 32], ['Comirnaty', 12], ['Spikevax', 8], ['Sputnik V', 4], ['Hayat-Vax', 4], ['Abdala', 2]])],
  [d(2021, 12, 31), mix([['Vero Cell', 28], ['Comirnaty', 26], ['Vaxzevria', 25], ['Spikevax', 7], ['Abdala', 8], ['Hayat-Vax', 3], ['Sputnik V', 1], ['Covaxin', 2]])],
  [Infinity, mix([['Comirnaty', 35], ['Vaxzevria', 30], ['Vero Cell', 18], ['Spikevax', 10], ['Abdala', 4], ['Covaxin', 3]])],
];
const TEEN_MIX = mix([['Comirnaty', 92], ['Spikevax', 8]]);
const CHILD_MIX = mix([['Comirnaty', 70], ['Spikevax', 30]]);
const BOOSTER_MIX = mix([['Comirnaty', 40], ['Spikevax', 30], ['Vaxzevria', 30]]);
const SECOND_BOOSTER_MIX = mix([['Comirnaty', 50], ['Spikevax', 50]]);

const BOOSTERS_FROM = d(2021, 11, 20);
const SECOND_BOOSTERS_FROM = d(2022, 5, 21);

interface Dose {
  vaccine: number;
  day: number;
}

function primaryMix(day: number): Mix {
  for (const [until, m] of PRIMARY_MIX) if (day <= until) return m;
  return PRIMARY_MIX[PRIMARY_MIX.length - 1]![1];
}

/** Adds the rest of the primary series after a first dose, each dose with some drop-out. */
function primarySeries(rng: Rng, doses: Dose[], vaccine: number, firstDay: number, completion: number): boolean {
  const v = VACCINES[vaccine]!;
  doses.push({ vaccine, day: firstDay });
  let day = firstDay;
  for (let k = 2; k <= v.primaryDoses; k++) {
    day += rng.between(v.minIntervalDays, v.maxIntervalDays);
    if (day > HORIZON_DAY || !rng.chance(completion)) return false;
    doses.push({ vaccine, day });
  }
  return true;
}

function plannedDoses(rng: Rng, core: PersonCore, zone: number): Dose[] {
  const doses: Dose[] = [];
  const y = core.birthYear;
  if (y <= 2003) {
    const age = 2021 - y;
    if (!rng.chance(age >= 80 ? 0.82 : 0.93)) return doses;
    const first = ADULT_FIRST_DOSE[zone]!.sample(rng);
    const vaccine = primaryMix(first).sample(rng);
    if (!primarySeries(rng, doses, vaccine, first, 0.94)) return doses;
    if (!rng.chance(age >= 50 ? 0.8 : 0.7)) return doses;
    const last = doses[doses.length - 1]!.day;
    // Most people came in the first weeks they were eligible; a tail came much later.
    const booster = max(BOOSTERS_FROM, last + BOOSTER_MIN_INTERVAL_DAYS) + floor(rng.float() * rng.float() * 120);
    if (booster > HORIZON_DAY) return doses;
    const boosterVaccine = BOOSTER_MIX.sample(rng);
    doses.push({ vaccine: boosterVaccine, day: booster });
    // Abdala's three primary doses already make the booster dose 4: no further dose.
    if (age < 50 || doses.length >= 4 || !rng.chance(0.3)) return doses;
    const second = max(SECOND_BOOSTERS_FROM, booster + SECOND_BOOSTER_MIN_INTERVAL_DAYS) + rng.below(40);
    if (second <= HORIZON_DAY) doses.push({ vaccine: SECOND_BOOSTER_MIX.sample(rng), day: second });
  } else if (y <= 2009) {
    if (!rng.chance(0.94)) return doses;
    const first = TEEN_FIRST_DOSE.sample(rng);
    primarySeries(rng, doses, TEEN_MIX.sample(rng), first, 0.95);
  } else if (y <= 2016) {
    if (!rng.chance(0.55)) return doses;
    const first = CHILD_FIRST_DOSE.sample(rng);
    primarySeries(rng, doses, CHILD_MIX.sample(rng), first, 0.9);
  }
  return doses;
}

function vaccinationRef(rng: Rng, ctx: Context, core: PersonCore): PersonRef {
  const u = rng.float();
  if (u < 0.8) return citizenRef(core);
  if (u < 0.9) return core.oldId !== null ? { kind: 'OLD_ID', oldId: core.oldId } : citizenRef(core);
  if (u < 0.95) {
    return hasInsuranceCard(ctx, core) ? { kind: 'INSURANCE', socialInsuranceCode: ctx.ids.socialInsuranceCode(core.loc) } : citizenRef(core);
  }
  return demographicRef(rng, core);
}

export function vaccinations(ctx: Context, core: PersonCore, plan: CasePlan | null): VaccinationRecord[] {
  const rng = new Rng(ctx.key, core.index, STREAM.VACCINATION);
  const province = livingProvince(core);
  const doses = plannedDoses(rng, core, PROVINCE_ZONE[province]!);
  if (doses.length === 0) return [];
  const deathDay = plan === null ? NEVER : plan.deathDay;
  const wardIndex = livingWard(core);
  const provinceCode = PROVINCES[province]!.code;
  // Where the person lives, as they tell the platform (no draw from the generator: other records stay as they were).
  const ward = adminTables().wards[wardIndex]!;
  const residentWardCode = ward.code;
  const residentDistrictCode = adminTables().districts[ward.districtIndex]!.code;
  const idBase = `VX${base36x6(ctx.ids.vaccinationPerm.forward(core.index))}-`;
  const out: VaccinationRecord[] = [];
  let site = '';
  for (let k = 0; k < doses.length; k++) {
    const dose = doses[k]!;
    if (dose.day >= deathDay) break;
    const v = VACCINES[dose.vaccine]!;
    const ageYears = floor((dose.day - core.birthDay) / 365.25);
    // Most people go back to the same site for the next dose.
    if (k === 0 || rng.chance(0.3)) site = vaccinationSite(rng, wardIndex, ageYears);
    const givenTs = dose.day * SECONDS_PER_DAY + 1800 + rng.below(9 * 3600);
    const enteredTs = min(givenTs + rng.between(600, 3 * SECONDS_PER_DAY), HORIZON_TS);
    out.push({
      source: 'vaccination-platform',
      sourceRecordId: idBase + (k + 1),
      personRef: vaccinationRef(rng, ctx, core),
      sourceUpdatedAt: isoDateTime(enteredTs),
      truth: truthOf(core),
      doseNumber: k + 1,
      vaccine: v.product,
      manufacturer: v.manufacturer,
      lot: lotCode(dose.vaccine, yearOfDay(dose.day), monthOfDay(dose.day), rng.below(LOTS_PER_MONTH)),
      administeredOn: isoDate(dose.day),
      siteName: site,
      siteProvinceCode: provinceCode,
      residentDistrictCode,
      residentWardCode,
    });
  }
  return out;
}
