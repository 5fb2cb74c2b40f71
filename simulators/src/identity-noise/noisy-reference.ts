import { oldMobileForm } from '../population/phone';
import { stripToneMarks } from '../population/names';
import { Rng } from '../population/prng';
import type { Person, Population } from '../population/types';
import type { NoiseProfile } from './noise-profile';

/** How a source named one person, with the truth kept beside it for measuring. */
export interface NoisyReference {
  recordId: string;
  fullName: string | null;
  /** `yyyy-MM-dd`, `yyyy`, or null. */
  birthDate: string | null;
  sex: 'MALE' | 'FEMALE' | null;
  phone: string | null;
  citizenId: string | null;
  oldId: string | null;
  /** The citizen ID the record really belongs to; null when the registry does not hold the person. */
  truth: string | null;
  /** Which kinds of noise were applied, for breaking errors down. */
  noise: string[];
}

const REGIONAL: Readonly<Record<string, string>> = { Huỳnh: 'Hoàng', Hoàng: 'Huỳnh', Vũ: 'Võ', Võ: 'Vũ' };
const NOISE_STREAM = 0x1d3e;
// The held-out kinds of noise draw from their own stream: the default profile's records do not change.
const HELD_OUT_STREAM = 0x1d40;
const LETTERS = 'aăâbcdđeêghiklmnoôơpqrstuưvxy';

/**
 * A record naming `person` as a source would, under the noise profile; deterministic in
 * (seed, recordIndex). `truth` is the person's citizen ID unless `inRegistry` is false.
 * Wrong IDs and household phones are drawn from the first `registrySize` persons.
 */
export function noisyReference(
  population: Population,
  person: Person,
  recordIndex: number,
  profile: NoiseProfile,
  inRegistry: boolean,
  registrySize: number,
): NoisyReference {
  const rng = new Rng(population.seed, recordIndex, NOISE_STREAM);
  const more = new Rng(population.seed, recordIndex, HELD_OUT_STREAM);
  const noise: string[] = [];
  const mark = (what: string) => noise.push(what);

  let family = person.familyName;
  let middle = person.middleName;
  if (rng.chance(profile.regionalSurname) && REGIONAL[family]) {
    family = REGIONAL[family]!;
    mark('regionalSurname');
  }
  if ((middle === 'Văn' || middle === 'Thị') && rng.chance(profile.droppedMiddleName)) {
    middle = null;
    mark('droppedMiddleName');
  }
  let middles = middle ? middle.split(' ') : [];
  if (middles.length > 0 && more.chance(profile.droppedAnyMiddleName)) {
    middles.splice(more.below(middles.length), 1);
    mark('droppedAnyMiddleName');
  }
  if (middles.length === 2 && more.chance(profile.reorderedMiddleNames)) {
    middles = [middles[1]!, middles[0]!];
    mark('reorderedMiddleNames');
  }
  let parts = [family, ...middles, person.givenName];
  if (rng.chance(profile.typo)) {
    const at = rng.below(parts.length);
    parts[at] = typo(rng, parts[at]!);
    mark('typo');
  }
  if (rng.chance(profile.swappedNameParts)) {
    parts = [...parts.slice(1), parts[0]!];
    mark('swappedNameParts');
  }
  let fullName = parts.join(' ');
  if (rng.chance(profile.droppedToneMarks)) {
    fullName = stripToneMarks(fullName);
    mark('droppedToneMarks');
  }
  if (rng.chance(profile.upperCase)) {
    fullName = fullName.toUpperCase();
    mark('upperCase');
  }

  let birthDate: string | null = person.birthDate ?? String(person.birthYear);
  if (rng.chance(profile.missingBirthDate)) {
    birthDate = null;
    mark('missingBirthDate');
  } else if (person.birthDate && rng.chance(profile.yearOnly)) {
    birthDate = String(person.birthYear);
    mark('yearOnly');
  } else if (person.birthDate && rng.chance(profile.wrongBirthDay)) {
    birthDate = wrongDay(rng, person.birthDate);
    mark('wrongBirthDay');
  }
  if (birthDate && birthDate.length === 10) {
    const [y, m, d] = birthDate.split('-') as [string, string, string];
    if (Number(d) <= 12 && d !== m && more.chance(profile.dayMonthSwapped)) {
      birthDate = `${y}-${d}-${m}`;
      mark('dayMonthSwapped');
    } else if (more.chance(profile.wrongBirthMonth)) {
      const month = ((Number(m) - 1 + (more.chance(0.5) ? 1 : 11) * more.between(1, 2)) % 12) + 1;
      birthDate = `${y}-${String(month).padStart(2, '0')}-${String(Math.min(Number(d), 28)).padStart(2, '0')}`;
      mark('wrongBirthMonth');
    }
  }

  let phone: string | null = null;
  if (person.phone && rng.chance(profile.phone)) {
    phone = person.phone;
    if (rng.chance(profile.householdPhone)) {
      const other = householdNeighbour(population, person, registrySize);
      if (other?.phone && other.phone !== person.phone) {
        phone = other.phone;
        mark('householdPhone');
      }
    }
    if (rng.chance(profile.oldPhoneForm)) {
      const old = oldMobileForm(phone);
      if (old) {
        phone = old;
        mark('oldPhoneForm');
      }
    }
  }

  let citizenId: string | null = null;
  let oldId: string | null = null;
  const u = rng.float();
  if (u < profile.citizenId) {
    citizenId = person.citizenId;
    if (rng.chance(profile.wrongId)) {
      citizenId = population.person(rng.below(registrySize)).citizenId;
      mark('wrongId');
    }
  } else if (u < profile.citizenId + profile.oldId && person.oldId) {
    oldId = person.oldId;
    mark('oldId');
  }
  if (more.chance(profile.mistypedId)) {
    if (citizenId) {
      citizenId = mistypeDigit(more, citizenId);
      mark('mistypedId');
    } else if (oldId) {
      oldId = mistypeDigit(more, oldId);
      mark('mistypedId');
    }
  }
  const sex = rng.chance(profile.sex) ? person.sex : null;
  return { recordId: `r${recordIndex}`, fullName, birthDate, sex, phone, citizenId, oldId, truth: inRegistry ? person.citizenId : null, noise };
}

