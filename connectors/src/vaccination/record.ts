import { citizenIdProblem } from '@health-hub/schema';
import { VACCINE_PRODUCTS, VACCINES, type VaccineProduct } from '@health-hub/vaccination';
import { z } from 'zod';

/** The platform's vaccine names (`Vero Cell`) → the store's enum values (`VERO_CELL`), from the store's own catalogue. */
const PRODUCT_BY_NAME = new Map<string, VaccineProduct>(VACCINE_PRODUCTS.map((p) => [VACCINES[p].name.toLowerCase(), p]));

/** The product of a platform vaccine name, case and spacing ignored; undefined when the hub does not know it. */
export function vaccineProduct(name: string): VaccineProduct | undefined {
  return PRODUCT_BY_NAME.get(name.normalize('NFC').trim().replace(/\s+/g, ' ').toLowerCase());
}

const nonBlank = z.string().trim().min(1);
const isoDay = z.iso.date({ message: 'must be a real day written yyyy-MM-dd' });

/**
 * One dose of the vaccination platform (`GET /api/v2/vaccinations`), in its snake_case
 * contract. The person is named by citizen_id, old_id_number, health_insurance_number, or
 * full_name with date_of_birth or year_of_birth (and phone when known). Unknown fields are
 * allowed: the raw record keeps them.
 */
export const platformDoseSchema = z
  .object({
    record_id: nonBlank,
    updated_at: z.iso.datetime({ offset: true }),
    dose_number: z.number().int().min(1).max(10),
    vaccine_name: z.string().refine((v) => vaccineProduct(v) !== undefined, 'is not a vaccine the hub knows'),
    manufacturer: z.string(),
    lot_number: z.string(),
    vaccination_date: isoDay,
    site_name: nonBlank,
    site_province_code: z.string().regex(/^\d{2}$/, 'must be 2 digits'),
    // Where the person lives, as they told the platform; older records lack it.
    resident_district_code: z.string().regex(/^\d{3}$/, 'must be 3 digits').optional(),
    resident_ward_code: z.string().regex(/^\d{5}$/, 'must be 5 digits').optional(),
    citizen_id: z
      .string()
      .superRefine((v, ctx) => {
        const problem = citizenIdProblem(v);
        if (problem) ctx.addIssue({ code: 'custom', message: `is not a citizen ID: ${problem}` });
      })
      .optional(),
    old_id_number: z.string().regex(/^(\d{9}|\d{12})$/, 'must be 9 or 12 digits').optional(),
    health_insurance_number: z.string().regex(/^\d{10}$/, 'must be 10 digits').optional(),
    full_name: nonBlank.optional(),
    date_of_birth: isoDay.optional(),
    year_of_birth: z.number().int().min(1880).max(2100).optional(),
    phone: z.string().regex(/^0\d{9,10}$/, 'must be a phone number of 10 or 11 digits starting with 0').optional(),
  })
  .loose()
  .refine((r) => r.citizen_id ?? r.old_id_number ?? r.health_insurance_number ?? r.full_name, {
    message: 'names no person (no citizen_id, old_id_number, health_insurance_number or full_name)',
    path: ['citizen_id'],
  })
  .refine((r) => r.full_name === undefined || r.date_of_birth !== undefined || r.year_of_birth !== undefined, {
    message: 'a person named only by full_name needs date_of_birth or year_of_birth',
    path: ['year_of_birth'],
  });

export type PlatformDose = z.infer<typeof platformDoseSchema>;

/** One page of the platform's feed; doses are validated one by one, so one bad dose does not cost the page. */
export const dosePageSchema = z.object({
  data: z.array(z.unknown()),
  next_cursor: z.string().nullable(),
  has_more: z.boolean(),
});

export type DosePage = z.infer<typeof dosePageSchema>;
