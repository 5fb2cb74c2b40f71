import type { CaseRecord, GroundTruth, PersonRef } from '../population/types';

/** Epidemiology records the citizen app and provincial case management hold, format-free. */

/** A public place with a QR code registered in the citizen app. */
export interface VenueRecord {
  code: string;
  name: string;
  kind: 'MARKET' | 'SUPERMARKET' | 'RESTAURANT' | 'CAFE' | 'OFFICE' | 'FACTORY' | 'SCHOOL' | 'CLINIC';
  provinceCode: string;
  wardCode: string | null;
  registeredAt: string;
}

/** One QR check-in; `truth` names who really scanned. */
export interface CheckInRecord {
  id: string;
  personRef: PersonRef;
  truth: GroundTruth;
  venueCode: string;
  provinceCode: string;
  /** ISO instant, Z. */
  checkedInAt: string;
  /** Null when the person did not check out. */
  checkedOutAt: string | null;
}

export interface DeclarationRecord {
  id: string;
  personRef: PersonRef;
  truth: GroundTruth;
  kind: 'DOMESTIC' | 'ENTRY';
  declaredAt: string;
  provinceCode: string;
  symptoms: string[];
  travelledFrom: string | null;
  borderGate: string | null;
}

/** An F1 contact of a case (the household), as the province records it. */
export interface ContactRecord {
  id: string;
  personRef: PersonRef;
  truth: GroundTruth;
  caseCode: string;
  exposedAt: string;
  exposure: 'HOUSEHOLD';
  status: 'MONITORING' | 'RELEASED' | 'BECAME_CASE';
  provinceCode: string;
  /** The day file the record is in (local date) and its version time. */
  updatedAt: string;
}

export interface FacilityRecord {
  code: string;
  name: string;
  provinceCode: string;
  capacity: number;
}

/** One version of a quarantine: the admission, then the release. */
export interface QuarantineRecord {
  id: string;
  personRef: PersonRef;
  truth: GroundTruth;
  kind: 'CENTRALISED_FACILITY' | 'HOME';
  facilityCode: string | null;
  startsAt: string;
  endsAt: string;
  status: 'ONGOING' | 'RELEASED';
  provinceCode: string;
  updatedAt: string;
}

export interface LockdownRecord {
  code: string;
  name: string;
  provinceCode: string;
  wardCodes: string[];
  startsAt: string;
  endsAt: string;
  updatedAt: string;
}

export interface CheckpointRecord {
  code: string;
  name: string;
  provinceCode: string;
  openedAt: string;
  closedAt: string | null;
  updatedAt: string;
}

export interface CitizenReportRecord {
  id: string;
  kind: 'SUSPECTED_CASE' | 'QUARANTINE_BREACH';
  reportedAt: string;
  provinceCode: string;
  wardCode: string | null;
  /** The person reported about, when the reporter gave a citizen ID. */
  subjectCitizenId: string | null;
  description: string;
  /** A breach of isolation at home: the isolation's code (`maCachLy`). */
  homeIsolationId?: string | null;
}

/** An isolation at home the ward health station follows: an F0 treated at home, or an F1 quarantined at home. */
export interface HomeIsolationRecord {
  /** The station's code (`maCachLy`). */
  id: string;
  citizenId: string;
  truth: GroundTruth;
  kind: 'HOME_TREATMENT' | 'HOME_QUARANTINE';
  /** Home treatment: the case code. */
  caseCode: string | null;
  /** Home quarantine: the province's code of the F1 contact record (`TX<case>-<citizen ID>`). */
  contactCode: string | null;
  provinceCode: string;
  wardCode: string;
  startsAt: string;
  fullyVaccinated: boolean;
  /** Home treatment: the day-7 rapid antigen test negative (true) or not (false); null for an F1. */
  day7Negative: boolean | null;
  /** The end by the rules of the time. */
  endsAt: string;
  /** From when the person sends no more reports; null when they report to the end. */
  silentFrom: string | null;
}

/** One daily health report of someone isolated at home. */
export interface HealthReportRecord {
  id: string;
  /** The isolation's code. */
  isolationId: string;
  reportedAt: string;
  temperature: number;
  spo2: number;
  symptoms: string[];
  reportedBy: 'SELF' | 'WARD_HEALTH_STATION';
}

/** When a province sent its daily report for a local day. */
export interface DailySubmissionRecord {
  provinceCode: string;
  /** Local (Asia/Ho_Chi_Minh) date, yyyy-mm-dd. */
  date: string;
  submittedAt: string;
}

/** One version of a case as the province's export carries it. */
export interface CaseVersion extends CaseRecord {
  /** Hub ID (`source:sourceRecordId`) of the confirming test in the testing subgraph. */
  confirmingTestId: string | null;
  /** District and ward where the patient lives (current address, else permanent), as case management records them. */
  districtCode: string;
  wardCode: string;
  /** The employer's tax code when the generator was given the workplaces and the person works at one; else null. */
  employerTaxCode: string | null;
}

/** Everything generated for a period, with the ground truth tests check against. */
export interface Epidemiology {
  /** First and last local day with check-ins, declarations and daily reports. */
  from: string;
  to: string;
  venues: VenueRecord[];
  checkIns: CheckInRecord[];
  declarations: DeclarationRecord[];
  /** Every case of the population (the whole period), one or two versions each. */
  cases: CaseVersion[];
  contacts: ContactRecord[];
  facilities: FacilityRecord[];
  quarantines: QuarantineRecord[];
  lockdowns: LockdownRecord[];
  checkpoints: CheckpointRecord[];
  reports: CitizenReportRecord[];
  submissions: DailySubmissionRecord[];
  /** Isolations at home (empty unless `homeIsolation` was given) and their daily health reports. */
  homeIsolations: HomeIsolationRecord[];
  healthReports: HealthReportRecord[];
}
