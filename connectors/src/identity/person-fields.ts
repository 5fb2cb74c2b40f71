import type { SourcePersonRef } from '@health-hub/subgraph-kit';
import { z } from 'zod';

/**
 * How the citizen app and provincial case management name a person, in their own words: the
 * citizen ID (`soCCCD`), or, for people who declared in older apps or were recorded by a clerk
 * without it, the old ID (`soCMND`), the social insurance code (`maSoBHXH`), or name (`hoTen`)
 * with birth date (`ngaySinh`, yyyy-mm-dd) or year (`namSinh`) and phone (`soDienThoai`).
 * Spread `personFieldsShape` into a record schema and refine it with `namesAPerson`.
 */
export const personFieldsShape = {
  soCCCD: z.string().regex(/^\d{12}$/, 'must be a 12-digit citizen ID').nullable().optional(),
  soCMND: z.string().regex(/^\d{9}(\d{3})?$/, 'must be a 9- or 12-digit old ID').optional(),
  maSoBHXH: z.string().regex(/^\d{10}$/, 'must be a 10-digit social insurance code').optional(),
  hoTen: z.string().trim().min(1).optional(),
  ngaySinh: z.iso.date({ message: 'must be a real day written yyyy-MM-dd' }).optional(),
  namSinh: z.number().int().min(1900).max(2100).optional(),
  soDienThoai: z.string().trim().min(1).nullable().optional(),
};

type PersonFields = { [K in keyof typeof personFieldsShape]?: z.output<(typeof personFieldsShape)[K]> };

/** A refinement refusing a record that names nobody: no citizen ID, old ID, insurance code, nor a name with a birth date or year. */
export function namesAPerson(r: PersonFields, ctx: z.RefinementCtx): void {
  if (personRefOfFields(r) === null) {
    ctx.addIssue({ code: 'custom', path: ['soCCCD'], message: 'names no person: give soCCCD, soCMND, maSoBHXH, or hoTen with ngaySinh or namSinh' });
  }
}

/** The person reference of the fields, the first of citizen ID, old ID, insurance code, name + birth + phone; null when none. */
export function personRefOfFields(r: PersonFields): SourcePersonRef | null {
  if (r.soCCCD) return { kind: 'CITIZEN_ID', citizenId: r.soCCCD };
  if (r.soCMND) return { kind: 'OLD_ID', oldId: r.soCMND };
  if (r.maSoBHXH) return { kind: 'INSURANCE', socialInsuranceCode: r.maSoBHXH };
  if (r.hoTen && (r.ngaySinh || r.namSinh)) {
    return {
      kind: 'DEMOGRAPHIC', fullName: r.hoTen, birthDate: r.ngaySinh ?? null, birthYear: r.namSinh ?? Number(r.ngaySinh!.slice(0, 4)), phone: r.soDienThoai ?? null,
    };
  }
  return null;
}

/** The store fields of a record naming a person: linked (`personId`) only when the source gave the citizen ID. */
export function personOf(r: PersonFields): { personId: string | null; personRef: SourcePersonRef } {
  const personRef = personRefOfFields(r)!;
  return { personId: personRef.kind === 'CITIZEN_ID' ? personRef.citizenId : null, personRef };
}

/**
 * The reference in what an older connector stored as `person_ref`: a reference as it is, or a
 * source line kept verbatim (a case exported without the citizen ID) read by its person fields.
 */
export function storedPersonRef(stored: unknown): unknown {
  if (stored === null || typeof stored !== 'object' || 'kind' in stored) return stored;
  const parsed = z.object(personFieldsShape).safeParse(stored);
  return (parsed.success && personRefOfFields(parsed.data)) || stored;
}
