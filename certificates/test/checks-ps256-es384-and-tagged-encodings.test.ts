// Signatures and encodings other issuers use: RSA-PSS (PS256) and P-384 keys, the COSE_Sign1
// inside CWT tag 61, dates as CBOR tag 0. The hub signs with each key kind and reads its own
// back; the EU vectors that carry each are read as their issuers meant.
import { createSigningKey, decodeCose, decodeHc1, keyIdOf, TrustAnchors, verifyCertificate, verifyCose } from '../src';
import { issueEachKind, ISSUED_AT, trustOf } from './certificate-fixtures';
import { readVectors, validationClock, type TestVector } from './eu-test-vectors';

const vectors = readVectors();
const vector = (name: string) => vectors.find((candidate) => candidate.name === name)!;
const trustOfVector = async (v: TestVector) => {
  const der = Buffer.from(v.TESTCTX.CERTIFICATE!, 'base64');
  return TrustAnchors.from([{ kid: keyIdOf(der).toString('base64'), country: v.name.slice(0, 2), rawData: der.toString('base64') }]);
};
const coseOf = (v: TestVector) => (v.COSE ? Buffer.from(v.COSE, 'hex') : decodeHc1(v.PREFIX!));

describe('signature algorithms', () => {
  it.each(['PS256', 'ES384'] as const)('the hub signs with a %s key and verifies it; a changed byte fails', async (algorithm) => {
    const key = await createSigningKey({ country: 'VN', organisation: 'Ministry of Health', notBefore: new Date('2022-01-01T00:00:00Z'), notAfter: new Date('2024-01-01T00:00:00Z'), algorithm });
    const { vaccination } = issueEachKind(key);
    expect(decodeCose(decodeHc1(vaccination.hc1)).alg).toBe(algorithm === 'PS256' ? -37 : -35);
    const result = await verifyCertificate(vaccination.hc1, { trust: await trustOf(key), now: ISSUED_AT });
    expect(result.reasons).toEqual([]);

    const cose = decodeHc1(vaccination.hc1);
    cose[cose.indexOf(Buffer.from('NGUYEN'))]! ^= 0x01;
    expect((await verifyCose(cose, { trust: await trustOf(key), now: ISSUED_AT })).reasons.map((reason) => reason.code)).toEqual(['BAD_SIGNATURE']);
  });

  it.each([
    ['CH/2DCode/raw/1.json', -37],
    ['common/2DCode/raw/CO1.json', -37],
    ['ES/2DCode/raw/401.json', -7],
  ])('verifies the EU vector %s (algorithm %d)', async (name, alg) => {
    const v = vector(name);
    const decoded = decodeCose(coseOf(v));
    expect(decoded.alg).toBe(alg);
    const result = await verifyCose(coseOf(v), { trust: await trustOfVector(v), now: validationClock(v.TESTCTX.VALIDATIONCLOCK!) });
    expect(result.reasons.filter((reason) => ['BAD_SIGNATURE', 'UNKNOWN_KEY', 'MALFORMED'].includes(reason.code))).toEqual([]);
  });
});

describe('encodings', () => {
  it('reads a COSE_Sign1 inside CWT tag 61 and checks its signature', async () => {
    const v = vector('common/2DCode/raw/CO28.json');
    expect(coseOf(v)[0]).toBe(0xd8); // a one-byte tag number follows
    expect(coseOf(v)[1]).toBe(61);
    const result = await verifyCose(coseOf(v), { trust: await trustOfVector(v), now: validationClock(v.TESTCTX.VALIDATIONCLOCK!) });
    expect(result.reasons.map((reason) => reason.code)).not.toContain('MALFORMED');
    expect(result.reasons.map((reason) => reason.code)).not.toContain('BAD_SIGNATURE');
    expect(result.kind).not.toBeNull();
  });

  it('keeps a tag-0 date as the text it tags, so the schema accepts it', async () => {
    const v = vector('SE/2DCode/raw/2.json');
    expect(coseOf(v).includes(Buffer.from([0xc0, 0x74]))).toBe(true); // tag 0 around a 20-character string
    const result = await verifyCose(coseOf(v), { trust: await trustOfVector(v), now: validationClock(v.TESTCTX.VALIDATIONCLOCK!) });
    expect(result.payload?.t?.[0]?.sc).toBe('2021-06-15T09:24:02Z');
    expect(result.reasons.map((reason) => reason.code)).not.toContain('SCHEMA_INVALID');
  });
});
