import { SimulatorError, SimulatorErrors } from '../errors';
import { hash3, Rng, seedKey } from '../population/prng';
import { PROVINCES } from '../population/provinces';
import type { Person, Population } from '../population/types';
import type { Workplaces } from '../workplaces/index';
import { generateHomeIsolations, livingPlace } from './home-isolation';
import { sourcePersonRef } from './person-refs';
import type {
  CaseVersion, CheckInRecord, CheckpointRecord, CitizenReportRecord, ContactRecord, DailySubmissionRecord, DeclarationRecord,
  Epidemiology, FacilityRecord, LockdownRecord, QuarantineRecord, VenueRecord,
} from './types';

// Local aliases of Math functions: see population/prng.ts.
const { floor } = Math;

/** Options of `generateEpidemiology`. */
export interface EpidemiologyOptions {
  population: Population;
  /** First local day of check-ins, declarations and daily reports. Default 2021-08-01. */
  from?: string;
  /** Last local day (inclusive). Default 2021-08-31. */
  to?: string;
  /** Mean QR check-ins per person and day. Default 0.3. */
  checkInsPerPersonDay?: number;
  /** Venues with a QR code per province. Default 8. */
  venuesPerProvince?: number;
  /**
   * Share of people the citizen app and the provinces name without the citizen ID (by old ID,
   * or name, birth date and phone: people who declared in older apps), in [0, 1]; see
   * `sourcePersonRef`. Their records' `truth` still names them. Default 0.
   */
  withoutCitizenIdShare?: number;
  /**
   * Days the provinces send their daily report, when wider than `from`..`to` (check-ins and
   * declarations stay in that period): `npm start` gives the whole epidemic, so every day with
   * cases has its reports. Default `from`..`to`.
   */
  reports?: { from: string; to: string };
  /** The workplace-safety platform's enterprises: given, a case of someone employed names the employer (`employerTaxCode`). Default none. */
  workplaces?: Workplaces;
  /**
   * Local days whose cases are treated at home and their households quarantined at home, with
   * daily health reports (`generateHomeIsolations`); e.g. February 2022. Default none.
   */
  homeIsolation?: { from: string; to: string };
}

/**
 * How provinces send a day's report, by share of province-days: most in the afternoon before
 * the 18:00 deadline, some that evening, a few the next morning, and a few not at all.
 */
export const SUBMISSION_SHARES = { onTime: 0.85, lateEvening: 0.09, nextMorning: 0.03, missing: 0.03 } as const;

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** Việt Nam is UTC+7 all year. */
const LOCAL_OFFSET = 7 * HOUR;
/** Horizon of the population's cases: nothing is released after it. */
const HORIZON_MS = Date.parse('2022-06-30T16:59:59Z');
/** Centralised quarantine of F1s gave way to home quarantine from October 2021. */
const HOME_QUARANTINE_FROM = Date.parse('2021-10-01T00:00:00+07:00');

const STREAM = { CHECK_IN: 201, DECLARATION: 202, CONTACT: 203, REPORT: 204, SUBMISSION: 205, VENUE: 206 } as const;

const VENUE_KINDS: VenueRecord['kind'][] = ['MARKET', 'SUPERMARKET', 'RESTAURANT', 'CAFE', 'OFFICE', 'FACTORY', 'SCHOOL', 'CLINIC'];
const VENUE_NAMES: Record<VenueRecord['kind'], string> = {
  MARKET: 'Chợ', SUPERMARKET: 'Siêu thị', RESTAURANT: 'Quán ăn', CAFE: 'Quán cà phê', OFFICE: 'Văn phòng', FACTORY: 'Nhà máy', SCHOOL: 'Trường học', CLINIC: 'Phòng khám',
};
const SYMPTOMS = ['sốt', 'ho', 'khó thở', 'đau họng', 'mất vị giác', 'mệt mỏi'];
const BORDER_GATES = ['Sân bay Nội Bài', 'Sân bay Tân Sơn Nhất', 'Cửa khẩu Hữu Nghị', 'Cửa khẩu Mộc Bài', 'Cửa khẩu Lào Cai', 'Sân bay Đà Nẵng'];
const COUNTRIES = ['Hàn Quốc', 'Nhật Bản', 'Campuchia', 'Trung Quốc', 'Lào', 'Hoa Kỳ', 'Đài Loan'];

const iso = (ms: number) => new Date(ms).toISOString();
/** The local (UTC+7) date of an instant. */
export const localDate = (ms: number) => new Date(ms + LOCAL_OFFSET).toISOString().slice(0, 10);
/** The instant a local date starts. */
const localStart = (date: string) => Date.parse(`${date}T00:00:00Z`) - LOCAL_OFFSET;


const truth = (p: Person) => ({ personIndex: p.index, citizenId: p.citizenId });

