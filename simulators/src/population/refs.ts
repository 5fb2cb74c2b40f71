import { isoDate } from './calendar';
import { stripToneMarks } from './names';
import type { PersonCore } from './person';
import { oldMobileForm } from './phone';
import type { Rng } from './prng';
import type { GroundTruth, PersonRef } from './types';

/**
 * How sources name people. A demographic reference is what a clerk typed: mostly the
 * registry's spelling, sometimes in capitals or without tone marks, sometimes with only the
 * birth year, or with the pre-2018 11-digit form of the phone.
 */

export function truthOf(core: PersonCore): GroundTruth {
  return { personIndex: core.index, citizenId: core.citizenId };
}

export function citizenRef(core: PersonCore): PersonRef {
  return { kind: 'CITIZEN_ID', citizenId: core.citizenId };
}

export function demographicRef(rng: Rng, core: PersonCore): PersonRef {
  const u = rng.float();
  let fullName = core.fullName;
  if (u < 0.08) fullName = fullName.toUpperCase();
  else if (u < 0.12) fullName = stripToneMarks(fullName);
  else if (u < 0.15) fullName = stripToneMarks(fullName).toUpperCase();
  const birthDate = core.birthDateKnown && !rng.chance(0.1) ? isoDate(core.birthDay) : null;
  let phone = core.phone;
  const v = rng.float();
  if (phone !== null) {
    if (v < 0.08) phone = oldMobileForm(phone) ?? phone;
    else if (v < 0.13) phone = null;
  }
  return { kind: 'DEMOGRAPHIC', fullName, birthDate, birthYear: core.birthYear, phone };
}
