import { Feistel } from '../src/population/feistel';

describe('Feistel permutations', () => {
  it.each([
    [10, 10],
    [100, 10],
    [1_000, 1_000],
    [10_000, 100],
  ])('map [0, %i × %i) onto itself one-to-one and invert exactly', (hi, lo) => {
    const f = new Feistel(hi, lo, 0xc0ffee);
    const seen = new Uint8Array(f.size);
    let bad = 0;
    for (let x = 0; x < f.size; x++) {
      const y = f.forward(x);
      if (!(y >= 0 && y < f.size) || seen[y] === 1 || f.inverse(y) !== x) bad++;
      else seen[y] = 1;
    }
    expect(bad).toBe(0);
  });

  it('depend on the key', () => {
    const a = new Feistel(1_000, 1_000, 1);
    const b = new Feistel(1_000, 1_000, 2);
    let same = 0;
    for (let x = 0; x < 10_000; x++) if (a.forward(x) === b.forward(x)) same++;
    expect(same).toBeLessThan(50);
  });

  it('refuse an odd number of rounds, which would swap the radices', () => {
    expect(() => new Feistel(10, 100, 1, 3)).toThrow();
  });
});