/** Venue code of the n-th venue of a province: `QR` + province + 4 digits. */
export const venueCode = (provinceCode: string, n: number) => `QR${provinceCode}${String(n + 1).padStart(4, '0')}`;

/**
 * Check-ins, declarations, cases with their household contacts and quarantines, facilities,
 * lockdowns, checkpoints, citizen reports and daily report submissions, consistent with the
 * population: cases are the population's (each has its positive test), F1s are the case's
 * household, and neighbours (a household block) share their usual venues, so people meet.
 * A pure function of the population and the options.
 */
export function generateEpidemiology(options: EpidemiologyOptions): Epidemiology {
  const { population } = options;
  const from = options.from ?? '2021-08-01';
  const to = options.to ?? '2021-08-31';
  const rate = options.checkInsPerPersonDay ?? 0.3;
  const venuesPerProvince = options.venuesPerProvince ?? 8;
  const share = options.withoutCitizenIdShare ?? 0;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(from) || !/^\d{4}-\d{2}-\d{2}$/.test(to) || to < from) {
    throw new SimulatorError(SimulatorErrors.BAD_OPTIONS, `from and to must be yyyy-mm-dd days with from <= to; got ${from}..${to}`);
  }
  if (!(rate >= 0 && rate <= 20)) throw new SimulatorError(SimulatorErrors.BAD_OPTIONS, `checkInsPerPersonDay must be in [0, 20]; got ${rate}`);
  if (!(share >= 0 && share <= 1)) throw new SimulatorError(SimulatorErrors.BAD_OPTIONS, `withoutCitizenIdShare must be in [0, 1]; got ${share}`);
  const hi = options.homeIsolation;
  if (hi && (!/^\d{4}-\d{2}-\d{2}$/.test(hi.from) || !/^\d{4}-\d{2}-\d{2}$/.test(hi.to) || hi.to < hi.from)) {
    throw new SimulatorError(SimulatorErrors.BAD_OPTIONS, `homeIsolation from and to must be yyyy-mm-dd days with from <= to; got ${hi.from}..${hi.to}`);
  }
  if (!Number.isInteger(venuesPerProvince) || venuesPerProvince < 1) throw new SimulatorError(SimulatorErrors.BAD_OPTIONS, `venuesPerProvince must be a positive integer; got ${venuesPerProvince}`);
  const key = seedKey(population.seed);
  // The reference of one record of a person; `salt` varies the spelling per record.
  const ref = (p: Person, salt: number) => sourcePersonRef(key, p, share, salt);
  const rng = new Rng(key, 0, 0);
  const fromMs = localStart(from);
  const days = floor((localStart(to) - fromMs) / DAY) + 1;

  const venues = new Map<string, VenueRecord>();
  for (const province of PROVINCES) {
    for (let n = 0; n < venuesPerProvince; n++) {
      rng.reset(key, hash3(Number(province.code), n, 1), STREAM.VENUE);
      const kind = VENUE_KINDS[n % VENUE_KINDS.length]!;
      venues.set(venueCode(province.code, n), {
        code: venueCode(province.code, n), name: `${VENUE_NAMES[kind]} số ${n + 1} ${province.name}`, kind, provinceCode: province.code,
        wardCode: null, registeredAt: iso(fromMs - DAY + rng.below(12 * 60) * MINUTE),
      });
    }
  }

  const caseOf = new Map<number, CaseVersion>();
  const persons: Person[] = [];
  for (let i = 0; i < population.size; i++) {
    persons.push(population.person(i));
    const c = population.cases(i)[0];
    if (c) {
      const test = c.confirmingTestRecordId ? population.testResults(i).find((t) => t.sourceRecordId === c.confirmingTestRecordId) : undefined;
      const home = livingPlace(persons[i]!);
      caseOf.set(i, {
        ...c, confirmingTestId: test ? `${test.source}:${test.sourceRecordId}` : null, districtCode: home.districtCode, wardCode: home.wardCode,
        employerTaxCode: options.workplaces?.employerOf(i)?.taxCode ?? null,
      });
    }
  }

  const checkIns: CheckInRecord[] = [];
  const declarations: DeclarationRecord[] = [];
  for (const p of persons) {
    const place = livingPlace(p);
    const block = floor(p.index / 64);
    const own = caseOf.get(p.index);
    const isolatedFrom = own ? Date.parse(own.confirmedAt) : Infinity;
    for (let d = 0; d < days; d++) {
      const dayStart = fromMs + d * DAY;
      rng.reset(key, hash3(p.index, d, 7), STREAM.CHECK_IN);
      const n = floor(rate) + (rng.float() < rate - floor(rate) ? 1 : 0);
      for (let k = 0; k < n; k++) {
        const at = dayStart + 7 * HOUR + rng.below(14 * 60) * MINUTE;
        // In isolation or treatment for 14 days from confirmation: no check-ins.
        if (at >= isolatedFrom && at < isolatedFrom + 14 * DAY) continue;
        // Most visits go to one of the three venues the neighbourhood uses.
        const usual = rng.float() < 0.8;
        const slot = usual ? hash3(key, block, rng.below(3)) % venuesPerProvince : rng.below(venuesPerProvince);
        const code = venueCode(place.provinceCode, slot);
        const venue = venues.get(code)!;
        venue.wardCode ??= place.wardCode;
        const out = rng.float() < 0.1 ? null : at + (10 + rng.below(110)) * MINUTE;
        checkIns.push({
          id: `CI${p.citizenId}${String(d).padStart(3, '0')}${k}`, personRef: ref(p, 1000 + d * 16 + k), truth: truth(p), venueCode: code,
          provinceCode: place.provinceCode, checkedInAt: iso(at), checkedOutAt: out === null ? null : iso(out),
        });
      }
      rng.reset(key, hash3(p.index, d, 9), STREAM.DECLARATION);
      if (rng.float() < 0.01) {
        declarations.push({
          id: `KB${p.citizenId}${d}`, personRef: ref(p, 20_000 + d), truth: truth(p), kind: 'DOMESTIC', declaredAt: iso(dayStart + 6 * HOUR + rng.below(12 * 60) * MINUTE),
          provinceCode: place.provinceCode, symptoms: rng.float() < 0.1 ? [rng.pick(SYMPTOMS)] : [], travelledFrom: null, borderGate: null,
        });
      }
    }
    rng.reset(key, p.index, STREAM.DECLARATION);
    if (rng.float() < 0.002) {
      declarations.push({
        id: `NC${p.citizenId}`, personRef: ref(p, 30_000), truth: truth(p), kind: 'ENTRY', declaredAt: iso(fromMs + rng.below(days * 24 * 60) * MINUTE),
        provinceCode: place.provinceCode, symptoms: [], travelledFrom: rng.pick(COUNTRIES), borderGate: rng.pick(BORDER_GATES),
      });
    }
  }

  const facilities: FacilityRecord[] = PROVINCES.flatMap((province) =>
    [1, 2, 3].map((n) => ({
      code: `KCL${province.code}${n}`, name: `Khu cách ly tập trung số ${n} ${province.name}`, provinceCode: province.code,
      capacity: 200 * (1 + (hash3(key, Number(province.code), n) % 10)),
    })),
  );
  const checkpoints: CheckpointRecord[] = PROVINCES.flatMap((province) =>
    [1, 2].map((n) => ({
      code: `CHOT${province.code}${n}`, name: `Chốt kiểm soát số ${n} ${province.name}`, provinceCode: province.code,
      openedAt: '2021-07-08T17:00:00.000Z', closedAt: '2021-10-14T17:00:00.000Z', updatedAt: '2021-07-08T17:00:00.000Z',
    })),
  );

  const cases: CaseVersion[] = [];
  const contacts: ContactRecord[] = [];
  const quarantines: QuarantineRecord[] = [];
  const lockdowns: LockdownRecord[] = [];
  const reports: CitizenReportRecord[] = [];
  for (const [i, c] of caseOf) {
    const p = persons[i]!;
    const confirmed = Date.parse(c.confirmedAt);
    // Opened on the day of confirmation; closed (recovered, died, moved) later, in a later file.
    if (c.status !== 'UNDER_TREATMENT' && localDate(confirmed) !== localDate(Date.parse(c.sourceUpdatedAt))) {
      cases.push({ ...c, status: 'UNDER_TREATMENT', sourceUpdatedAt: c.confirmedAt });
    }
    cases.push(c);
    // A province names the patient as the person's other records do.
    const caseRef = ref(p, 40_000);
    if (caseRef.kind !== 'CITIZEN_ID') for (const v of cases.slice(-2)) if (v.caseCode === c.caseCode) v.personRef = caseRef;
    rng.reset(key, i, STREAM.CONTACT);
    declarations.push({
      id: `KB${p.citizenId}F0`, personRef: ref(p, 30_001), truth: truth(p), kind: 'DOMESTIC', declaredAt: iso(confirmed - DAY),
      provinceCode: c.provinceCode, symptoms: [SYMPTOMS[0]!, rng.pick(SYMPTOMS)], travelledFrom: null, borderGate: null,
    });
    if (rng.float() < 0.1) {
      reports.push({
        id: `PA${c.caseCode}`, kind: 'SUSPECTED_CASE', reportedAt: iso(confirmed - DAY + 3 * HOUR), provinceCode: c.provinceCode,
        wardCode: livingPlace(p).wardCode, subjectCitizenId: null, description: 'Hàng xóm có triệu chứng sốt, ho nhiều ngày',
      });
    }
    if (confirmed < Date.parse('2022-01-01T00:00:00Z') && rng.float() < 0.1) {
      lockdowns.push({
        code: `PT${c.caseCode}`, name: `Phong tỏa quanh ca bệnh ${c.caseCode}`, provinceCode: c.provinceCode, wardCodes: [livingPlace(p).wardCode],
        startsAt: iso(confirmed + 6 * HOUR), endsAt: iso(confirmed + 6 * HOUR + 14 * DAY), updatedAt: iso(confirmed + 6 * HOUR),
      });
    }
    // The household: members of p's household are consecutive indices within p's block.
    for (let j = Math.max(0, i - 63); j < Math.min(population.size, i + 64); j++) {
      const m = persons[j]!;
      if (j === i || m.householdId !== p.householdId) continue;
      const exposedAt = confirmed - DAY;
      const days14 = confirmed < Date.parse('2022-01-01T00:00:00Z') ? 14 : 7;
      const release = confirmed + 3 * HOUR + days14 * DAY;
      const own = caseOf.get(j);
      const became = own !== undefined && Date.parse(own.confirmedAt) >= exposedAt && Date.parse(own.confirmedAt) <= release;
      const id = `TX${c.caseCode}-${m.citizenId}`;
      const base = { id, personRef: ref(m, 50_000 + (i % 10_000)), truth: truth(m), caseCode: c.caseCode, exposedAt: iso(exposedAt), exposure: 'HOUSEHOLD' as const, provinceCode: c.provinceCode };
      contacts.push({ ...base, status: 'MONITORING', updatedAt: iso(confirmed + 2 * HOUR) });
      if (release <= HORIZON_MS) contacts.push({ ...base, status: became ? 'BECAME_CASE' : 'RELEASED', updatedAt: iso(release) });
      const startsAt = confirmed + 3 * HOUR;
      const centralised = startsAt < HOME_QUARANTINE_FROM;
      const q = {
        id: `CL${c.caseCode}-${m.citizenId}`, personRef: ref(m, 60_000 + (i % 10_000)), truth: truth(m), kind: centralised ? ('CENTRALISED_FACILITY' as const) : ('HOME' as const),
        facilityCode: centralised ? `KCL${c.provinceCode}${1 + (hash3(key, j, 3) % 3)}` : null, startsAt: iso(startsAt), endsAt: iso(release), provinceCode: c.provinceCode,
      };
      quarantines.push({ ...q, status: 'ONGOING', updatedAt: iso(startsAt) });
      if (release <= HORIZON_MS) quarantines.push({ ...q, status: 'RELEASED', updatedAt: iso(release) });
      if (hash3(key, j, 11) % 20 === 0) {
        reports.push({
          id: `PA${q.id}`, kind: 'QUARANTINE_BREACH', reportedAt: iso(startsAt + 2 * DAY + 5 * HOUR), provinceCode: c.provinceCode,
          wardCode: livingPlace(m).wardCode, subjectCitizenId: hash3(key, j, 12) % 2 === 0 ? m.citizenId : null,
          description: 'Người đang cách ly ra khỏi nơi cách ly',
        });
      }
    }
  }

  const submissions: DailySubmissionRecord[] = [];
  const reportsFrom = localStart(options.reports?.from ?? from);
  const reportDays = floor((localStart(options.reports?.to ?? to) - reportsFrom) / DAY) + 1;
  const { onTime, lateEvening, nextMorning } = SUBMISSION_SHARES;
  for (const province of PROVINCES) {
    for (let d = 0; d < reportDays; d++) {
      const dayStart = reportsFrom + d * DAY;
      // Seeded by the calendar day, so a day's report is the same whatever window is generated.
      rng.reset(key, hash3(Number(province.code), floor(dayStart / DAY), 5), STREAM.SUBMISSION);
      const u = rng.float();
      if (u >= onTime + lateEvening + nextMorning) continue; // never sent
      const at = u < onTime ? dayStart + 15 * HOUR + rng.below(179) * MINUTE
        : u < onTime + lateEvening ? dayStart + 18 * HOUR + (1 + rng.below(240)) * MINUTE
          : dayStart + DAY + 9 * HOUR;
      submissions.push({ provinceCode: province.code, date: localDate(dayStart), submittedAt: iso(at) });
    }
  }

  const home = options.homeIsolation
    ? generateHomeIsolations({ population, key, person: (i) => persons[i]!, caseOf, from: options.homeIsolation.from, to: options.homeIsolation.to })
    : { isolations: [], healthReports: [], breaches: [] };
  reports.push(...home.breaches);

  return {
    from, to, venues: [...venues.values()], checkIns, declarations, cases, contacts, facilities, quarantines, lockdowns, checkpoints, reports, submissions,
    homeIsolations: home.isolations, healthReports: home.healthReports,
  };
}
