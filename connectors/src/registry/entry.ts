import { citizenIdProblem } from '@health-hub/schema';
import { z } from 'zod';

/** "dd/MM/yyyy" of a real calendar day → "yyyy-MM-dd"; null when it is not one. */
export function isoFromVnDate(value: string): string | null {
  const m = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(value);
  if (!m) return null;
  const iso = `${m[3]}-${m[2]}-${m[1]}`;
  const day = new Date(`${iso}T00:00:00Z`);
  return !Number.isNaN(day.getTime()) && day.toISOString().startsWith(iso) ? iso : null;
}

/** "dd/MM/yyyy HH:mm:ss" in Việt Nam local time (UTC+7, no daylight saving) → ISO instant; null when not a real time. */
export function instantFromVnDateTime(value: string): string | null {
  const m = /^(\d{2}\/\d{2}\/\d{4}) (\d{2}):(\d{2}):(\d{2})$/.exec(value);
  const day = m ? isoFromVnDate(m[1]!) : null;
  if (!m || !day || Number(m[2]) > 23 || Number(m[3]) > 59 || Number(m[4]) > 59) return null;
  return new Date(`${day}T${m[2]}:${m[3]}:${m[4]}+07:00`).toISOString();
}

const vnDate = z.string().refine((v) => isoFromVnDate(v) !== null, 'must be a real day written dd/MM/yyyy');
const vnDateTime = z.string().refine((v) => instantFromVnDateTime(v) !== null, 'must be a real local time written dd/MM/yyyy HH:mm:ss');
const nonBlank = z.string().trim().min(1);
const digits = (n: string) => z.string().regex(new RegExp(`^\\d{${n}}$`), `must be ${n.replace(',', ' or ')} digits`);

const address = z.object({
  maTinh: digits('2'),
  maHuyen: digits('3'),
  maXa: digits('5'),
  diaChiChiTiet: nonBlank,
});

/**
 * One entry of the registry's change feed, as its contract describes it. Unknown fields are
 * allowed (the raw entry keeps them); tone-marked values are compared in NFC.
 */
export const registryEntrySchema = z
  .object({
    soThuTu: z.number().int().positive(),
    soDinhDanh: z.string().superRefine((v, ctx) => {
      const problem = citizenIdProblem(v);
      if (problem) ctx.addIssue({ code: 'custom', message: `is not a citizen ID: ${problem}` });
    }),
    soCMND: z.string().regex(/^(\d{9}|\d{12})$/, 'must be 9 or 12 digits').nullable(),
    hoVaTen: nonBlank,
    ho: nonBlank,
    tenDem: nonBlank.nullable(),
    ten: nonBlank,
    gioiTinh: z.string().transform((v) => v.normalize('NFC')).pipe(z.enum(['Nam', 'Nữ'])),
    ngaySinh: vnDate.nullable(),
    namSinh: z.number().int().min(1880).max(2100),
    soDienThoai: z.string().regex(/^0\d{9,10}$/, 'must be a phone number of 10 or 11 digits starting with 0').nullable(),
    maHoGiaDinh: nonBlank.nullable(),
    noiThuongTru: address,
    noiOHienTai: address.nullable(),
    thoiDiemCapNhat: vnDateTime,
  })
  .loose()
  .refine((e) => e.ngaySinh === null || e.ngaySinh.endsWith(`/${e.namSinh}`), { message: 'year differs from namSinh', path: ['ngaySinh'] });

export type RegistryFeedEntry = z.infer<typeof registryEntrySchema>;

/** One page of the change feed; entries are validated one by one, so one bad entry does not cost the page. */
export const feedPageSchema = z.object({
  duLieu: z.array(z.unknown()),
  tiepTheo: z.number().int().positive(),
  conLai: z.boolean(),
});
