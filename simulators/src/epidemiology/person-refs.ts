import { hash3 } from '../population/prng';
import { stripToneMarks } from '../population/names';
import { oldMobileForm } from '../population/phone';
import type { Person, PersonRef } from '../population/types';

/**
 * How the citizen app and the provinces name a person. Most records carry the citizen ID;
 * people who declared in older apps (NCOVI, Bluezone, before PC-Covid asked for the CCCD) and
 * some provincial clerks named them by the old 9-digit ID, or by name, birth date and phone as
 * typed: in capitals or without tone marks now and then, the year alone, the phone in its
 * 11-digit pre-2018 form. Whether a person is named so is a property of the person (they kept
 * their old app), fixed by the seed; the spelling varies per record.
 */

/** The share of people named without the citizen ID, in [0, 1]. */
export function namedWithoutCitizenId(key: number, p: Person, share: number): boolean {
  return share > 0 && hash3(key, p.index, 13) % 10_000 < share * 10_000;
}

/** The reference of one record of `p`, `recordSalt` varying the spelling per record. */
export function sourcePersonRef(key: number, p: Person, share: number, recordSalt: number): PersonRef {
  if (!namedWithoutCitizenId(key, p, share)) return { kind: 'CITIZEN_ID', citizenId: p.citizenId };
  const h = hash3(key, p.index, 14);
  // About a third of them kept the old ID in the app; the others gave name, birth and phone.
  if (p.oldId !== null && h % 3 === 0) return { kind: 'OLD_ID', oldId: p.oldId };
  const v = hash3(key, p.index, recordSalt) % 100;
  let fullName = p.fullName;
  if (v < 10) fullName = fullName.toUpperCase();
  else if (v < 20) fullName = stripToneMarks(fullName);
  const birthDate = v % 7 === 0 ? null : p.birthDate;
  const phone = p.phone !== null && v % 5 === 0 ? oldMobileForm(p.phone) ?? p.phone : p.phone;
  return { kind: 'DEMOGRAPHIC', fullName, birthDate, birthYear: p.birthYear, phone };
}
