import { z } from 'zod';
import { HubError, hubId, isoDate, latestPerKey, parseHubId, sourceRecordFields, validateBatch } from '../src';

type Row = { source: string; sourceRecordId: string; sourceUpdatedAt: string; value: string };

function row(source: string, sourceRecordId: string, sourceUpdatedAt: string, value: string): Row {
  return { source, sourceRecordId, sourceUpdatedAt, value };
}

describe('latestPerKey', () => {
  it('keeps the record the source changed last for each (source, sourceRecordId)', () => {
    const kept = latestPerKey([
      row('lab-fhir', 'a', '2021-08-01T10:00:00Z', 'a-new'),
      row('lab-fhir', 'a', '2021-08-01T09:00:00Z', 'a-old'),
      row('lab-csv', 'a', '2021-07-01T00:00:00Z', 'other-source'),
      row('lab-fhir', 'b', '2021-08-01T10:00:00Z', 'b-first'),
      row('lab-fhir', 'b', '2021-08-01T10:00:00Z', 'b-second'),
    ]);
    expect(kept.map((r) => r.value)).toEqual(['a-new', 'other-source', 'b-second']);
  });

  it('compares instants, not strings, across zone offsets', () => {
    // 10:00+07:00 is 03:00Z: earlier than 05:00Z although it sorts later as text.
    const kept = latestPerKey([row('s', '1', '2021-08-01T05:00:00Z', 'utc'), row('s', '1', '2021-08-01T10:00:00+07:00', 'hanoi')]);
    expect(kept).toEqual([row('s', '1', '2021-08-01T05:00:00Z', 'utc')]);
  });

  it('does not confuse keys whose parts run together', () => {
    const kept = latestPerKey([row('ab', 'c', '2021-01-01T00:00:00Z', 'x'), row('a', 'bc', '2021-01-01T00:00:00Z', 'y')]);
    expect(kept).toHaveLength(2);
    expect(latestPerKey([])).toEqual([]);
  });
});

describe('validateBatch', () => {
  const schema = z.object({ ...sourceRecordFields, day: isoDate });
  const good = {
    source: 'vaccination-platform',
    sourceRecordId: 'D-1',
    personId: '079187000001',
    personRef: { cccd: '079187000001' },
    raw: {},
    sourceUpdatedAt: '2021-08-01T10:00:00+07:00',
    day: '2021-08-01',
  };

  function failureOf(records: unknown[]): HubError {
    try {
      validateBatch(records, schema, 'HUB_TEST_BAD_RECORD', 'Dose');
    } catch (error) {
      if (error instanceof HubError) return error;
      throw error;
    }
    throw new Error('validateBatch accepted the batch');
  }

  it('accepts well-formed records, including a null personId', () => {
    expect(() => validateBatch([good, { ...good, sourceRecordId: 'D-2', personId: null }], schema, 'HUB_TEST_BAD_RECORD', 'Dose')).not.toThrow();
  });

  it('names the first bad record and field in the code and details', () => {
    const error = failureOf([good, { ...good, sourceRecordId: 'D-2', personId: '79187000001' }, { ...good, source: 'a:b' }]);
    expect(error.code).toBe('HUB_TEST_BAD_RECORD');
    expect(error.retryable).toBe(false);
    expect(error.details).toEqual({ index: 1, source: 'vaccination-platform', sourceRecordId: 'D-2', field: 'personId' });
    expect(error.message).toMatch(/^Dose 1 \(vaccination-platform:D-2\): "personId" /);
  });

  it.each([
    ['source', { source: 'a:b' }],
    ['source', { source: '   ' }],
    ['sourceRecordId', { sourceRecordId: '' }],
    ['personRef', { personRef: undefined }],
    ['raw', { raw: undefined }],
    ['sourceUpdatedAt', { sourceUpdatedAt: '2021-08-01 10:00' }],
    ['sourceUpdatedAt', { sourceUpdatedAt: '2021-08-01T10:00:00' }],
    ['day', { day: '2021-02-30' }],
  ])('rejects a bad %s', (field, change) => {
    expect(failureOf([{ ...good, ...change }]).details.field).toBe(field);
  });

  it('reports a record that is not an object with null source and ID', () => {
    expect(failureOf([null]).details).toMatchObject({ index: 0, source: null, sourceRecordId: null });
  });
});

describe('parseHubId', () => {
  it('splits at the first colon: sources hold none, record IDs may', () => {
    expect(parseHubId('lab-fhir:obs-123')).toEqual({ source: 'lab-fhir', sourceRecordId: 'obs-123' });
    expect(parseHubId('lab-csv:2021:07:A1')).toEqual({ source: 'lab-csv', sourceRecordId: '2021:07:A1' });
  });

  it.each(['', 'no-colon', ':obs-123', 'lab-fhir:'])('rejects %p', (id) => {
    expect(parseHubId(id)).toBeNull();
  });

  it('inverts hubId', () => {
    expect(hubId('lab-csv', '2021:07:A1')).toBe('lab-csv:2021:07:A1');
    expect(parseHubId(hubId('lab-csv', '2021:07:A1'))).toEqual({ source: 'lab-csv', sourceRecordId: '2021:07:A1' });
  });
});
