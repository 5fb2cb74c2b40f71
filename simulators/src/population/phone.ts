import { digits7 } from './digits';
import { type Rng, WeightedTable } from './prng';

/**
 * Mobile numbers in the 10-digit form in use since the 2018–2019 renumbering. Prefix weights
 * follow approximate operator market shares (Viettel ~50%, Vinaphone ~25%, Mobifone ~20%).
 */

const OPERATORS: ReadonlyArray<readonly [share: number, prefixes: readonly string[]]> = [
  [50, ['086', '096', '097', '098', '032', '033', '034', '035', '036', '037', '038', '039']],
  [25, ['088', '091', '094', '081', '082', '083', '084', '085']],
  [20, ['089', '090', '093', '070', '076', '077', '078', '079']],
  [4, ['092', '056', '058']],
  [1, ['099', '059']],
];

const PREFIXES = new WeightedTable(
  OPERATORS.flatMap(([share, prefixes]) => prefixes.map((p) => [p, share / prefixes.length] as const)),
);

/** All 10-digit mobile prefixes the generator uses. */
export const MOBILE_PREFIXES: readonly string[] = PREFIXES.items;

export function samplePhone(rng: Rng): string {
  return PREFIXES.sample(rng) + digits7(rng.below(10_000_000));
}

// New 3-digit prefix -> the 4-digit prefix it replaced in the 11-digit numbering.
const OLD_PREFIX: Readonly<Record<string, string>> = {
  '032': '0162', '033': '0163', '034': '0164', '035': '0165', '036': '0166', '037': '0167', '038': '0168', '039': '0169',
  '070': '0120', '079': '0121', '077': '0122', '076': '0126', '078': '0128',
  '083': '0123', '084': '0124', '085': '0125', '081': '0127', '082': '0129',
  '056': '0186', '058': '0188', '059': '0199',
};

/**
 * The 11-digit form a renumbered mobile had before 2018–2019 ("0326…" -> "01626…"), or
 * null when its prefix was not renumbered. Old and new forms of one number meet in the data.
 */
export function oldMobileForm(phone: string): string | null {
  const old = OLD_PREFIX[phone.slice(0, 3)];
  return old === undefined ? null : old + phone.slice(3);
}
