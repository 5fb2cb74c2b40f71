import { FIRST_BIRTH_YEAR, LAST_BIRTH_YEAR } from './calendar';
import { digits6, digits7, digits8 } from './digits';
import { Feistel, feistelForward, feistelInverse, roundKeys } from './feistel';
import { hash2, STREAM } from './prng';
import { PROVINCES, provinceIndexOf } from './provinces';
import { bucketOf, bucketOfSlot, bucketProvince, bucketTable, type BucketTable, SLOTS } from './buckets';

/**
 * Identifiers that must be unique across up to 10^8 people with no stored state: each is a
 * keyed bijection applied to a number that is already unique (the person's slot, their rank
 * within a bucket or province), so uniqueness holds by construction, not by luck.
 */

// Purposes keep the permutations of one seed independent of each other.
const PURPOSE = { SLOT: 1, SERIAL: 2, OLD_ID: 3, INSURANCE: 4, CASE: 5, VACCINATION: 6, TEST: 7, POOL: 8 } as const;

/**
 * Synthetic stand-ins for the historical CMND issuing prefixes: 01 Hà Nội, 02 Hồ Chí Minh,
 * 03 Hải Phòng as on real cards, the other provinces numbered on from 04 in code order.
 */
const OLD_ID_PREFIX: readonly string[] = (() => {
  const fixed: Record<string, number> = { '01': 1, '79': 2, '31': 3 };
  let next = 4;
  return PROVINCES.map((p) => String(fixed[p.code] ?? next++).padStart(2, '0'));
})();

/** Rounds of each bucket's serial permutation (keyed per bucket, so serials differ between buckets). */
const SERIAL_ROUNDS = 4;

export interface Located {
  slot: number;
  bucket: number;
}

export class IdentityCodec {
  readonly table: BucketTable;
  private readonly slotPerm: Feistel;
  /** Round keys of every bucket's serial permutation, SERIAL_ROUNDS per bucket. */
  private readonly serialKeys: Int32Array;
  private readonly oldIdPerm: Feistel;
  private readonly insurancePerm: Feistel;
  readonly casePerm: Feistel;
  readonly vaccinationPerm: Feistel;
  readonly testPerm: Feistel;
  readonly poolPerm: Feistel;

  constructor(key: number) {
    this.table = bucketTable();
    const k = (purpose: number) => hash2(key ^ STREAM.FEISTEL, purpose);
    this.slotPerm = new Feistel(10_000, 10_000, k(PURPOSE.SLOT));
    const buckets = this.table.prefix.length;
    this.serialKeys = new Int32Array(buckets * SERIAL_ROUNDS);
    for (let b = 0; b < buckets; b++) roundKeys(hash2(key ^ PURPOSE.SERIAL, b), SERIAL_ROUNDS, this.serialKeys, b * SERIAL_ROUNDS);
    this.oldIdPerm = new Feistel(10_000, 1_000, k(PURPOSE.OLD_ID));
    this.insurancePerm = new Feistel(10_000, 10_000, k(PURPOSE.INSURANCE));
    this.casePerm = new Feistel(10_000, 10_000, k(PURPOSE.CASE));
    this.vaccinationPerm = new Feistel(10_000, 10_000, k(PURPOSE.VACCINATION));
    this.testPerm = new Feistel(10_000, 10_000, k(PURPOSE.TEST));
    this.poolPerm = new Feistel(10_000, 10_000, k(PURPOSE.POOL));
  }

  /** Slot and bucket of person i. */
  locate(i: number): Located {
    const slot = this.slotPerm.forward(i);
    return { slot, bucket: bucketOfSlot(this.table, slot) };
  }

  /** Bucket of person i, without allocating. */
  bucketOfIndex(i: number): number {
    return bucketOfSlot(this.table, this.slotPerm.forward(i));
  }

  citizenId(loc: Located): string {
    const offset = loc.slot - this.table.start[loc.bucket]!;
    const serial = feistelForward(offset, 1_000, 1_000, this.serialKeys, loc.bucket * SERIAL_ROUNDS, SERIAL_ROUNDS);
    return this.table.prefix[loc.bucket]! + digits6(serial);
  }

  /** 9-digit CMND: issuing prefix + a permutation of the person's rank in their province. */
  oldId(loc: Located): string {
    const p = bucketProvince(loc.bucket);
    const rank = loc.slot - this.table.provinceStart[p]!;
    return OLD_ID_PREFIX[p]! + digits7(this.oldIdPerm.forward(rank));
  }

  /** 10-digit social insurance code: province + a permutation of the rank in the province. */
  socialInsuranceCode(loc: Located): string {
    const p = bucketProvince(loc.bucket);
    const rank = loc.slot - this.table.provinceStart[p]!;
    return PROVINCES[p]!.code + digits8(this.insurancePerm.forward(rank));
  }

  /**
   * Person index of a CCCD, by inverting the serial and slot permutations; null when the
   * string is not a CCCD this population could have issued.
   */
  indexOfCitizenId(citizenId: string): number | null {
    if (typeof citizenId !== 'string' || citizenId.length !== 12) return null;
    for (let k = 0; k < 12; k++) {
      const c = citizenId.charCodeAt(k);
      if (c < 48 || c > 57) return null;
    }
    if (citizenId[0] !== '0') return null;
    const p = provinceIndexOf(citizenId.slice(1, 3));
    if (p < 0) return null;
    const centurySex = citizenId.charCodeAt(3) - 48;
    if (centurySex > 3) return null;
    const year = (centurySex >= 2 ? 2000 : 1900) + Number(citizenId.slice(4, 6));
    if (year < FIRST_BIRTH_YEAR || year > LAST_BIRTH_YEAR) return null;
    const bucket = bucketOf(p, centurySex & 1, year);
    const offset = feistelInverse(Number(citizenId.slice(6)), 1_000, 1_000, this.serialKeys, bucket * SERIAL_ROUNDS, SERIAL_ROUNDS);
    const start = this.table.start[bucket]!;
    if (offset >= this.table.start[bucket + 1]! - start) return null;
    const slot = start + offset;
    if (slot >= SLOTS) return null;
    return this.slotPerm.inverse(slot);
  }
}
