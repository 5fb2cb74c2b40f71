import { z } from 'zod';
import { instantFromVnDateTime, isoFromVnDate } from '../registry/entry';

const nonBlank = z.string().trim().min(1);
const vnDate = z.string().refine((v) => isoFromVnDate(v) !== null, 'must be a real day written dd/MM/yyyy');
const vnDateTime = z.string().refine((v) => instantFromVnDateTime(v) !== null, 'must be a real local time written dd/MM/yyyy HH:mm:ss');

/**
 * One health insurance card as social insurance answers a lookup (`TheBHYT`, Vietnamese field
 * names, dd/MM/yyyy dates). This checks the wire contract: types, and the dates the connector
 * converts. The card's own rules (15-character number, 10-digit code, number spelling out
 * group, level and code, validity order) are the insurance store's, which refuses such a card
 * with HUB_INSURANCE_BAD_RECORD; the runtime keeps it in the rejected table.
 */
export const cardSchema = z
  .object({
    maThe: nonBlank,
    maSoBHXH: nonBlank,
    soCCCD: nonBlank,
    maDoiTuong: nonBlank,
    mucHuong: z.number().int(),
    giaTriTu: vnDate,
    giaTriDen: vnDate,
    noiDKKCB: z.object({ ma: nonBlank, ten: nonBlank }),
    thoiDiemCapNhat: vnDateTime,
  })
  .loose();

export type Card = z.infer<typeof cardSchema>;

/** The answer of a batch lookup: per key asked, in the order asked, its card or null. Cards are validated one by one. */
export const batchAnswerSchema = z.object({
  ketQua: z.array(z.object({ soCCCD: z.string().optional(), maSoBHXH: z.string().optional(), the: z.unknown() })),
});
