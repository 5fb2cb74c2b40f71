import {
  isoDate, latestPerKey, namedStatement, nonBlank, runNamed, sourceRecordFields, validateBatch, withTransaction, type Writer, type Queryable,
} from '@health-hub/subgraph-kit';
import { z } from 'zod';
import { cardNumberProblem } from './card-number';
import { InsuranceErrors } from './errors';

/** The clinic registered for a card holder's initial care. */
export interface Clinic {
  code: string;
  name: string;
}

/** One card as a connector (or the seeder) hands it over, keyed by (source, sourceRecordId). */
export interface CardUpsert {
  /** Source feed, e.g. `social-insurance`; no colon. */
  source: string;
  sourceRecordId: string;
  /** The holder's citizen ID; null while identity resolution has not linked the card. */
  personId: string | null;
  /** How the source named the holder (CCCD, social insurance code, name and birth date…), kept verbatim. */
  personRef: unknown;
  /** 15 characters: group, benefit level, issuing province, social insurance code. */
  cardNumber: string;
  /** 10 digits, the last 10 characters of `cardNumber`. */
  socialInsuranceCode: string;
  /** 2 capital letters, the first 2 characters of `cardNumber`. */
  beneficiaryGroup: string;
  /** 1–5, the 3rd character of `cardNumber`. */
  benefitLevel: number;
  /** `yyyy-MM-dd`. */
  validFrom: string;
  /** `yyyy-MM-dd`, not before `validFrom`. */
  validTo: string;
  registeredClinic: Clinic;
  /** The source's record as received, kept verbatim. */
  raw: unknown;
  /** ISO 8601 instant of the source's last change. */
  sourceUpdatedAt: string;
}

/** A card as the graph shows it. */
export interface HealthInsuranceCard {
  cardNumber: string;
  source: string;
  sourceRecordId: string;
  personId: string | null;
  socialInsuranceCode: string;
  beneficiaryGroup: string;
  benefitLevel: number;
  validFrom: string;
  validTo: string;
  registeredClinic: Clinic;
  sourceUpdatedAt: Date;
}

const CARD_COLUMNS = `
  c.card_number AS "cardNumber", c.source, c.source_record_id AS "sourceRecordId", c.person_id AS "personId",
  c.social_insurance_code AS "socialInsuranceCode", c.beneficiary_group AS "beneficiaryGroup",
  c.benefit_level AS "benefitLevel", c.valid_from AS "validFrom", c.valid_to AS "validTo",
  jsonb_build_object('code', c.clinic_code, 'name', c.clinic_name) AS "registeredClinic",
  c.source_updated_at AS "sourceUpdatedAt"`;

/**
 * Each person's current card, in one statement: the one valid the longest (latest
 * `valid_to`, then latest `valid_from`). Persons without a card are absent.
 */
export async function currentCardsByPersonIds(db: Queryable, personIds: readonly string[]): Promise<HealthInsuranceCard[]> {
  const { rows } = await runNamed<HealthInsuranceCard>(db, CURRENT_CARDS_BY_PERSON_IDS, [personIds]);
  return rows;
}

/** A person-360's insurance statement (`currentCardsByPersonIds`). */
export const CURRENT_CARDS_BY_PERSON_IDS = namedStatement(
  'insurance.current-cards-by-person-ids',
  `SELECT DISTINCT ON (c.person_id) ${CARD_COLUMNS}
     FROM insurance.card c
    WHERE c.person_id = ANY($1::text[])
    ORDER BY c.person_id, c.valid_to DESC, c.valid_from DESC, c.card_number`,
);

/** Cards with these numbers, in one statement; unknown numbers are simply absent. */
export async function cardsByNumbers(db: Queryable, cardNumbers: readonly string[]): Promise<HealthInsuranceCard[]> {
  const { rows } = await db.query(`SELECT ${CARD_COLUMNS} FROM insurance.card c WHERE c.card_number = ANY($1::text[])`, [cardNumbers]);
  return rows;
}