function typo(rng: Rng, word: string): string {
  const chars = [...word.toLowerCase()];
  const upperFirst = word[0] !== word[0]!.toLowerCase();
  const at = rng.below(chars.length);
  switch (rng.below(4)) {
    case 0:
      chars[at] = rng.pick([...LETTERS]);
      break;
    case 1:
      if (chars.length > 2) chars.splice(at, 1);
      break;
    case 2:
      chars.splice(at, 0, chars[at]!);
      break;
    default:
      if (at + 1 < chars.length) [chars[at], chars[at + 1]] = [chars[at + 1]!, chars[at]!];
  }
  const out = chars.join('');
  return upperFirst ? out[0]!.toUpperCase() + out.slice(1) : out;
}

/** One digit replaced by another (never the same), past the province digits so the ID stays readable. */
function mistypeDigit(rng: Rng, id: string): string {
  const at = id.length === 12 ? rng.between(6, 11) : rng.below(id.length);
  const digit = (Number(id[at]) + rng.between(1, 9)) % 10;
  return id.slice(0, at) + String(digit) + id.slice(at + 1);
}

function wrongDay(rng: Rng, iso: string): string {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  if (d <= 12 && m !== d && rng.chance(0.3)) return `${y}-${String(d).padStart(2, '0')}-${String(m).padStart(2, '0')}`;
  const date = new Date(Date.UTC(y, m - 1, d + (rng.chance(0.5) ? 1 : -1) * rng.between(1, 3)));
  return date.toISOString().slice(0, 10);
}

function householdNeighbour(population: Population, person: Person, size: number): Person | null {
  for (const j of [person.index - 1, person.index + 1]) {
    if (j < 0 || j >= size) continue;
    const other = population.person(j);
    if (other.householdId === person.householdId) return other;
  }
  return null;
}
