// The verifier judges a payload by the official schema release its `ver` names, kept unmodified,
// and accepts what a later release accepts.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DCC_SCHEMAS, newUvci, payloadSchemaErrors, schemaVersionFor, testPayload } from '../src';
import { HOLDER, ISSUER } from './certificate-fixtures';

const OFFICIAL = join(__dirname, '../../../shared/data/eu-dcc-schema');

describe('DCC schemas', () => {
  it('are every official release, byte for byte as published', async () => {
    for (const version of Object.keys(DCC_SCHEMAS)) {
      const file = `DCC.combined-schema-${version}.json`;
      expect(readFileSync(join(__dirname, '../src/data/eu-dcc-schema', file))).toEqual(readFileSync(join(OFFICIAL, file)));
    }
    expect(Object.keys(DCC_SCHEMAS)).toHaveLength(9);
  });

  it('are chosen by ver: the release, else the newest of its minor, else the newest older one', async () => {
    expect(schemaVersionFor('1.0.0')).toBe('1.0.0');
    expect(schemaVersionFor('1.3.9')).toBe('1.3.3');
    expect(schemaVersionFor('1.4.0')).toBe('1.3.3');
    expect(schemaVersionFor('0.9.0')).toBe('1.0.0');
    expect(schemaVersionFor(undefined)).toBe('1.3.3');
  });

  it('accept a foreign test certificate without a testing centre, as 1.3.0 does', async () => {
    const { tc: _tc, ...entry } = testPayload(HOLDER, { method: 'RAPID_ANTIGEN', result: 'NEGATIVE', sampledAt: '2022-03-01T06:30:00Z', centre: 'x' }, ISSUER, newUvci('VN', 'MOH', 'test')).t![0];
    const payload = { ...testPayload(HOLDER, { method: 'RAPID_ANTIGEN', result: 'NEGATIVE', sampledAt: '2022-03-01T06:30:00Z', centre: 'x' }, ISSUER, newUvci('VN', 'MOH', 'test')), t: [entry] };
    expect(payloadSchemaErrors(payload)).toEqual([]);
  });

  it('accept a 1.0.0 payload with a birth year alone, which 1.0.0 refuses and 1.1.0 on accept, as the EU verifiers do', async () => {
    const payload = { ver: '1.0.0', nam: { fnt: 'NGUYEN' }, dob: '1998', r: [{ tg: '840539006', fr: '2022-01-01', co: 'VN', is: 'MOH', df: '2022-01-12', du: '2022-06-30', ci: 'URN:UVCI:01:VN:MOH/R1' }] };
    expect(payloadSchemaErrors(payload, '1.0.0').join()).toMatch(/\/dob/);
    expect(payloadSchemaErrors(payload)).toEqual([]);
    // What no release accepts is refused, with the errors of the payload's own release.
    expect(payloadSchemaErrors({ ...payload, dob: '1815-08-24' }).join()).toMatch(/\/dob must match pattern "\(19\|20\)/);
  });

  it('read kinds sent as null as absent (1.0.0 issuers did), but not two kinds at once', async () => {
    const payload = { ver: '1.0.0', nam: { fnt: 'NGUYEN' }, dob: '1998-07-21', t: null, r: [{ tg: '840539006', fr: '2022-01-01', co: 'VN', is: 'MOH', df: '2022-01-12', du: '2022-06-30', ci: 'URN:UVCI:01:VN:MOH/R1' }] };
    expect(payloadSchemaErrors(payload)).toEqual([]);
    expect(payloadSchemaErrors({ ...payload, r: 'x' }).join()).toMatch(/\/r must be array/);
  });
});
