// Trust beyond a flat list of keys: a DSC trusted only when a CSCA of its country in the list
// issued it, a DSC limited by its extended key usage to some certificate kinds, and a list with
// unreadable entries still used for the rest, each skipped entry reported.
import 'reflect-metadata';
import { createPrivateKey, webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import { issueCertificate, keyIdOf, newUvci, testPayload, TrustAnchors, vaccinationPayload, verifyCertificate, type TrustListItem } from '../src';
import { HOLDER, ISSUED_AT, ISSUER, signingKey, trustOf } from './certificate-fixtures';

x509.cryptoProvider.set(webcrypto as never);
const ES256 = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const YEAR = 365 * 86_400_000;
const TEST_OID = '1.3.6.1.4.1.1847.2021.1.1';

type Keys = Parameters<typeof x509.X509CertificateGenerator.createSelfSigned>[0]['keys'];
const newKeys = async () => (await webcrypto.subtle.generateKey(ES256, true, ['sign', 'verify'])) as unknown as Keys;
const entry = (der: Buffer, certificateType: 'DSC' | 'CSCA'): TrustListItem => ({
  kid: keyIdOf(der).toString('base64'), country: 'VN', certificateType, rawData: der.toString('base64'), thumbprint: '', timestamp: '', signature: '',
});

describe('trust', () => {
  let csca: { der: Buffer; keys: Keys };
  let chained: { der: Buffer; privateKey: ReturnType<typeof createPrivateKey> };
  const signed = (kind: 'vaccination' | 'test') => {
    const payload = kind === 'test'
      ? testPayload(HOLDER, { method: 'RT_PCR', result: 'NEGATIVE', sampledAt: '2022-03-01T06:30:00Z', centre: 'Viện Pasteur Nha Trang' }, ISSUER, newUvci('VN', 'MOH', 'test'))
      : vaccinationPayload(HOLDER, { vaccine: 'COMIRNATY', doseNumber: 2, seriesDoses: 2, administeredOn: '2022-02-12' }, ISSUER, newUvci('VN', 'MOH', 'vaccination'));
    return issueCertificate(payload, { kid: keyIdOf(chained.der), privateKey: chained.privateKey }, { issuerCountry: 'VN', issuedAt: ISSUED_AT, expiresAt: new Date(ISSUED_AT.getTime() + YEAR) });
  };

  beforeAll(async () => {
    const notBefore = new Date('2022-01-01T00:00:00Z');
    const cscaKeys = await newKeys();
    const cscaCertificate = await x509.X509CertificateGenerator.createSelfSigned({
      serialNumber: '01', name: 'C=VN, O=Ministry of Health, CN=VN CSCA', notBefore, notAfter: new Date(notBefore.getTime() + 5 * YEAR), signingAlgorithm: ES256, keys: cscaKeys,
      extensions: [new x509.BasicConstraintsExtension(true, 0, true), new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign, true)],
    });
    csca = { der: Buffer.from(cscaCertificate.rawData), keys: cscaKeys };
    const dscKeys = await newKeys();
    const dsc = await x509.X509CertificateGenerator.create({
      serialNumber: '02', subject: 'C=VN, O=Ministry of Health, CN=VN DSC tests', issuer: cscaCertificate.subject, notBefore, notAfter: new Date(notBefore.getTime() + 2 * YEAR),
      signingAlgorithm: ES256, publicKey: dscKeys.publicKey, signingKey: cscaKeys.privateKey,
      extensions: [new x509.ExtendedKeyUsageExtension([TEST_OID])],
    });
    const pkcs8 = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', dscKeys.privateKey as never));
    chained = { der: Buffer.from(dsc.rawData), privateKey: createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' }) };
  });

  it('trusts a DSC its CSCA issued, and refuses a self-signed one of the same country, reporting it', async () => {
    const rogue = await signingKey();
    const trust = await TrustAnchors.from({ certificates: [entry(csca.der, 'CSCA'), entry(chained.der, 'DSC'), entry(rogue.certificateDer, 'DSC')] });
    expect(trust.keys.has(keyIdOf(chained.der).toString('base64'))).toBe(true);
    expect(trust.keys.has(rogue.kid.toString('base64'))).toBe(false);
    expect(trust.skipped).toEqual([{ kid: rogue.kid.toString('base64'), country: 'VN', reason: 'no CSCA of VN in the trust list issued it' }]);
    expect((await verifyCertificate(signed('test').hc1, { trust, now: ISSUED_AT })).reasons).toEqual([]);
    // Without CSCAs for its country, a listed DSC is trusted as it is.
    expect((await trustOf(rogue)).keys.has(rogue.kid.toString('base64'))).toBe(true);
  });

  it('refuses a kind of certificate the DSC’s extended key usage does not allow', async () => {
    const trust = await TrustAnchors.from({ certificates: [entry(csca.der, 'CSCA'), entry(chained.der, 'DSC')] });
    const result = await verifyCertificate(signed('vaccination').hc1, { trust, now: ISSUED_AT });
    expect(result.reasons.map((reason) => reason.code)).toEqual(['KEY_USAGE']);
    expect(result.reasons[0]!.message).toMatch(/may sign test certificates, not vaccination/);
  });

  it('skips and reports entries it cannot read and keeps the rest', async () => {
    const key = await signingKey();
    const good = entry(key.certificateDer, 'DSC');
    const trust = await TrustAnchors.from({ certificates: [
      { ...good, kid: 'AAAAAAAAAAA=', rawData: Buffer.from('not a certificate').toString('base64') },
      { country: 'FR', rawData: 'x' },
      { ...good, kid: 'BBBBBBBBBBB=' },
      good,
    ] });
    expect(trust.skipped.map((skipped) => [skipped.kid, skipped.reason])).toEqual([
      ['entry 1', expect.stringMatching(/^not a trust-list entry: kid/)],
      ['AAAAAAAAAAA=', 'not an X.509 certificate'],
      ['BBBBBBBBBBB=', 'the kid does not match its certificate'],
    ]);
    const { vaccination } = { vaccination: issueCertificate(
      vaccinationPayload(HOLDER, { vaccine: 'COMIRNATY', doseNumber: 2, seriesDoses: 2, administeredOn: '2022-02-12' }, ISSUER, newUvci('VN', 'MOH', 'vaccination')),
      { kid: key.kid, privateKey: key.privateKey }, { issuerCountry: 'VN', issuedAt: ISSUED_AT, expiresAt: new Date(ISSUED_AT.getTime() + YEAR) }) };
    expect((await verifyCertificate(vaccination.hc1, { trust, now: ISSUED_AT })).valid).toBe(true);
  });
});
