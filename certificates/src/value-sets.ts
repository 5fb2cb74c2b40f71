import diseaseAgentTargeted from './data/value-sets/disease-agent-targeted.json';
import vaccineProphylaxis from './data/value-sets/vaccine-prophylaxis.json';
import vaccineMedicinalProduct from './data/value-sets/vaccine-medicinal-product.json';
import vaccineMahManf from './data/value-sets/vaccine-mah-manf.json';
import testType from './data/value-sets/test-type.json';
import testResult from './data/value-sets/test-result.json';
import countryCodes from './data/value-sets/country-2-codes.json';
import testManufacturer from './data/value-sets/test-manf.json';
import hubVaccineCodes from './data/hub-vaccine-codes.json';
import { CertificateErrors, certificateError } from './errors';

/** One EU DCC value set as published: `valueSetValues` keyed by code. */
export interface ValueSet {
  valueSetId: string;
  valueSetDate: string;
  valueSetValues: Record<string, { display: string; lang: string; active: boolean; system: string; version: string }>;
}

/** The EU DCC value sets the hub issues and checks with, kept as data files under `data/value-sets/`. */
export const VALUE_SETS = {
  diseaseAgentTargeted: diseaseAgentTargeted as ValueSet,
  vaccineProphylaxis: vaccineProphylaxis as ValueSet,
  vaccineMedicinalProduct: vaccineMedicinalProduct as ValueSet,
  vaccineMahManf: vaccineMahManf as ValueSet,
  testType: testType as ValueSet,
  testResult: testResult as ValueSet,
  /** ISO 3166 alpha-2: `co` of every entry. */
  countryCodes: countryCodes as ValueSet,
  /** Rapid antigen test devices (JRC database): `ma` of a test entry. */
  testManufacturer: testManufacturer as ValueSet,
} as const;

/** Which version of each value set the hub checks with: its id and date, as the file says. */
export const VALUE_SET_VERSIONS: Readonly<Record<keyof typeof VALUE_SETS, string>> = Object.freeze(
  Object.fromEntries(Object.entries(VALUE_SETS).map(([name, set]) => [name, `${set.valueSetId} ${set.valueSetDate}`])) as Record<keyof typeof VALUE_SETS, string>,
);

/** COVID-19 (SNOMED CT), the only disease the hub certifies. */
export const COVID_19 = '840539006';
/** Test types: nucleic acid amplification (RT-PCR) and rapid antigen. */
export const TEST_TYPE = { NAAT: 'LP6464-4', RAT: 'LP217198-3' } as const;
/** Test results. */
export const TEST_RESULT = { NOT_DETECTED: '260415000', DETECTED: '260373001' } as const;

/** EU codes of one vaccine product. */
export interface VaccineCodes {
  /** vaccine-medicinal-product */
  mp: string;
  /** vaccine-mah-manf: marketing authorisation holder, else manufacturer */
  ma: string;
  /** vaccine-prophylaxis */
  vp: string;
}

const { $comment: _comment, ...codesByProduct } = hubVaccineCodes;

/** The hub's vaccine products (enum `VaccineProduct`) in EU codes, from `data/hub-vaccine-codes.json`. */
export const HUB_VACCINE_CODES: Readonly<Record<string, VaccineCodes>> = Object.freeze(codesByProduct);

/** The EU codes of a hub vaccine product; HUB_CERT_NO_EU_CODE when it has none. */
export function vaccineCodes(product: string): VaccineCodes {
  const codes = HUB_VACCINE_CODES[product];
  if (!codes) {
    throw certificateError(CertificateErrors.NO_EU_CODE, `Vaccine product ${product} has no EU DCC code; no certificate can name it`, { product });
  }
  return codes;
}

/** Whether `code` is in `set`. */
export function inValueSet(set: ValueSet, code: string): boolean {
  return Object.hasOwn(set.valueSetValues, code);
}
