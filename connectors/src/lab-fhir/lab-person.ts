import { citizenIdProblem } from '@health-hub/schema';
import { z } from 'zod';

/** A 12-digit citizen ID (CCCD), checked as the schema's scalar checks it. */
export const citizenIdField = z.string().superRefine((v, ctx) => {
  const problem = citizenIdProblem(v);
  if (problem) ctx.addIssue({ code: 'custom', message: `is not a citizen ID: ${problem}` });
});

/** A Vietnamese mobile number, in the 10-digit form or the pre-2018 11-digit one. */
export const phoneField = z.string().regex(/^0\d{9,10}$/, 'must be a phone number of 10 or 11 digits starting with 0');

/** How a lab named the person it sampled. */
export interface LabPerson {
  citizenId: string | null;
  fullName: string;
  /** yyyy-mm-dd, or null when the lab has only the year. */
  birthDate: string | null;
  birthYear: number;
  phone: string | null;
}

/**
 * The person reference a lab result keeps: the citizen ID when the lab recorded it, else the
 * demographics it wrote down (the same shape the vaccination connector keeps), for identity resolution.
 */
export function labPersonRef(p: LabPerson) {
  if (p.citizenId !== null) return { kind: 'CITIZEN_ID' as const, citizenId: p.citizenId };
  return { kind: 'DEMOGRAPHIC' as const, fullName: p.fullName, birthDate: p.birthDate, birthYear: p.birthYear, phone: p.phone };
}
