import { dayOf, isoDateTime } from './calendar';
import type { CasePlan } from './epidemic';
import type { Context, PersonCore } from './person';
import { Rng, STREAM } from './prng';
import { CENTRAL_CITIES, PROVINCES } from './provinces';
import { citizenRef, truthOf } from './refs';
import { provinceLabel, provincialHospital } from './sites';
import { CONFIRMING_TEST_ROLE, testRecordIdBase } from './tests';
import type { CaseRecord } from './types';

/**
 * F0 case records. Where a case was treated changed over the period: hospitals and field
 * hospitals through most of 2021, then home treatment (from autumn 2021 in Hồ Chí Minh City,
 * everywhere during the Omicron wave); the dying were in intensive care.
 */

const HOME_TREATMENT_HCMC_FROM = dayOf(2021, 8, 15);
const HOME_TREATMENT_FROM = dayOf(2021, 11, 15);

function treatmentPlace(rng: Rng, plan: CasePlan): string {
  const code = PROVINCES[plan.provinceIndex]!.code;
  const label = provinceLabel(plan.provinceIndex);
  const severe = plan.status === 'DECEASED' || (plan.ageYears >= 65 && rng.chance(0.3));
  if (severe) {
    if (code === '79') return rng.chance(0.5) ? 'Bệnh viện Hồi sức COVID-19' : 'Bệnh viện Bệnh Nhiệt đới Thành phố Hồ Chí Minh';
    if (code === '01') return 'Bệnh viện Bệnh Nhiệt đới Trung ương cơ sở 2';
    return provincialHospital(plan.provinceIndex);
  }
  const home =
    plan.detectDay >= HOME_TREATMENT_FROM ? 0.8 : code === '79' && plan.detectDay >= HOME_TREATMENT_HCMC_FROM ? 0.45 : 0;
  const u = rng.float();
  if (u < home) return 'Điều trị tại nhà';
  const v = rng.float();
  if (v < 0.4) return `Bệnh viện dã chiến số ${rng.between(1, CENTRAL_CITIES.has(code) ? 16 : 4)} ${label}`;
  if (v < 0.7) return provincialHospital(plan.provinceIndex);
  if (v < 0.85) return `Bệnh viện Phổi ${label}`;
  return `Khu cách ly điều trị tập trung ${label}`;
}

export function cases(ctx: Context, core: PersonCore, plan: CasePlan | null): CaseRecord[] {
  if (plan === null) return [];
  const rng = new Rng(ctx.key, core.index, STREAM.CASE_DETAIL);
  const caseCode = `BN${ctx.ids.casePerm.forward(core.index) + 1}`;
  return [
    {
      source: 'case-management',
      sourceRecordId: caseCode,
      personRef: citizenRef(core),
      sourceUpdatedAt: isoDateTime(plan.statusTs),
      truth: truthOf(core),
      caseCode,
      confirmedAt: isoDateTime(plan.confirmedTs),
      status: plan.status,
      treatmentPlace: treatmentPlace(rng, plan),
      provinceCode: PROVINCES[plan.provinceIndex]!.code,
      confirmingTestRecordId: testRecordIdBase(ctx, core.index) + CONFIRMING_TEST_ROLE,
    },
  ];
}
