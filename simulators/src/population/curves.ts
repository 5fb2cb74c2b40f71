import { dayOf } from './calendar';
import { type Rng, WeightedTable } from './prng';

/**
 * Piecewise-uniform distributions over days, for the timing of waves, campaigns and
 * testing drives.
 */
export class DayCurve {
  private readonly table: WeightedTable<readonly [number, number]>;

  constructor(segments: ReadonlyArray<readonly [firstDay: number, lastDay: number, weight: number]>) {
    this.table = new WeightedTable(segments.map(([a, b, w]) => [[a, b] as const, w * (b - a + 1)] as const));
  }

  sample(rng: Rng): number {
    const [a, b] = this.table.sample(rng);
    return a + rng.below(b - a + 1);
  }

  /** Monthly weights starting at (year, month); the last month may end early at `lastDay`. */
  static monthly(year: number, month: number, weights: readonly number[], lastDay?: number): DayCurve {
    const segments: Array<readonly [number, number, number]> = [];
    weights.forEach((w, k) => {
      const m = month - 1 + k;
      const first = dayOf(year + Math.floor(m / 12), (m % 12) + 1, 1);
      let last = dayOf(year + Math.floor((m + 1) / 12), ((m + 1) % 12) + 1, 1) - 1;
      if (lastDay !== undefined && last > lastDay) last = lastDay;
      // Weights are per month, not per day: divide so long and short months weigh the same.
      if (w > 0 && last >= first) segments.push([first, last, w / (last - first + 1)]);
    });
    return new DayCurve(segments);
  }
}