const upsertSchema = z
  .object({
    ...sourceRecordFields,
    cardNumber: z.string().superRefine((v, ctx) => {
      const problem = cardNumberProblem(v);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    }),
    socialInsuranceCode: z.string().regex(/^\d{10}$/, 'must be 10 digits'),
    beneficiaryGroup: z.string().regex(/^[A-Z]{2}$/, 'must be 2 capital letters'),
    benefitLevel: z.number().int().min(1).max(5),
    validFrom: isoDate,
    validTo: isoDate,
    registeredClinic: z.object({ code: nonBlank, name: nonBlank }),
  })
  // The number spells out group, level and code: a record where they disagree is corrupt.
  .refine((r) => r.beneficiaryGroup === r.cardNumber.slice(0, 2), { message: 'differs from the card number', path: ['beneficiaryGroup'] })
  .refine((r) => String(r.benefitLevel) === r.cardNumber[2], { message: 'differs from the card number', path: ['benefitLevel'] })
  .refine((r) => r.socialInsuranceCode === r.cardNumber.slice(5), { message: 'differs from the card number', path: ['socialInsuranceCode'] })
  .refine((r) => r.validTo >= r.validFrom, { message: 'is before validFrom', path: ['validTo'] });

/**
 * Inserts or updates a batch of cards in one transaction (one statement whatever the batch
 * size). Idempotent: re-sending a card changes nothing, and a record older than the stored
 * one (out-of-order delivery) is ignored. A malformed record rejects the batch with
 * HUB_INSURANCE_BAD_RECORD before anything is written. Returns the card numbers written.
 */
export async function upsertCards(db: Writer, records: readonly CardUpsert[]): Promise<string[]> {
  validateBatch(records, upsertSchema, InsuranceErrors.BAD_RECORD, 'Card');
  const batch = latestPerKey(records);
  if (batch.length === 0) return [];
  return withTransaction(db, async (tx) => {
    const { rows } = await tx.query<{ card_number: string }>(
      `INSERT INTO insurance.card AS c (source, source_record_id, person_id, person_ref, card_number,
              social_insurance_code, beneficiary_group, benefit_level, valid_from, valid_to, clinic_code,
              clinic_name, raw, source_updated_at)
       SELECT * FROM jsonb_to_recordset($1::jsonb) AS r(source text, source_record_id text, person_id text,
              person_ref jsonb, card_number text, social_insurance_code text,
              beneficiary_group text, benefit_level smallint, valid_from date, valid_to date,
              clinic_code text, clinic_name text, raw jsonb, source_updated_at timestamptz)
       ON CONFLICT (source, source_record_id) DO UPDATE SET
         person_id = EXCLUDED.person_id, person_ref = EXCLUDED.person_ref, card_number = EXCLUDED.card_number,
         social_insurance_code = EXCLUDED.social_insurance_code, beneficiary_group = EXCLUDED.beneficiary_group,
         benefit_level = EXCLUDED.benefit_level, valid_from = EXCLUDED.valid_from, valid_to = EXCLUDED.valid_to,
         clinic_code = EXCLUDED.clinic_code, clinic_name = EXCLUDED.clinic_name, raw = EXCLUDED.raw,
         source_updated_at = EXCLUDED.source_updated_at, ingested_at = now()
       WHERE c.source_updated_at < EXCLUDED.source_updated_at
          OR (c.source_updated_at = EXCLUDED.source_updated_at
              AND (c.raw IS DISTINCT FROM EXCLUDED.raw OR c.person_id IS DISTINCT FROM EXCLUDED.person_id))
       RETURNING card_number`,
      [JSON.stringify(batch.map(toRow))],
    );
    return rows.map((r) => r.card_number);
  });
}

/** A record as the row jsonb_to_recordset reads; one JSON text per batch is far cheaper to send than one array per column. */
function toRow(r: CardUpsert) {
  return {
    source: r.source,
    source_record_id: r.sourceRecordId,
    person_id: r.personId,
    person_ref: r.personRef,
    card_number: r.cardNumber,
    social_insurance_code: r.socialInsuranceCode,
    beneficiary_group: r.beneficiaryGroup,
    benefit_level: r.benefitLevel,
    valid_from: r.validFrom,
    valid_to: r.validTo,
    clinic_code: r.registeredClinic.code,
    clinic_name: r.registeredClinic.name,
    raw: r.raw,
    source_updated_at: r.sourceUpdatedAt,
  };
}
