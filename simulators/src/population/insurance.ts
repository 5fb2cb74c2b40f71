import { adminTables } from './admin-units';
import { digits3 } from './digits';
import { addYears, dayOf, isoDate, isoDateTime, PERIOD_START_DAY, SECONDS_PER_DAY } from './calendar';
import type { Context, PersonCore } from './person';
import { Rng, STREAM, unit, WeightedTable } from './prng';
import { PROVINCES } from './provinces';
import { citizenRef, truthOf } from './refs';
import { communeHealthStation, districtHealthCentre, provincialHospital } from './sites';
import type { InsuranceCardRecord } from './types';

// Local aliases of Math functions: see prng.ts.
const { floor, max } = Math;

/**
 * Health insurance cards. The beneficiary group follows age the way the scheme does:
 * children under 6 (TE), pupils and students (HS), employees (DN), civil servants (HC),
 * households (GD), the poor and near-poor (HN, CN), ethnic minorities in hard areas (DT),
 * pensioners (HT), social assistance incl. the over-80 pension (BT), people with merit (CC),
 * armed forces (QN, CA). The digit after the group is the benefit level.
 */

const REFERENCE_DAY = dayOf(2022, 1, 1);
const CALENDAR_2022 = [dayOf(2022, 1, 1), dayOf(2022, 12, 31)] as const;
const FIVE_YEARS = [dayOf(2021, 1, 1), dayOf(2025, 12, 31)] as const;

interface Band {
  maxAge: number;
  coverage: number;
  groups: WeightedTable<string>;
}

const band = (maxAge: number, coverage: number, groups: ReadonlyArray<readonly [string, number]>): Band => ({
  maxAge,
  coverage,
  groups: new WeightedTable(groups),
});

const BANDS: readonly Band[] = [
  band(5, 0.99, [['TE1', 1]]),
  band(17, 0.96, [['HS4', 0.93], ['HN2', 0.03], ['DT2', 0.04]]),
  band(22, 0.88, [['HS4', 0.45], ['DN4', 0.25], ['GD4', 0.17], ['HN2', 0.05], ['DT2', 0.05], ['QN5', 0.02], ['CA5', 0.01]]),
  band(59, 0.88, [['DN4', 0.4], ['HC4', 0.08], ['GD4', 0.28], ['HN2', 0.06], ['CN3', 0.04], ['DT2', 0.08], ['QN5', 0.02], ['CA5', 0.01], ['BT2', 0.03]]),
  band(79, 0.93, [['HT3', 0.4], ['GD4', 0.3], ['HN2', 0.08], ['CC1', 0.04], ['DT2', 0.06], ['CN3', 0.04], ['BT2', 0.08]]),
  band(200, 0.98, [['BT2', 0.55], ['HT3', 0.3], ['CC1', 0.1], ['GD4', 0.05]]),
];

function bandOf(age: number): Band {
  for (const b of BANDS) if (age <= b.maxAge) return b;
  return BANDS[BANDS.length - 1]!;
}

function ageAtReference(core: PersonCore): number {
  return floor((REFERENCE_DAY - core.birthDay) / 365.25);
}

/** Whether the person holds a card (the first draw of their insurance stream). */
export function hasInsuranceCard(ctx: Context, core: PersonCore): boolean {
  return unit(ctx.key, core.index, STREAM.INSURANCE_FLAG) < bandOf(ageAtReference(core)).coverage;
}

const HS_TERMS: readonly (readonly [number, number])[] = [
  [dayOf(2021, 10, 1), dayOf(2022, 9, 30)],
  [dayOf(2022, 1, 1), dayOf(2022, 12, 31)],
];
// Annual cards starting on the first of a month from July 2021 to June 2022.
const ANNUAL_TERMS: readonly (readonly [number, number])[] = Array.from({ length: 12 }, (_, m) => {
  const from = dayOf(2021 + floor((6 + m) / 12), ((6 + m) % 12) + 1, 1);
  return [from, addYears(from, 1) - 1] as const;
});

export function insuranceCard(ctx: Context, core: PersonCore): InsuranceCardRecord | null {
  const b = bandOf(ageAtReference(core));
  if (!(unit(ctx.key, core.index, STREAM.INSURANCE_FLAG) < b.coverage)) return null;
  const rng = new Rng(ctx.key, core.index, STREAM.INSURANCE);
  const group = b.groups.sample(rng);
  const beneficiaryGroup = group.slice(0, 2);
  const benefitLevel = group.charCodeAt(2) - 48;

  let validFrom: number;
  let validTo: number;
  switch (beneficiaryGroup) {
    case 'TE':
      // Children's cards run from birth to the day before the sixth birthday.
      validFrom = core.birthDay;
      validTo = addYears(core.birthDay, 6) - 1;
      break;
    case 'HS': {
      const term = HS_TERMS[rng.chance(0.7) ? 0 : 1]!;
      validFrom = term[0];
      validTo = term[1];
      break;
    }
    case 'HT':
    case 'BT':
      validFrom = CALENDAR_2022[0];
      validTo = CALENDAR_2022[1];
      break;
    case 'CC':
      validFrom = FIVE_YEARS[0];
      validTo = FIVE_YEARS[1];
      break;
    default: {
      const term = ANNUAL_TERMS[rng.below(12)]!;
      validFrom = term[0];
      validTo = term[1];
    }
  }

  // People living away from home often register where they work.
  const t = adminTables();
  const living = core.currentProvince >= 0 && rng.chance(0.6);
  const wardIndex = living ? core.currentWard : core.permanentWard;
  const ward = t.wards[wardIndex]!;
  const provinceIndex = t.districts[ward.districtIndex]!.provinceIndex;
  const provinceCode = PROVINCES[provinceIndex]!.code;
  const firstDistrict = t.provinceFirstDistrict[provinceIndex]!;
  const districtCount = t.provinceFirstDistrict[provinceIndex + 1]! - firstDistrict;
  const u = rng.float();
  let clinicNo: number;
  let clinicName: string;
  if (u < 0.15) {
    clinicNo = 1;
    clinicName = provincialHospital(provinceIndex);
  } else if (u < 0.6) {
    clinicNo = 2 + (ward.districtIndex - firstDistrict);
    clinicName = districtHealthCentre(ward.districtIndex);
  } else {
    clinicNo = 2 + districtCount + (wardIndex - t.provinceFirstWard[provinceIndex]!);
    clinicName = communeHealthStation(wardIndex);
  }

  const socialInsuranceCode = ctx.ids.socialInsuranceCode(core.loc);
  const updatedDay = max(validFrom, PERIOD_START_DAY + 20) - rng.below(20);
  return {
    source: 'social-insurance',
    sourceRecordId: socialInsuranceCode,
    personRef: citizenRef(core),
    sourceUpdatedAt: isoDateTime(max(updatedDay, core.birthDay) * SECONDS_PER_DAY + rng.below(10 * 3600)),
    truth: truthOf(core),
    cardNumber: `${group}${provinceCode}${socialInsuranceCode}`,
    socialInsuranceCode,
    beneficiaryGroup,
    benefitLevel,
    validFrom: isoDate(validFrom),
    validTo: isoDate(validTo),
    registeredClinic: { code: provinceCode + digits3(clinicNo), name: clinicName },
  };
}
