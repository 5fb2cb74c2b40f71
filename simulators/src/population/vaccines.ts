import { hash3 } from './prng';
import type { VaccineProduct } from './types';

/** A vaccine product used in Vietnam and its primary schedule. */
export interface Vaccine {
  product: VaccineProduct;
  manufacturer: string;
  /** Doses in the primary series (Abdala: 3). */
  primaryDoses: number;
  /** Bounds on the days between consecutive primary doses. */
  minIntervalDays: number;
  maxIntervalDays: number;
}

/**
 * Products and primary-series intervals. Where the schedule names a single interval
 * (Sputnik V 21 days, Abdala 14, Covaxin 28) the upper bound allows the week of slippage
 * seen when second-dose supply ran late.
 */
export const VACCINES: ReadonlyArray<Vaccine> = Object.freeze(
  (
    [
      ['Comirnaty', 'Pfizer-BioNTech', 2, 21, 56],
      ['Vaxzevria', 'AstraZeneca', 2, 56, 84],
      ['Spikevax', 'Moderna', 2, 28, 56],
      ['Vero Cell', 'Sinopharm', 2, 21, 28],
      ['Sputnik V', 'Gamaleya Research Institute', 2, 21, 28],
      ['Abdala', 'CIGB', 3, 14, 21],
      ['Hayat-Vax', 'Julphar (G42)', 2, 21, 28],
      ['Covaxin', 'Bharat Biotech', 2, 28, 35],
    ] as const
  ).map(([product, manufacturer, primaryDoses, minIntervalDays, maxIntervalDays]) =>
    Object.freeze({ product, manufacturer, primaryDoses, minIntervalDays, maxIntervalDays }),
  ),
);

export const VACCINE_INDEX: Readonly<Record<VaccineProduct, number>> = Object.fromEntries(
  VACCINES.map((v, i) => [v.product, i]),
) as Record<VaccineProduct, number>;

/** Minimum days from the last primary dose to the first booster. */
export const BOOSTER_MIN_INTERVAL_DAYS = 90;
/** Minimum days from the first booster to the second (offered to people aged 50 and over). */
export const SECOND_BOOSTER_MIN_INTERVAL_DAYS = 120;

const LETTERS = 'ABCDEFGHJKLMNPRSTUVWXYZ';

function digits(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

function letter(h: number, shift: number): string {
  return LETTERS[(h >>> shift) % LETTERS.length]!;
}

/** Lots of one product in circulation in a month. */
export const LOTS_PER_MONTH = 3;
const lotCache = new Map<number, string>();

/** Lot code, memoised: there are only a few hundred distinct lots. */
export function lotCode(vaccineIndex: number, year: number, month: number, variant: number): string {
  const k = ((year * 12 + month) * VACCINES.length + vaccineIndex) * LOTS_PER_MONTH + variant;
  let lot = lotCache.get(k);
  if (lot === undefined) {
    lot = makeLotCode(vaccineIndex, year, month, variant);
    lotCache.set(k, lot);
  }
  return lot;
}

/**
 * Lot code in the style printed on each product's vials. A lot depends only on the product,
 * the month of administration and one of a few lots in circulation, so many people share one.
 */
function makeLotCode(vaccineIndex: number, year: number, month: number, variant: number): string {
  const h = hash3(vaccineIndex, year * 12 + month, variant);
  const yy = year % 100;
  const mm = digits(month, 2);
  switch (VACCINES[vaccineIndex]!.product) {
    case 'Comirnaty':
      return `F${letter(h, 3)}${digits(h % 10_000, 4)}`;
    case 'Vaxzevria':
      return `AB${letter(h, 5)}${digits(h % 10_000, 4)}`;
    case 'Spikevax':
      return `${digits(h % 1000, 3)}${letter(h, 7)}${yy}A`;
    case 'Vero Cell':
      return `${year}${mm}B${digits(h % 10_000, 4)}`;
    case 'Sputnik V':
      return `II-${digits(h % 10_000, 4)}${yy}`;
    case 'Abdala':
      return `A7${digits(h % 1000, 3)}`;
    case 'Hayat-Vax':
      return `${year}${mm}G${digits(h % 1000, 3)}`;
    case 'Covaxin':
      return `EKA${digits(h % 10_000, 4)}`;
  }
}
