/** Error codes of the insurance subgraph. */
export const InsuranceErrors = {
  /** A card number is not 15 characters of group, benefit level (1–5), province and 10-digit code. */
  BAD_CARD_NUMBER: 'HUB_INSURANCE_BAD_CARD_NUMBER',
  /** An upserted card is malformed (number, dates, fields that disagree with the number, citizen ID); the details name it and the field. */
  BAD_RECORD: 'HUB_INSURANCE_BAD_RECORD',
} as const;
