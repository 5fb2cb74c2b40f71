import { createPopulation, type InsuranceCardRecord, type Person, PROVINCES } from '../src/index';

describe('insurance cards over 50,000 people', () => {
  const N = 50_000;
  const pop = createPopulation({ seed: 31, size: N });
  const holders: Array<{ person: Person; card: InsuranceCardRecord }> = [];
  beforeAll(() => {
    for (let i = 0; i < N; i++) {
      const card = pop.insuranceCard(i);
      if (card !== null) holders.push({ person: pop.person(i), card });
    }
  });

  it('covers about 90% of people', () => {
    expect(holders.length / N).toBeGreaterThan(0.87);
    expect(holders.length / N).toBeLessThan(0.94);
  });

  it('numbers the card as group + benefit level + issuing province + social insurance code', () => {
    const provinces = new Set(PROVINCES.map((p) => p.code));
    const bad = holders.filter(({ card }) => {
      const m = /^([A-Z]{2})([1-5])(\d{2})(\d{10})$/.exec(card.cardNumber);
      return (
        m === null ||
        m[1] !== card.beneficiaryGroup ||
        Number(m[2]) !== card.benefitLevel ||
        !provinces.has(m[3]!) ||
        m[4] !== card.socialInsuranceCode ||
        !provinces.has(card.socialInsuranceCode.slice(0, 2)) ||
        card.registeredClinic.code.slice(0, 2) !== m[3] ||
        !/^\d{5}$/.test(card.registeredClinic.code) ||
        card.registeredClinic.name.length === 0 ||
        card.sourceRecordId !== card.socialInsuranceCode ||
        card.personRef.kind !== 'CITIZEN_ID' ||
        card.validFrom >= card.validTo
      );
    });
    expect(bad.slice(0, 3)).toEqual([]);
  });

  it('puts groups by age: TE under 6, pensions and social assistance for the old', () => {
    const groupsByAge = (lo: number, hi: number) => {
      const m = new Map<string, number>();
      for (const { person, card } of holders) {
        const age = 2022 - person.birthYear;
        if (age >= lo && age <= hi) m.set(card.beneficiaryGroup, (m.get(card.beneficiaryGroup) ?? 0) + 1);
      }
      return m;
    };
    expect([...groupsByAge(0, 5).keys()]).toEqual(['TE']);
    expect(groupsByAge(7, 16).get('HS')).toBeGreaterThan(0);
    const old = groupsByAge(85, 120);
    expect((old.get('HT') ?? 0) + (old.get('BT') ?? 0)).toBeGreaterThan(0);
    expect(old.get('TE') ?? 0).toBe(0);
    const te = holders.filter(({ card }) => card.beneficiaryGroup === 'TE');
    expect(te.filter(({ card, person }) => Number(card.validTo.slice(0, 4)) - person.birthYear > 6)).toEqual([]);
  });
});
