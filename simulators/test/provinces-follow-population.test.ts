import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createPopulation, PROVINCES } from '../src/index';

describe('provinces', () => {
  it('match data/provinces.csv and carry census populations', () => {
    const rows = readFileSync(join(__dirname, '..', 'data', 'provinces.csv'), 'utf8').trim().split('\n').slice(1);
    expect(PROVINCES).toHaveLength(63);
    expect(PROVINCES.map((p) => [p.code, p.name, p.region].join(','))).toEqual(rows.map((r) => r.normalize('NFC')));
    const total = PROVINCES.reduce((sum, p) => sum + p.population, 0);
    expect(total).toBeGreaterThan(95_000_000);
    expect(total).toBeLessThan(97_500_000);
  });

  it('weight where people are registered by population: Hồ Chí Minh and Hà Nội first', () => {
    const N = 100_000;
    const pop = createPopulation({ seed: 6, size: N });
    const counts = new Map<string, number>();
    for (let i = 0; i < N; i++) {
      const code = pop.person(i).provinceCode;
      counts.set(code, (counts.get(code) ?? 0) + 1);
    }
    const ranked = [...counts.entries()].sort((a, b) => b[1] - a[1]).map(([code]) => code);
    expect(ranked.slice(0, 2).sort()).toEqual(['01', '79']);
    expect(counts.size).toBe(63);
    const total = PROVINCES.reduce((sum, p) => sum + p.population, 0);
    const off = PROVINCES.filter((p) => {
      const expected = p.population / total;
      const actual = (counts.get(p.code) ?? 0) / N;
      // Four standard deviations of a binomial share.
      return Math.abs(actual - expected) > 4 * Math.sqrt((expected * (1 - expected)) / N);
    }).map((p) => p.code);
    expect(off).toEqual([]);
  });

  it('give birth years from 1922 to 2021 with more young than old people', () => {
    const N = 50_000;
    const pop = createPopulation({ seed: 6, size: N });
    const years = new Map<number, number>();
    for (let i = 0; i < N; i++) {
      const y = pop.person(i).birthYear;
      years.set(y, (years.get(y) ?? 0) + 1);
    }
    expect(Math.min(...years.keys())).toBeGreaterThanOrEqual(1922);
    expect(Math.max(...years.keys())).toBeLessThanOrEqual(2021);
    const between = (a: number, b: number) => [...years.entries()].filter(([y]) => y >= a && y <= b).reduce((s, [, n]) => s + n, 0) / N;
    expect(between(1992, 2021)).toBeGreaterThan(0.4);
    expect(between(1922, 1951)).toBeLessThan(0.08);
    expect(between(1922, 1951)).toBeGreaterThan(0.02);
  });
});
