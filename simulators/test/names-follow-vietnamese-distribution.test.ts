import { createPopulation } from '../src/index';

describe('names and sex over 100,000 people', () => {
  const N = 100_000;
  const pop = createPopulation({ seed: 4, size: N });
  const surnames = new Map<string, number>();
  const problems: string[] = [];
  let male = 0;
  let noMiddle = 0;
  let thiMales = 0;
  let thiFemales = 0;
  let females = 0;

  beforeAll(() => {
    for (let i = 0; i < N; i++) {
      const p = pop.person(i);
      surnames.set(p.familyName, (surnames.get(p.familyName) ?? 0) + 1);
      if (p.sex === 'MALE') male++;
      else females++;
      if (p.middleName === null) noMiddle++;
      if (p.middleName?.split(' ').includes('Thị')) {
        if (p.sex === 'MALE') thiMales++;
        else thiFemales++;
      }
      const expected = [p.familyName, p.middleName, p.givenName].filter((x) => x !== null).join(' ');
      if (p.fullName !== expected || p.fullName !== p.fullName.normalize('NFC') || /\s{2}|^\s|\s$/.test(p.fullName)) {
        if (problems.length < 5) problems.push(p.fullName);
      }
    }
  });

  const share = (name: string) => (surnames.get(name) ?? 0) / N;

  it('writes full names as family, middle, given name in NFC', () => {
    expect(problems).toEqual([]);
  });

  it('gives Nguyễn to 38% ± 2 and the next surnames their usual shares', () => {
    expect(share('Nguyễn')).toBeGreaterThan(0.36);
    expect(share('Nguyễn')).toBeLessThan(0.4);
    expect(share('Trần')).toBeCloseTo(0.11, 1);
    expect(share('Lê')).toBeCloseTo(0.095, 1);
    expect(share('Phạm')).toBeCloseTo(0.07, 1);
    expect(share('Hoàng') + share('Huỳnh')).toBeCloseTo(0.051, 1);
    expect(share('Vũ') + share('Võ')).toBeCloseTo(0.039, 1);
  });

  it('covers about 90% of people with the 14 common surnames, and has a long tail', () => {
    const common = ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Hoàng', 'Huỳnh', 'Phan', 'Vũ', 'Võ', 'Đặng', 'Bùi', 'Đỗ', 'Hồ', 'Ngô', 'Dương', 'Lý'];
    const covered = common.reduce((sum, n) => sum + share(n), 0);
    expect(covered).toBeGreaterThan(0.86);
    expect(covered).toBeLessThan(0.92);
    expect(surnames.size).toBeGreaterThan(50);
  });

  it('has about as many men as women', () => {
    expect(male / N).toBeGreaterThan(0.485);
    expect(male / N).toBeLessThan(0.515);
  });

  it('gives the middle name Thị only to women, and no middle name to about 5%', () => {
    expect(thiMales).toBe(0);
    expect(thiFemales / females).toBeGreaterThan(0.3);
    expect(noMiddle / N).toBeGreaterThan(0.04);
    expect(noMiddle / N).toBeLessThan(0.06);
  });
});
