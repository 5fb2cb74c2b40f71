/** The vaccine products of the `VaccineProduct` enum, by enum value. */
export type VaccineProduct = 'COMIRNATY' | 'VAXZEVRIA' | 'SPIKEVAX' | 'VERO_CELL' | 'SPUTNIK_V' | 'ABDALA' | 'HAYAT_VAX' | 'COVAXIN';

/** What the hub knows about one product. */
export interface Vaccine {
  /** Product name as marketed, e.g. `Comirnaty`. */
  name: string;
  /** Marketing authorisation holder, e.g. `Pfizer/BioNTech`. */
  manufacturer: string;
  /** Doses of the primary series: 2 for most, 3 for Abdala; 1 would be a single-dose product. */
  primarySeriesDoses: number;
}

/** Every product a dose may carry, keyed by enum value. */
export type VaccineCatalogue = Readonly<Record<VaccineProduct, Readonly<Vaccine>>>;

/** The products used in Việt Nam. Coverage counts and vaccination status both read primary series lengths here. */
export const VACCINES: VaccineCatalogue = Object.freeze({
  COMIRNATY: Object.freeze({ name: 'Comirnaty', manufacturer: 'Pfizer/BioNTech', primarySeriesDoses: 2 }),
  VAXZEVRIA: Object.freeze({ name: 'Vaxzevria', manufacturer: 'AstraZeneca', primarySeriesDoses: 2 }),
  SPIKEVAX: Object.freeze({ name: 'Spikevax', manufacturer: 'Moderna', primarySeriesDoses: 2 }),
  VERO_CELL: Object.freeze({ name: 'Vero Cell', manufacturer: 'Sinopharm', primarySeriesDoses: 2 }),
  SPUTNIK_V: Object.freeze({ name: 'Sputnik V', manufacturer: 'Gamaleya', primarySeriesDoses: 2 }),
  ABDALA: Object.freeze({ name: 'Abdala', manufacturer: 'CIGB', primarySeriesDoses: 3 }),
  HAYAT_VAX: Object.freeze({ name: 'Hayat-Vax', manufacturer: 'Sinopharm/G42', primarySeriesDoses: 2 }),
  COVAXIN: Object.freeze({ name: 'Covaxin', manufacturer: 'Bharat Biotech', primarySeriesDoses: 2 }),
});

/** The enum values, in SDL order. */
export const VACCINE_PRODUCTS = Object.keys(VACCINES) as VaccineProduct[];

/** What the status needs of each dose. */
export interface DoseFacts {
  doseNumber: number;
  vaccine: VaccineProduct;
  administeredOn: string;
}

/** The `VaccinationStatus` of the graph. */
export interface VaccinationStatus {
  doses: number;
  lastDoseOn: string | null;
  lastVaccine: VaccineProduct | null;
  fullyVaccinated: boolean;
  primarySeriesCompletedOn: string | null;
  boosterDoses: number;
}

/**
 * Summarises one person's doses by the rules of the time: the primary series is the one of
 * the FIRST dose's product (a person who started on Abdala needs three doses, whatever came
 * next), and every dose after it is a booster. Counts records, so a dose reported twice by
 * two sources counts twice. Pure: the doses come from the same loader as `Person.vaccinations`.
 */
export function vaccinationStatus(doses: readonly DoseFacts[], catalogue: VaccineCatalogue = VACCINES): VaccinationStatus {
  // Oldest first, as the store returns them; sorted again so any caller gets the same answer.
  const ordered = [...doses].sort((a, b) => compare(a.administeredOn, b.administeredOn) || a.doseNumber - b.doseNumber);
  const first = ordered[0];
  const last = ordered.at(-1);
  if (!first || !last) {
    return { doses: 0, lastDoseOn: null, lastVaccine: null, fullyVaccinated: false, primarySeriesCompletedOn: null, boosterDoses: 0 };
  }
  const primary = catalogue[first.vaccine].primarySeriesDoses;
  const completing = ordered[primary - 1];
  return {
    doses: ordered.length,
    lastDoseOn: last.administeredOn,
    lastVaccine: last.vaccine,
    fullyVaccinated: completing !== undefined,
    primarySeriesCompletedOn: completing?.administeredOn ?? null,
    boosterDoses: Math.max(0, ordered.length - primary),
  };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
