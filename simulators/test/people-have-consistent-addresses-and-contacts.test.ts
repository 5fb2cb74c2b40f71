import { administrativeUnits, createPopulation, formatAddress, MOBILE_PREFIXES, type Person, PROVINCES } from '../src/index';

describe('registry fields over 50,000 people', () => {
  const N = 50_000;
  const pop = createPopulation({ seed: 13, size: N });
  const people: Person[] = [];
  beforeAll(() => {
    for (let i = 0; i < N; i++) people.push(pop.person(i));
  });

  it('gives everyone one PERMANENT address first and ~30% a CURRENT one', () => {
    const bad = people.filter((p) => p.addresses[0]?.kind !== 'PERMANENT' || p.addresses.length > 2 || (p.addresses.length === 2 && p.addresses[1]!.kind !== 'CURRENT'));
    expect(bad).toEqual([]);
    const moved = people.filter((p) => p.addresses.length === 2).length / N;
    expect(moved).toBeGreaterThan(0.25);
    expect(moved).toBeLessThan(0.35);
  });

  it('uses structured codes: ward within district within the province', () => {
    const wardsOf = new Map<string, Map<string, Set<string>>>();
    for (const p of PROVINCES) {
      const districts = new Map<string, Set<string>>();
      for (const d of administrativeUnits(p.code)) districts.set(d.code, new Set(d.wards.map((w) => w.code)));
      wardsOf.set(p.code, districts);
    }
    const bad: string[] = [];
    for (const p of people) {
      for (const a of p.addresses) {
        const ok =
          /^\d{2}$/.test(a.provinceCode) &&
          /^\d{3}$/.test(a.districtCode) &&
          /^\d{5}$/.test(a.wardCode) &&
          wardsOf.get(a.provinceCode)?.get(a.districtCode)?.has(a.wardCode) === true &&
          a.line.length > 3;
        if (!ok && bad.length < 5) bad.push(JSON.stringify(a));
      }
    }
    expect(bad).toEqual([]);
    expect(formatAddress(people[0]!.addresses[0]!)).toContain(PROVINCES.find((p) => p.code === people[0]!.addresses[0]!.provinceCode)!.name);
  });

  it('puts the members of a household at the same permanent address', () => {
    const households = new Map<string, Person[]>();
    for (const p of people) {
      const members = households.get(p.householdId) ?? [];
      members.push(p);
      households.set(p.householdId, members);
    }
    const sizes = [...households.values()].map((m) => m.length);
    expect(N / households.size).toBeGreaterThan(2.8);
    expect(N / households.size).toBeLessThan(4.2);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(7);
    const split = [...households.values()].filter((members) => new Set(members.map((m) => JSON.stringify(m.addresses[0]))).size !== 1);
    expect(split).toEqual([]);
  });

  it('gives ~90% a current 10-digit mobile number', () => {
    const prefixes = new Set(MOBILE_PREFIXES);
    const withPhone = people.filter((p) => p.phone !== null);
    expect(withPhone.length / N).toBeGreaterThan(0.87);
    expect(withPhone.length / N).toBeLessThan(0.93);
    expect(withPhone.filter((p) => !/^0\d{9}$/.test(p.phone!) || !prefixes.has(p.phone!.slice(0, 3)))).toEqual([]);
  });

  it('knows the birth date of ~97%, the year of everyone', () => {
    const unknown = people.filter((p) => p.birthDate === null).length / N;
    expect(unknown).toBeGreaterThan(0.02);
    expect(unknown).toBeLessThan(0.04);
    const bad = people.filter((p) => p.birthDate !== null && (Number(p.birthDate.slice(0, 4)) !== p.birthYear || new Date(p.birthDate).toISOString().slice(0, 10) !== p.birthDate));
    expect(bad).toEqual([]);
  });

  it('gives a CMND to ~80% of people born 2007 or earlier and to nobody younger', () => {
    const eligible = people.filter((p) => p.birthYear <= 2007);
    const share = eligible.filter((p) => p.oldId !== null).length / eligible.length;
    expect(share).toBeGreaterThan(0.77);
    expect(share).toBeLessThan(0.83);
    expect(people.filter((p) => p.birthYear > 2007 && p.oldId !== null)).toEqual([]);
  });

  it('stamps updatedAt between 2021-01-01 and 2022-06-30 as ISO datetimes in UTC', () => {
    const bad = people.filter(
      (p) => p.updatedAt < '2021-01-01T00:00:00.000Z' || p.updatedAt > '2022-06-30T23:59:59.999Z' || new Date(p.updatedAt).toISOString() !== p.updatedAt,
    );
    expect(bad).toEqual([]);
  });
});
