import {
  createSigningKey, issueCertificate, newUvci, recoveryPayload, testPayload, trustListItem, vaccinationPayload,
  TrustAnchors, type CertificateHolder, type IssuerIdentity, type SignedCertificate, type SigningKey,
} from '../src';

export const ISSUER: IssuerIdentity = { country: 'VN', issuerName: 'Ministry of Health of Viet Nam' };
export const HOLDER: CertificateHolder = { familyName: 'Nguyễn', middleName: 'Thu Ngọc', givenName: 'Hạnh', birthDate: '1998-07-21', birthYear: 1998 };
export const ISSUED_AT = new Date('2022-03-01T08:00:00Z');
const DAY = 86_400_000;

export async function signingKey(notBefore = new Date('2022-01-01T00:00:00Z')): Promise<SigningKey> {
  return createSigningKey({ country: 'VN', organisation: 'Ministry of Health', notBefore, notAfter: new Date(notBefore.getTime() + 730 * DAY) });
}

export async function trustOf(...keys: SigningKey[]): Promise<TrustAnchors> {
  return TrustAnchors.from({ certificates: keys.map((key) => trustListItem(key.certificateDer, key.country, key.notBefore)) });
}

/** One certificate of each kind, signed by `key`. */
export function issueEachKind(key: SigningKey, issuedAt = ISSUED_AT): Record<'vaccination' | 'test' | 'recovery', SignedCertificate> {
  const sign = { issuerCountry: 'VN', issuedAt, expiresAt: new Date(issuedAt.getTime() + 365 * DAY) };
  const signer = { kid: key.kid, privateKey: key.privateKey };
  return {
    vaccination: issueCertificate(
      vaccinationPayload(HOLDER, { vaccine: 'COMIRNATY', doseNumber: 2, seriesDoses: 2, administeredOn: '2022-02-12' }, ISSUER, newUvci('VN', 'MOH', 'vaccination')),
      signer, sign),
    test: issueCertificate(
      testPayload(HOLDER, { method: 'RT_PCR', result: 'NEGATIVE', sampledAt: '2022-03-01T06:30:00.000Z', centre: 'Viện Pasteur Nha Trang' }, ISSUER, newUvci('VN', 'MOH', 'test')),
      signer, sign),
    recovery: issueCertificate(recoveryPayload(HOLDER, '2022-02-10', ISSUER, newUvci('VN', 'MOH', 'recovery')), signer, sign),
  };
}
