/** Public record shapes of the synthetic population. */

/** Sex as recorded by the population registry. */
export type Sex = 'MALE' | 'FEMALE';

/** An address with official-format administrative codes (district and ward codes are synthetic). */
export interface Address {
  kind: 'PERMANENT' | 'CURRENT';
  /** 2 digits. */
  provinceCode: string;
  /** 3 digits. */
  districtCode: string;
  /** 5 digits. */
  wardCode: string;
  /** House number and street, or hamlet, in Vietnamese. */
  line: string;
}

/** A person as the population registry knows them. */
export interface Person {
  index: number;
  /** 12-digit CCCD, unique across the whole population. */
  citizenId: string;
  /** 9-digit CMND for most people born 2007 or earlier, unique; null otherwise. */
  oldId: string | null;
  familyName: string;
  middleName: string | null;
  givenName: string;
  /** "familyName middleName givenName", NFC, with tone marks. */
  fullName: string;
  sex: Sex;
  /** ISO yyyy-mm-dd; null for ~3% of people where only the year is known. */
  birthDate: string | null;
  birthYear: number;
  /** Current 10-digit mobile form; null for ~10%. */
  phone: string | null;
  /** 2-digit province of birth registration; the CCCD starts with "0" + this. */
  provinceCode: string;
  /** PERMANENT always; CURRENT for ~30% (living elsewhere). */
  addresses: Address[];
  /** Shared by the members of one household, who share the permanent address. */
  householdId: string;
  /** ISO datetime Z between 2021-01-01 and 2022-06-30. */
  updatedAt: string;
}

/** How a source names a person. */
export type PersonRef =
  | { kind: 'CITIZEN_ID'; citizenId: string }
  | { kind: 'OLD_ID'; oldId: string }
  | { kind: 'INSURANCE'; socialInsuranceCode: string }
  | { kind: 'DEMOGRAPHIC'; fullName: string; birthDate: string | null; birthYear: number; phone: string | null };

/** Who a source record really belongs to; for identity-resolution tests only, never for linking. */
export interface GroundTruth {
  personIndex: number;
  citizenId: string;
}

/** Fields every source record carries. */
export interface SourceRecordBase {
  source: string;
  /** Unique within the source across the whole population. */
  sourceRecordId: string;
  personRef: PersonRef;
  /** ISO datetime Z. */
  sourceUpdatedAt: string;
  truth: GroundTruth;
}

/** COVID-19 vaccine products used in Vietnam. */
export type VaccineProduct = 'Comirnaty' | 'Vaxzevria' | 'Spikevax' | 'Vero Cell' | 'Sputnik V' | 'Abdala' | 'Hayat-Vax' | 'Covaxin';

/** One administered dose, as the vaccination platform records it. */
export interface VaccinationRecord extends SourceRecordBase {
  source: 'vaccination-platform';
  /** 1, 2, 3 (booster or Abdala's third primary dose), 4. */
  doseNumber: number;
  vaccine: VaccineProduct;
  manufacturer: string;
  lot: string;
  /** ISO date. */
  administeredOn: string;
  siteName: string;
  siteProvinceCode: string;
  /** District and ward (official-structure codes) where the person lives, as they tell the platform. */
  residentDistrictCode: string;
  residentWardCode: string;
}

/** One sample and its result, as a lab feed reports it. */
export interface TestRecord extends SourceRecordBase {
  source: 'lab-fhir' | 'lab-csv';
  method: 'RT_PCR' | 'RAPID_ANTIGEN';
  /** RT-PCR on a pooled sample (several people in one tube). */
  pooled: boolean;
  /** Shared by the records of the people in one pool. */
  poolId: string | null;
  /** For a pooled sample, the pool's result. */
  result: 'POSITIVE' | 'NEGATIVE' | 'INVALID';
  sampledAt: string;
  resultedAt: string;
  labId: string;
  labName: string;
}

/** The person's current health insurance card, as social insurance returns it. */
export interface InsuranceCardRecord extends SourceRecordBase {
  source: 'social-insurance';
  /** 15 chars: group (2 letters) + benefit level (1 digit) + issuing province (2) + social insurance code (10). */
  cardNumber: string;
  /** 10 digits, unique, lifelong. */
  socialInsuranceCode: string;
  beneficiaryGroup: string;
  benefitLevel: number;
  validFrom: string;
  validTo: string;
  /** Initial registered clinic (KCB ban đầu); code is province (2) + 3 digits. */
  registeredClinic: { code: string; name: string };
}

/** An F0 case, as case management records it. */
export interface CaseRecord extends SourceRecordBase {
  source: 'case-management';
  /** "BN" + number, unique. */
  caseCode: string;
  /** At or after the confirming test's resultedAt. */
  confirmedAt: string;
  status: 'UNDER_TREATMENT' | 'RECOVERED' | 'DECEASED' | 'TRANSFERRED';
  treatmentPlace: string;
  provinceCode: string;
  /** sourceRecordId of the confirming positive TestRecord. */
  confirmingTestRecordId: string | null;
}

/** Options of createPopulation. */
export interface PopulationOptions {
  /** Any safe integer; default 2021. */
  seed?: number;
  /** 1 .. 100_000_000. */
  size: number;
}

/** A synthetic population: every method is a pure function of (seed, i). */
export interface Population {
  readonly seed: number;
  readonly size: number;
  person(i: number): Person;
  vaccinations(i: number): VaccinationRecord[];
  testResults(i: number): TestRecord[];
  /** ~90% of people have one. */
  insuranceCard(i: number): InsuranceCardRecord | null;
  /** ~4% of people have one; every case has a POSITIVE test of that person at or before it. */
  cases(i: number): CaseRecord[];
  /** Inverse of person(i).citizenId; null if the id is not one of this population's. */
  findByCitizenId(citizenId: string): number | null;
}
