import { z } from 'zod';

const rate = z.number().min(0).max(1);

/**
 * How source records differ from the registry, as rates (0–1), each applied independently.
 * The default profile is what `npm run bench -- identity` measures; every rate can be set.
 */
export const noiseProfileSchema = z.object({
  /** The record carries the 12-digit citizen ID. */
  citizenId: rate.default(0.35),
  /** The record carries the old 9-digit CMND instead (for people who have one). */
  oldId: rate.default(0.1),
  /** The citizen ID given is another person's (a right name with a wrong ID). */
  wrongId: rate.default(0.003),
  /** One letter of the name mistyped (replaced, dropped, doubled or swapped with its neighbour). */
  typo: rate.default(0.04),
  /** Tone marks dropped (typed without a Vietnamese keyboard). */
  droppedToneMarks: rate.default(0.12),
  /** Name in capitals. */
  upperCase: rate.default(0.08),
  /** Name written given name first. */
  swappedNameParts: rate.default(0.03),
  /** The middle name Văn or Thị left out. */
  droppedMiddleName: rate.default(0.02),
  /** Huỳnh written Hoàng, Vũ written Võ (and back). */
  regionalSurname: rate.default(0.02),
  /** Only the birth year given. */
  yearOnly: rate.default(0.08),
  /** The birth day wrong by 1–3 days, or day and month exchanged. */
  wrongBirthDay: rate.default(0.02),
  /** No birth date or year at all. */
  missingBirthDate: rate.default(0.01),
  /** The phone given (for people who have one). */
  phone: rate.default(0.75),
  /** The phone in its pre-2018 11-digit form. */
  oldPhoneForm: rate.default(0.08),
  /** Another household member's phone instead of the person's own. */
  householdPhone: rate.default(0.05),
  /** Sex given. */
  sex: rate.default(0.5),
  /** Records of people the registry does not hold: they must stay unlinked. */
  notInRegistry: rate.default(0.02),
  /** Registry persons given a twin (same birth date, household and phone, another given name). */
  twins: rate.default(0.005),
  /** Registry persons given a namesake (same full name, birth year and province, another day and phone). */
  namesakes: rate.default(0.01),
  // Kinds of noise the held-out profile adds (none in the default profile; drawn from a stream
  // of their own, so the default profile's records stay as they were).
  /** Any middle name left out (one word of a two-word middle name, or the only one). */
  droppedAnyMiddleName: rate.default(0),
  /** A two-word middle name written in the other order ("Ngọc Thị" for "Thị Ngọc"). */
  reorderedMiddleNames: rate.default(0),
  /** One digit of the citizen ID or CMND mistyped. */
  mistypedId: rate.default(0),
  /** Day and month exchanged (when both could be a month). */
  dayMonthSwapped: rate.default(0),
  /** The birth month wrong by one or two (the day kept). */
  wrongBirthMonth: rate.default(0),
});

export type NoiseProfile = z.output<typeof noiseProfileSchema>;
export type NoiseProfileInput = z.input<typeof noiseProfileSchema>;

/** The default profile with some rates changed; throws a zod error naming a rate outside 0–1. */
export function noiseProfile(overrides: NoiseProfileInput = {}): NoiseProfile {
  return Object.freeze(noiseProfileSchema.parse(overrides));
}
