import { createPopulation } from '../src/index';

describe('identifiers over 200,000 people', () => {
  const pop = createPopulation({ seed: 21, size: 200_000 });
  const oldIds = new Set<string>();
  const insuranceCodes = new Set<string>();
  const caseCodes = new Set<string>();
  const recordIds = new Map<string, Set<string>>();
  let oldIdCount = 0;
  let insuranceCount = 0;
  let caseCount = 0;
  let recordCount = 0;
  const seeRecord = (source: string, id: string) => {
    let ids = recordIds.get(source);
    if (ids === undefined) recordIds.set(source, (ids = new Set()));
    ids.add(id);
    recordCount++;
  };

  beforeAll(() => {
    for (let i = 0; i < 200_000; i++) {
      const p = pop.person(i);
      if (p.oldId !== null) {
        oldIdCount++;
        oldIds.add(p.oldId);
      }
      const card = pop.insuranceCard(i);
      if (card !== null) {
        insuranceCount++;
        insuranceCodes.add(card.socialInsuranceCode);
        seeRecord(card.source, card.sourceRecordId);
      }
      for (const c of pop.cases(i)) {
        caseCount++;
        caseCodes.add(c.caseCode);
        seeRecord(c.source, c.sourceRecordId);
      }
      for (const v of pop.vaccinations(i)) seeRecord(v.source, v.sourceRecordId);
      for (const t of pop.testResults(i)) seeRecord(t.source, t.sourceRecordId);
    }
  });

  it('CMND numbers are 9 digits and unique', () => {
    expect(oldIdCount).toBeGreaterThan(100_000);
    expect(oldIds.size).toBe(oldIdCount);
    expect([...oldIds].filter((id) => !/^\d{9}$/.test(id))).toEqual([]);
  });

  it('social insurance codes are 10 digits and unique', () => {
    expect(insuranceCodes.size).toBe(insuranceCount);
    expect([...insuranceCodes].filter((code) => !/^\d{10}$/.test(code))).toEqual([]);
  });

  it('case codes are "BN" + number and unique', () => {
    expect(caseCount).toBeGreaterThan(5_000);
    expect(caseCodes.size).toBe(caseCount);
    expect([...caseCodes].filter((code) => !/^BN[1-9]\d*$/.test(code))).toEqual([]);
  });

  it('source record ids are unique within each source', () => {
    expect([...recordIds.keys()].sort()).toEqual(['case-management', 'lab-csv', 'lab-fhir', 'social-insurance', 'vaccination-platform']);
    let distinct = 0;
    for (const ids of recordIds.values()) distinct += ids.size;
    expect(distinct).toBe(recordCount);
  });
});
