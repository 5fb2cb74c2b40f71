import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import {
  HUB_VACCINE_CODES, icaoTransliterate, inValueSet, newUvci, signCertificate, testPayload, uvciCheckCharacterValid, vaccineCodes, verifyCertificate,
  VALUE_SETS, VALUE_SET_VERSIONS, CertificateErrors, type DccPayload,
} from '../src';
import { HOLDER, ISSUED_AT, ISSUER, signingKey, trustOf } from './certificate-fixtures';

describe('ICAO 9303 transliteration', () => {
  it.each([
    ['Nguyễn', 'NGUYEN'],
    ['Đặng Thị', 'DANG<THI'],
    ['đỗ  Văn-Hùng', 'DO<VAN<HUNG'],
    ['Trương Ưng Ơn', 'TRUONG<UNG<ON'],
    ["d'Červenková Panklová", 'DCERVENKOVA<PANKLOVA'],
  ])('%s → %s', async (name, expected) => {
    expect(icaoTransliterate(name)).toBe(expected);
  });
});

describe('value sets', () => {
  it('maps every vaccine product of the hub to codes that are in the EU value sets', async () => {
    expect(Object.keys(HUB_VACCINE_CODES).sort()).toEqual(['ABDALA', 'COMIRNATY', 'COVAXIN', 'HAYAT_VAX', 'SPIKEVAX', 'SPUTNIK_V', 'VAXZEVRIA', 'VERO_CELL']);
    for (const codes of Object.values(HUB_VACCINE_CODES)) {
      expect(inValueSet(VALUE_SETS.vaccineMedicinalProduct, codes.mp)).toBe(true);
      expect(inValueSet(VALUE_SETS.vaccineMahManf, codes.ma)).toBe(true);
      expect(inValueSet(VALUE_SETS.vaccineProphylaxis, codes.vp)).toBe(true);
    }
  });

  it('refuses a product without an EU code', async () => {
    expect(() => vaccineCodes('ZF2001')).toThrow(expect.objectContaining({ code: CertificateErrors.NO_EU_CODE }));
  });
});

describe('UVCI', () => {
  it('is unique, in the annex 2 format, with a check character that catches a changed character', async () => {
    const uvcis = new Set(Array.from({ length: 1000 }, () => newUvci('VN', 'MOH', 'vaccination')));
    expect(uvcis.size).toBe(1000);
    for (const uvci of uvcis) {
      expect(uvci).toMatch(/^URN:UVCI:01:VN:MOH\/V[0-9A-Z]{20}#[0-9A-Z/:]$/);
      expect(uvciCheckCharacterValid(uvci)).toBe(true);
    }
    const uvci = [...uvcis][0]!;
    const changed = uvci.replace(/V(.)/, (_, c: string) => `V${c === '0' ? '1' : '0'}`);
    expect(uvciCheckCharacterValid(changed)).toBe(false);
  });
});

describe('the UVCI check character', () => {
  it('passes the eHealth Network reference implementation (luhn_mod_n.py), and a changed one fails it', async () => {
    const uvcis = Array.from({ length: 200 }, (_, i) => newUvci('VN', 'MOH', (['vaccination', 'test', 'recovery'] as const)[i % 3]!));
    const changed = uvcis.slice(0, 20).map((uvci) => uvci.slice(0, -1) + (uvci.endsWith('A') ? 'B' : 'A'));
    const reference = join(__dirname, '../../../shared/data/eu-dcc-schema');
    const script = [
      'import sys, json',
      `sys.path.insert(0, ${JSON.stringify(reference)})`,
      'from luhn_mod_n import LuhnModN',
      'print(json.dumps([LuhnModN.validate_check_character(u.replace("#", "")) for u in json.load(sys.stdin)]))',
    ].join('\n');
    const verdicts = JSON.parse(execFileSync('python3', ['-c', script], { input: JSON.stringify([...uvcis, ...changed]) }).toString()) as boolean[];
    expect(verdicts.slice(0, uvcis.length).every(Boolean)).toBe(true);
    expect(verdicts.slice(uvcis.length).some(Boolean)).toBe(false);
    expect(uvcis.every(uvciCheckCharacterValid)).toBe(true);
  });

  it('is the character the reference generates', async () => {
    // The reference's docstring example says S; its code generates H, and the code is what verifiers run.
    const script = `import sys\nsys.path.insert(0, ${JSON.stringify(join(__dirname, '../../../shared/data/eu-dcc-schema'))})\nfrom luhn_mod_n import LuhnModN\nprint(LuhnModN.generate_check_character("URN:UVCI:01:NL:MY/INPUT/STRING"))`;
    expect(execFileSync('python3', ['-c', script]).toString().trim()).toBe('H');
    expect(uvciCheckCharacterValid('URN:UVCI:01:NL:MY/INPUT/STRING#H')).toBe(true);
    expect(uvciCheckCharacterValid('URN:UVCI:01:NL:MY/INPUT/STRING#S')).toBe(false);
  });
});

describe('country and test device value sets', () => {
  it('are kept with their versions', async () => {
    expect(VALUE_SET_VERSIONS.countryCodes).toBe('country-2-codes 2019-11-01');
    expect(VALUE_SET_VERSIONS.testManufacturer).toBe('covid-19-lab-test-manufacturer-and-name 2021-07-01');
  });

  it('refuse a certificate naming country XY or test device 9999, and accept VN and a listed device', async () => {
    const key = await signingKey();
    const sign = (payload: DccPayload) => signCertificate(payload, { kid: key.kid, privateKey: key.privateKey }, { issuerCountry: 'VN', issuedAt: ISSUED_AT, expiresAt: new Date(ISSUED_AT.getTime() + 86_400_000) });
    const test = testPayload(HOLDER, { method: 'RAPID_ANTIGEN', result: 'NEGATIVE', sampledAt: ISSUED_AT.toISOString(), centre: 'Trạm y tế' }, ISSUER, newUvci('VN', 'MOH', 'test'));
    const withEntry = (changes: Record<string, string>) => ({ ...test, t: [{ ...test.t![0], ...changes }] }) as DccPayload;
    const codes = async (payload: DccPayload) => (await verifyCertificate(sign(payload).hc1, { trust: await trustOf(key), now: ISSUED_AT })).reasons.map((reason) => [reason.code, reason.message]);
    expect(await codes(withEntry({ ma: '1232' }))).toEqual([]);
    expect(await codes(withEntry({ ma: '9999' }))).toEqual([['UNKNOWN_CODE', 'ma 9999 is not in the EU value set covid-19-lab-test-manufacturer-and-name of 2021-07-01']]);
    expect(await codes(withEntry({ co: 'XY' }))).toEqual([['UNKNOWN_CODE', 'co XY is not in the EU value set country-2-codes of 2019-11-01']]);
  });
});
