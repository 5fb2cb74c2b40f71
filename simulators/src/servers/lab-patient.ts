import type { Population, TestRecord } from '../population/types';

/** What a lab wrote down about the person it sampled, the same for the FHIR and CSV feeds. */
export interface LabPatient {
  /** 12-digit CCCD when the lab recorded it, else null. */
  citizenId: string | null;
  /** As typed by the lab (a demographic reference may be in capitals or without tone marks). */
  fullName: string;
  familyName: string;
  /** Middle and given names, in order. */
  givenNames: string[];
  /** yyyy-mm-dd, or null when the lab has only the year. */
  birthDate: string | null;
  birthYear: number;
  phone: string | null;
}

/**
 * The lab's patient behind a test record. A record naming the person by CCCD carries the
 * registry's spelling (the lab read it off the ID card); a demographic reference carries what
 * the clerk typed, split family name first.
 */
export function labPatient(record: TestRecord, population: Population): LabPatient {
  const ref = record.personRef;
  if (ref.kind === 'DEMOGRAPHIC') {
    const [familyName = '', ...givenNames] = ref.fullName.split(' ');
    return { citizenId: null, fullName: ref.fullName, familyName, givenNames, birthDate: ref.birthDate, birthYear: ref.birthYear, phone: ref.phone };
  }
  const person = population.person(record.truth.personIndex);
  return {
    citizenId: ref.kind === 'CITIZEN_ID' ? ref.citizenId : null,
    fullName: person.fullName,
    familyName: person.familyName,
    givenNames: person.middleName === null ? [person.givenName] : [...person.middleName.split(' '), person.givenName],
    birthDate: person.birthDate,
    birthYear: person.birthYear,
    phone: person.phone,
  };
}
