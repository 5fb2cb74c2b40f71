import type { Population, TestRecord } from '../src/index';

/** The generator's test records of one lab feed, by record id. */
export function labRecords(population: Population, source: TestRecord['source']): Map<string, TestRecord> {
  const records = new Map<string, TestRecord>();
  for (let i = 0; i < population.size; i++) for (const r of population.testResults(i)) if (r.source === source) records.set(r.sourceRecordId, r);
  return records;
}
