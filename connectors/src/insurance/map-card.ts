import type { CardUpsert } from '@health-hub/insurance';
import { instantFromVnDateTime, isoFromVnDate } from '../registry/entry';
import { parseRecord, type MapResult } from '../sdk/connector';
import { cardSchema } from './card';

/** The `source` of every card the insurance connector writes. */
export const INSURANCE_SOURCE = 'social-insurance';

/** The card's social insurance code when it has a string one, for the rejected table. */
export function cardKey(record: unknown): string | null {
  const code = (record as { maSoBHXH?: unknown } | null)?.maSoBHXH;
  return typeof code === 'string' ? code : null;
}

/**
 * Validates one card and maps it to the insurance store's upsert: keyed by the social
 * insurance code (lifelong, unlike the card number), linked to the holder's citizen ID the
 * hub looked it up by, dd/MM/yyyy → ISO dates; `raw` is the card as received.
 */
export function mapInsuranceCard(record: unknown): MapResult<CardUpsert> {
  const parsed = parseRecord(cardSchema, record);
  if (!parsed.ok) return parsed;
  const c = parsed.data;
  return {
    ok: true,
    value: {
      source: INSURANCE_SOURCE,
      sourceRecordId: c.maSoBHXH,
      personId: c.soCCCD,
      personRef: { kind: 'CITIZEN_ID', citizenId: c.soCCCD },
      cardNumber: c.maThe,
      socialInsuranceCode: c.maSoBHXH,
      beneficiaryGroup: c.maDoiTuong,
      benefitLevel: c.mucHuong,
      validFrom: isoFromVnDate(c.giaTriTu)!,
      validTo: isoFromVnDate(c.giaTriDen)!,
      registeredClinic: { code: c.noiDKKCB.ma, name: c.noiDKKCB.ten },
      raw: record,
      sourceUpdatedAt: instantFromVnDateTime(c.thoiDiemCapNhat)!,
    },
  };
}
