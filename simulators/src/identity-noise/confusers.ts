import { sampleGivenName } from '../population/names';
import { samplePhone } from '../population/phone';
import { Rng } from '../population/prng';
import type { Person, Population } from '../population/types';
import type { NoiseProfile } from './noise-profile';

const CONFUSER_STREAM = 0x1d3f;

/**
 * The hardest people to tell apart, added to a registry built from `population`: for a
 * share of persons, a twin (same family and middle name, birth date, household and phone,
 * another given name) and a namesake (same full name, birth year and province of birth
 * registration; another day, phone and household). Deterministic in the seed. Each confuser
 * has a citizen ID of its own whose digits encode its sex and birth year; IDs already in use
 * (`taken`) are never reused.
 */
export function confusersOf(population: Population, person: Person, profile: NoiseProfile, taken: Set<string>): Person[] {
  const rng = new Rng(population.seed, person.index, CONFUSER_STREAM);
  const out: Person[] = [];
  if (rng.chance(profile.twins)) {
    const sex = rng.chance(0.5) ? 'MALE' : 'FEMALE';
    let given = sampleGivenName(rng, sex === 'MALE' ? 0 : 1);
    for (let tries = 0; given === person.givenName && tries < 5; tries++) given = sampleGivenName(rng, sex === 'MALE' ? 0 : 1);
    if (given !== person.givenName) {
      const twin = confuser(rng, person, taken, sex, { givenName: given, birthDate: person.birthDate, phone: person.phone, householdId: person.householdId, addresses: person.addresses });
      if (twin) out.push(twin);
    }
  }
  if (rng.chance(profile.namesakes)) {
    const day = 1 + rng.below(365);
    const date = new Date(Date.UTC(person.birthYear, 0, day)).toISOString().slice(0, 10);
    const birthDate = date.startsWith(String(person.birthYear)) && date !== person.birthDate ? date : null;
    const namesake = confuser(rng, person, taken, person.sex, {
      givenName: person.givenName, birthDate, phone: samplePhone(rng), householdId: `${person.householdId}-n`, addresses: person.addresses,
    });
    if (namesake) out.push(namesake);
  }
  return out;
}

function confuser(
  rng: Rng,
  like: Person,
  taken: Set<string>,
  sex: 'MALE' | 'FEMALE',
  what: Pick<Person, 'givenName' | 'birthDate' | 'phone' | 'householdId' | 'addresses'>,
): Person | null {
  const century = like.birthYear >= 2000 ? 2 : 0;
  const prefix = `0${like.provinceCode}${century + (sex === 'FEMALE' ? 1 : 0)}${String(like.birthYear % 100).padStart(2, '0')}`;
  for (let tries = 0; tries < 10; tries++) {
    const citizenId = prefix + String(rng.below(1_000_000)).padStart(6, '0');
    if (taken.has(citizenId)) continue;
    taken.add(citizenId);
    const fullName = [like.familyName, like.middleName, what.givenName].filter(Boolean).join(' ');
    return { ...like, ...what, index: -1, citizenId, oldId: null, sex, fullName };
  }
  return null;
}
