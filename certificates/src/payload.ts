import { icaoTransliterate } from './transliteration';
import { COVID_19, TEST_RESULT, TEST_TYPE, vaccineCodes } from './value-sets';
import { CertificateErrors, certificateError } from './errors';

/** Schema version of the payloads the hub issues. */
export const DCC_SCHEMA_VERSION = '1.3.0';

/** Names as the DCC carries them: surname(s) first, then forename(s), each with its ICAO form. */
export interface DccName { fn?: string; fnt: string; gn?: string; gnt?: string }
export interface VaccinationEntry { tg: string; vp: string; mp: string; ma: string; dn: number; sd: number; dt: string; co: string; is: string; ci: string }
export interface TestEntry { tg: string; tt: string; nm?: string; ma?: string; sc: string; tr: string; tc: string; co: string; is: string; ci: string }
export interface RecoveryEntry { tg: string; fr: string; co: string; is: string; df: string; du: string; ci: string }

/** The health certificate payload (`hcert` claim, key 1) of EU DCC schema 1.3. */
export interface DccPayload {
  ver: string;
  nam: DccName;
  dob: string;
  v?: [VaccinationEntry];
  t?: [TestEntry];
  r?: [RecoveryEntry];
}

/** The person, as the registry holds them. */
export interface CertificateHolder {
  familyName: string;
  middleName?: string | null;
  givenName: string;
  /** Full date when known, else the year alone is certified. */
  birthDate?: string | null;
  birthYear: number;
}

/** Who certifies: country (ISO 3166 alpha-2) and issuer name as printed in `is`. */
export interface IssuerIdentity { country: string; issuerName: string }

export function dccName(holder: CertificateHolder): DccName {
  // Vietnamese names: the family name is the DCC surname; middle and given names are forenames.
  const forenames = [holder.middleName, holder.givenName].filter((part): part is string => !!part && part.trim() !== '').join(' ');
  return { fn: holder.familyName, fnt: icaoTransliterate(holder.familyName), gn: forenames, gnt: icaoTransliterate(forenames) };
}

function dccBirthDate(holder: CertificateHolder): string {
  return holder.birthDate ?? String(holder.birthYear);
}

/** The dose a vaccination certificate states, with the length of its primary series. */
export interface CertifiedDose {
  vaccine: string;
  doseNumber: number;
  /** Doses of the series the dose belongs to: the primary series' length, or the dose number itself for a booster. */
  seriesDoses: number;
  administeredOn: string;
}

export function vaccinationPayload(holder: CertificateHolder, dose: CertifiedDose, issuer: IssuerIdentity, uvci: string): DccPayload {
  const codes = vaccineCodes(dose.vaccine);
  return {
    ver: DCC_SCHEMA_VERSION,
    nam: dccName(holder),
    dob: dccBirthDate(holder),
    v: [{
      tg: COVID_19, vp: codes.vp, mp: codes.mp, ma: codes.ma,
      dn: dose.doseNumber, sd: dose.seriesDoses, dt: dose.administeredOn,
      co: issuer.country, is: issuer.issuerName, ci: uvci,
    }],
  };
}

/** A test the hub certifies. */
export interface CertifiedTest {
  method: 'RT_PCR' | 'RAPID_ANTIGEN';
  result: 'POSITIVE' | 'NEGATIVE' | 'INVALID';
  sampledAt: string;
  /** Name of the lab (the testing centre). */
  centre: string;
}

export function testPayload(holder: CertificateHolder, test: CertifiedTest, issuer: IssuerIdentity, uvci: string): DccPayload {
  if (test.result === 'INVALID') {
    throw certificateError(CertificateErrors.NOT_ELIGIBLE, 'An invalid test result cannot be certified');
  }
  return {
    ver: DCC_SCHEMA_VERSION,
    nam: dccName(holder),
    dob: dccBirthDate(holder),
    t: [{
      tg: COVID_19,
      tt: test.method === 'RT_PCR' ? TEST_TYPE.NAAT : TEST_TYPE.RAT,
      sc: new Date(test.sampledAt).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      tr: test.result === 'NEGATIVE' ? TEST_RESULT.NOT_DETECTED : TEST_RESULT.DETECTED,
      tc: test.centre.slice(0, 80),
      co: issuer.country, is: issuer.issuerName, ci: uvci,
    }],
  };
}

/** Recovery: from the first positive NAA test, valid from day 11 to day 180 as the EU rules set. */
export const RECOVERY_VALID_FROM_DAYS = 11;
export const RECOVERY_VALID_UNTIL_DAYS = 180;

export function recoveryPayload(holder: CertificateHolder, firstPositiveOn: string, issuer: IssuerIdentity, uvci: string): DccPayload {
  return {
    ver: DCC_SCHEMA_VERSION,
    nam: dccName(holder),
    dob: dccBirthDate(holder),
    r: [{
      tg: COVID_19, fr: firstPositiveOn,
      co: issuer.country, is: issuer.issuerName,
      df: addDays(firstPositiveOn, RECOVERY_VALID_FROM_DAYS), du: addDays(firstPositiveOn, RECOVERY_VALID_UNTIL_DAYS),
      ci: uvci,
    }],
  };
}

/** Which kinds of entry (v, t, r) a payload holds; a certificate holds one kind. */
export function payloadEntryKinds(payload: DccPayload): string[] {
  return (['v', 't', 'r'] as const).filter((key) => Array.isArray(payload[key]) && payload[key]!.length > 0);
}

/** The one entry of a payload, with its kind. */
export function payloadEntry(payload: DccPayload):
  | { kind: 'vaccination'; entry: VaccinationEntry }
  | { kind: 'test'; entry: TestEntry }
  | { kind: 'recovery'; entry: RecoveryEntry }
  | null {
  if (payload.v?.[0]) return { kind: 'vaccination', entry: payload.v[0] };
  if (payload.t?.[0]) return { kind: 'test', entry: payload.t[0] };
  if (payload.r?.[0]) return { kind: 'recovery', entry: payload.r[0] };
  return null;
}

function addDays(isoDate: string, days: number): string {
  const date = new Date(`${isoDate}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}
