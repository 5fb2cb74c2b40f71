import { deflateSync, inflateSync } from 'node:zlib';
import { encode as base45Encode, decode as base45Decode } from 'base45';
import {
  createSigningKey, issueCertificate, newUvci, RevocationSet, signCertificate, testPayload, trustListAt, TrustAnchors, vaccinationPayload,
  verifyCertificate, uvciHash, CertificateErrors, type DccPayload, type VerificationResult,
} from '../src';
import { HOLDER, ISSUED_AT, ISSUER, issueEachKind, signingKey, trustOf } from './certificate-fixtures';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const SOON = new Date(ISSUED_AT.getTime() + HOUR);
const codes = (result: VerificationResult) => result.reasons.map((reason) => reason.code);

/** The HC1 text with one byte of its COSE payload flipped (then compressed and encoded again). */
function withChangedByte(hc1: string, needle: string): string {
  const cose = inflateSync(base45Decode(hc1.slice(4)));
  const at = cose.indexOf(Buffer.from(needle));
  expect(at).toBeGreaterThan(0);
  cose[at]! ^= 0x01;
  return 'HC1:' + base45Encode(deflateSync(cose));
}

describe('a certificate fails verification with the right reason', () => {
  it('when one byte of the signed content changed', async () => {
    const key = await signingKey();
    const { vaccination } = issueEachKind(key);
    // "NGUYEN" → "OGUYEN": the payload still decodes and passes the schema; only the signature catches it.
    const result = await verifyCertificate(withChangedByte(vaccination.hc1, 'NGUYEN'), { trust: await trustOf(key), now: SOON });
    expect(result.valid).toBe(false);
    expect(codes(result)).toEqual(['BAD_SIGNATURE']);
    expect(result.payload?.nam.fnt).toBe('OGUYEN');
  });

  it('when the text itself is damaged', async () => {
    const { vaccination } = issueEachKind(await signingKey());
    const key = await signingKey();
    expect(codes(await verifyCertificate(vaccination.hc1.slice(0, 60), { trust: await trustOf(key), now: SOON }))).toEqual(['MALFORMED']);
    expect(codes(await verifyCertificate(vaccination.hc1.replace('HC1:', 'HC2:'), { trust: await trustOf(key), now: SOON }))).toEqual(['MALFORMED']);
    expect(codes(await verifyCertificate(`${vaccination.hc1}a`, { trust: await trustOf(key), now: SOON }))).toEqual(['MALFORMED']);
  });

  it('when no trusted key has its key ID', async () => {
    const [signer, other] = [await signingKey(), await signingKey()];
    const { test } = issueEachKind(signer);
    const result = await verifyCertificate(test.hc1, { trust: await trustOf(other), now: SOON });
    expect(codes(result)).toEqual(['UNKNOWN_KEY']);
  });

  it('when it has expired', async () => {
    const key = await signingKey();
    const { vaccination } = issueEachKind(key);
    expect((await verifyCertificate(vaccination.hc1, { trust: await trustOf(key), now: new Date(vaccination.expiresAt.getTime() - 1000) })).valid).toBe(true);
    expect(codes(await verifyCertificate(vaccination.hc1, { trust: await trustOf(key), now: vaccination.expiresAt }))).toEqual(['EXPIRED']);
  });

  it('when its UVCI is on the revocation list, which holds only hashes', async () => {
    const key = await signingKey();
    const { vaccination, test } = issueEachKind(key);
    const list = { hashType: 'UCI', country: 'VN', generatedAt: SOON.toISOString(), hashes: [uvciHash(vaccination.uvci)] };
    expect(JSON.stringify(list)).not.toContain(vaccination.uvci);
    const revocations = RevocationSet.from(list);
    expect(codes(await verifyCertificate(vaccination.hc1, { trust: await trustOf(key), revocations, now: SOON }))).toEqual(['REVOKED']);
    expect((await verifyCertificate(test.hc1, { trust: await trustOf(key), revocations, now: SOON })).valid).toBe(true);
  });

  it('when its payload breaks the DCC schema, and the issuer refuses to sign such a payload', async () => {
    const key = await signingKey();
    const good = vaccinationPayload(HOLDER, { vaccine: 'COMIRNATY', doseNumber: 2, seriesDoses: 2, administeredOn: '2022-02-12' }, ISSUER, newUvci('VN', 'MOH', 'vaccination'));
    const broken = { ...good, dob: '12/07/1998', nam: { ...good.nam, fnt: 'Nguyễn' } } as DccPayload;
    const options = { issuerCountry: 'VN', issuedAt: ISSUED_AT, expiresAt: new Date(ISSUED_AT.getTime() + 365 * DAY) };
    expect(() => issueCertificate(broken, { kid: key.kid, privateKey: key.privateKey }, options)).toThrow(expect.objectContaining({ code: CertificateErrors.INVALID_PAYLOAD }));

    const signed = signCertificate(broken, { kid: key.kid, privateKey: key.privateKey }, options);
    const result = await verifyCertificate(signed.hc1, { trust: await trustOf(key), now: SOON });
    expect(codes(result)).toEqual(['SCHEMA_INVALID']);
    expect(result.reasons[0]!.message).toMatch(/\/dob/);
    expect(result.reasons[0]!.message).toMatch(/\/nam\/fnt/);
  });

  it('when it holds entries of two kinds, which releases before 1.3.0 let through', async () => {
    const key = await signingKey();
    const good = vaccinationPayload(HOLDER, { vaccine: 'COMIRNATY', doseNumber: 2, seriesDoses: 2, administeredOn: '2022-02-12' }, ISSUER, newUvci('VN', 'MOH', 'vaccination'));
    const recovery = { tg: good.v![0].tg, fr: '2022-01-02', co: 'VN', is: ISSUER.issuerName, df: '2022-01-13', du: '2022-07-01', ci: newUvci('VN', 'MOH', 'recovery') };
    const options = { issuerCountry: 'VN', issuedAt: ISSUED_AT, expiresAt: new Date(ISSUED_AT.getTime() + 365 * DAY) };
    const sign = (payload: DccPayload) => signCertificate(payload, { kid: key.kid, privateKey: key.privateKey }, options).hc1;

    const twoKinds = { ...good, ver: '1.2.1', r: [recovery] } as DccPayload;
    const result = await verifyCertificate(sign(twoKinds), { trust: await trustOf(key), now: SOON });
    expect(codes(result)).toEqual(['SCHEMA_INVALID']);
    expect(result.reasons[0]!.message).toMatch(/2 kinds \(v, r\)/);
    // One kind alone, under the same release, is valid.
    expect((await verifyCertificate(sign({ ...good, ver: '1.2.1' }), { trust: await trustOf(key), now: SOON })).valid).toBe(true);
  });

  it('when its key was retired after the overlap that followed a rotation', async () => {
    const [old, current] = [await signingKey(), await signingKey()];
    const { vaccination } = issueEachKind(old);
    const rotatedAt = new Date(ISSUED_AT.getTime() + DAY);
    const overlapEndsAt = new Date(rotatedAt.getTime() + 14 * DAY);
    const keys = [
      { certificateDer: old.certificateDer, country: 'VN', createdAt: old.notBefore, supersededAt: rotatedAt, overlapEndsAt, retiredAt: null },
      { certificateDer: current.certificateDer, country: 'VN', createdAt: rotatedAt, supersededAt: null, overlapEndsAt: null, retiredAt: null },
    ];
    const during = new Date(overlapEndsAt.getTime() - HOUR);
    expect((await verifyCertificate(vaccination.hc1, { trust: await TrustAnchors.from(trustListAt(keys, during)), now: during })).valid).toBe(true);
    const after = new Date(overlapEndsAt.getTime() + HOUR);
    const published = trustListAt(keys, after);
    expect(published.certificates).toHaveLength(1);
    expect(codes(await verifyCertificate(vaccination.hc1, { trust: await TrustAnchors.from(published), now: after }))).toEqual(['KEY_RETIRED']);
  });

  it('when its key\'s X.509 certificate was not valid when it signed, or has expired since', async () => {
    const lapsed = await createSigningKey({ country: 'VN', organisation: 'Ministry of Health', notBefore: new Date('2020-01-01T00:00:00Z'), notAfter: new Date('2021-01-01T00:00:00Z') });
    const { vaccination } = issueEachKind(lapsed);
    expect(codes(await verifyCertificate(vaccination.hc1, { trust: await trustOf(lapsed), now: SOON }))).toEqual(['KEY_NOT_VALID']);

    const key = await signingKey();
    const { test } = issueEachKind(key);
    const afterKeyExpiry = new Date(key.notAfter.getTime() + DAY);
    expect(codes(await verifyCertificate(test.hc1, { trust: await trustOf(key), now: afterKeyExpiry })))
      .toEqual(expect.arrayContaining(['KEY_NOT_VALID']));
  });

  it('when the rules refuse it: incomplete primary series, positive or old test', async () => {
    const key = await signingKey();
    const signer = { kid: key.kid, privateKey: key.privateKey };
    const options = { issuerCountry: 'VN', issuedAt: ISSUED_AT, expiresAt: new Date(ISSUED_AT.getTime() + 365 * DAY) };
    const firstDose = issueCertificate(vaccinationPayload(HOLDER, { vaccine: 'ABDALA', doseNumber: 2, seriesDoses: 3, administeredOn: '2022-02-12' }, ISSUER, newUvci('VN', 'MOH', 'vaccination')), signer, options);
    expect(codes(await verifyCertificate(firstDose.hc1, { trust: await trustOf(key), now: SOON }))).toEqual(['PRIMARY_SERIES_INCOMPLETE']);
    const positive = issueCertificate(testPayload(HOLDER, { method: 'RAPID_ANTIGEN', result: 'POSITIVE', sampledAt: ISSUED_AT.toISOString(), centre: 'Trạm Y tế' }, ISSUER, newUvci('VN', 'MOH', 'test')), signer, options);
    expect(codes(await verifyCertificate(positive.hc1, { trust: await trustOf(key), now: SOON }))).toEqual(['TEST_POSITIVE']);
    const { test } = issueEachKind(key);
    expect(codes(await verifyCertificate(test.hc1, { trust: await trustOf(key), now: new Date(ISSUED_AT.getTime() + 4 * DAY) }))).toEqual(['TEST_TOO_OLD']);
  });
});
