import { PNG } from 'pngjs';
import jsQR from 'jsqr';
import { renderQr, uvciCheckCharacterValid, verifyCertificate } from '../src';
import { HOLDER, ISSUED_AT, issueEachKind, signingKey, trustOf } from './certificate-fixtures';

describe('issue, decode and verify', () => {
  it('verifies a vaccination, a test and a recovery certificate and gives back the payload that was signed', async () => {
    const key = await signingKey();
    const issued = issueEachKind(key);
    const at = new Date(ISSUED_AT.getTime() + 3_600_000);
    for (const [kind, certificate] of Object.entries(issued)) {
      expect(certificate.hc1.startsWith('HC1:')).toBe(true);
      expect(uvciCheckCharacterValid(certificate.uvci)).toBe(true);
      // Recovery is valid from day 11 after the positive test (2022-02-10).
      const result = await verifyCertificate(certificate.hc1, { trust: await trustOf(key), now: kind === 'recovery' ? new Date('2022-03-05T00:00:00Z') : at });
      expect(result.reasons).toEqual([]);
      expect(result.valid).toBe(true);
      expect(result.kind).toBe(kind);
      expect(result.uvci).toBe(certificate.uvci);
      expect(result.kid).toBe(key.kid.toString('base64'));
      expect(result.issuerCountry).toBe('VN');
      expect(result.payload).toEqual(certificate.payload);
    }
  });

  it('writes the names in ICAO form and the value-set codes of the product', async () => {
    const { vaccination, test, recovery } = issueEachKind(await signingKey());
    expect(vaccination.payload.nam).toEqual({ fn: HOLDER.familyName, fnt: 'NGUYEN', gn: 'Thu Ngọc Hạnh', gnt: 'THU<NGOC<HANH' });
    expect(vaccination.payload.dob).toBe('1998-07-21');
    expect(vaccination.payload.v![0]).toMatchObject({ tg: '840539006', vp: '1119349007', mp: 'EU/1/20/1528', ma: 'ORG-100030215', dn: 2, sd: 2, dt: '2022-02-12', co: 'VN' });
    expect(test.payload.t![0]).toMatchObject({ tt: 'LP6464-4', tr: '260415000', sc: '2022-03-01T06:30:00Z', tc: 'Viện Pasteur Nha Trang' });
    expect(recovery.payload.r![0]).toMatchObject({ fr: '2022-02-10', df: '2022-02-21', du: '2022-08-09' });
  });

  it('renders a QR code (PNG and SVG) that scans back to the HC1 text', async () => {
    const { vaccination } = issueEachKind(await signingKey());
    const qr = await renderQr(vaccination.hc1);
    expect(qr.svg).toContain('<svg');
    const png = PNG.sync.read(Buffer.from(qr.png.replace(/^data:image\/png;base64,/, ''), 'base64'));
    const scanned = jsQR(new Uint8ClampedArray(png.data), png.width, png.height);
    expect(scanned?.data).toBe(vaccination.hc1);
  });
});
