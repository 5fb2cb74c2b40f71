// The offline verifier page in a real headless Chromium (Debian's `chromium`, driven by
// playwright-core): paste a certificate, read the verdict, and see that no request leaves
// the page: after the two lists are loaded from the hub, none at all. The page runs the library's
// own verification code (bundled by scripts/build-verifier-page.mjs, built here first), so its
// verdicts are compared with the library's, on the hub's certificates and on other issuers'
// (the EU vectors: PS256, ES256, a COSE_Sign1 inside CWT tag 61).
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateSync, inflateSync } from 'node:zlib';
import { encode as base45Encode, decode as base45Decode } from 'base45';
import Fastify, { type FastifyInstance } from 'fastify';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { freshDatabase } from '@health-hub/subgraph-kit/testing';
import {
  CertificateAuthority, decodeHc1, publishedCertificates, testPayload, TrustAnchors, trustListItem, vaccinationPayload, verifierPage,
  verifyCertificate, type CertificateRequest,
} from '../src';
import { HOLDER, ISSUER } from './certificate-fixtures';
import { readVectors, validationClock } from './eu-test-vectors';

const CHROMIUM = '/usr/bin/chromium';
const FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
// Debian's chromium, installed by `npm run setup`.

beforeAll(() => {
  execFileSync(process.execPath, [join(__dirname, '..', 'scripts', 'build-verifier-page.mjs')], { stdio: 'inherit' });
}, 120_000);

/** The page opened from `origin` in a fresh Chromium profile, once its lists are loaded; every request it makes goes into `requests`. */
async function openPage(origin: string, requests: string[]): Promise<{ context: BrowserContext; page: Page; close: () => Promise<void> }> {
  const profile = mkdtempSync(join(tmpdir(), 'hub-verifier-chromium-'));
  const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: FLAGS });
  context.on('request', (request) => requests.push(request.url()));
  const page = context.pages()[0] ?? (await context.newPage());
  await page.goto(`${origin}/certificates/verifier`);
  await page.waitForSelector('#lists[data-ready="true"]');
  return { context, page, close: async () => { await context.close(); rmSync(profile, { recursive: true, force: true }); } };
}

async function verifyIn(page: Page, requests: string[], hc1: string) {
  const before = requests.length;
  await page.fill('#certificate', hc1);
  await page.evaluate("document.getElementById('result').removeAttribute('data-valid')");
  await page.click('#verify');
  await page.waitForSelector('#result[data-valid]');
  // Verification itself sends nothing.
  expect(requests.slice(before)).toEqual([]);
  return {
    valid: await page.getAttribute('#result', 'data-valid'),
    verdict: await page.textContent('#verdict'),
    reasons: await page.$$eval('#reasons li', (items) => items.map((item) => item.getAttribute('data-code'))),
    messages: await page.$$eval('#reasons li', (items) => items.map((item) => item.textContent ?? '')),
    details: await page.textContent('#details'),
  };
}

describe('the offline verifier page', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let authority: CertificateAuthority;
  let server: FastifyInstance;
  let origin: string;
  let closeBrowser: (() => Promise<void>) | undefined;
  let context: BrowserContext;
  let page: Page;
  const requests: string[] = [];
  const certificates: Record<'complete' | 'revoked' | 'positive' | 'lapsedKey', string> = { complete: '', revoked: '', positive: '', lapsedKey: '' };

  beforeAll(async () => {
    db = await freshDatabase();
    // Keys valid one day: the first one, made ten days ago, has lapsed but is still in its overlap.
    authority = await CertificateAuthority.open({ databaseUrl: db.url, keyEncryptionKey: randomBytes(32).toString('base64'), keyValidityDays: 1, createKeyWhenMissing: false });
    const tenDaysAgo = new Date(Date.now() - 10 * 86_400_000);
    await authority.keys.rotate({ now: tenDaysAgo });
    const vaccination = (id: string, doseNumber: number): CertificateRequest => ({
      personId: id, kind: 'vaccination',
      payload: (uvci) => vaccinationPayload(HOLDER, { vaccine: 'COMIRNATY', doseNumber, seriesDoses: 2, administeredOn: '2021-11-02' }, ISSUER, uvci),
    });
    const [lapsedKey] = await authority.issue([vaccination('001098000004', 2)], new Date(tenDaysAgo.getTime() + 3_600_000));
    await authority.keys.rotate();
    const recent = new Date(Date.now() - 3_600_000).toISOString();
    const [complete, revoked, positive] = await authority.issue([
      vaccination('001098000001', 2),
      vaccination('001098000002', 2),
      { personId: '001098000003', kind: 'test', payload: (uvci) => testPayload(HOLDER, { method: 'RT_PCR', result: 'POSITIVE', sampledAt: recent, centre: 'Viện Pasteur Nha Trang' }, ISSUER, uvci) },
    ]);
    await authority.revoke(revoked!.uvci, 'Issued on a withdrawn dose record');
    Object.assign(certificates, { complete: complete!.hc1, revoked: revoked!.hc1, positive: positive!.hc1, lapsedKey: lapsedKey!.hc1 });

    server = Fastify();
    await server.register(publishedCertificates(authority));
    origin = await server.listen({ port: 0, host: '127.0.0.1' });

    ({ context, page, close: closeBrowser } = await openPage(origin, requests));
  }, 120_000);

  afterAll(async () => {
    await closeBrowser?.();
    await server?.close();
    await authority?.close();
    await db?.drop();
  });

  const verifyInPage = (hc1: string) => verifyIn(page, requests, hc1);

  it('loads only from the hub: the page, its script and style, and the two lists', async () => {
    expect(requests.length).toBeGreaterThanOrEqual(5);
    for (const url of requests) expect(new URL(url).origin).toBe(origin);
    expect(requests.map((url) => new URL(url).pathname).sort()).toEqual(
      ['/certificates/revocation-list', '/certificates/trust-list', '/certificates/verifier', '/certificates/verifier.css', '/certificates/verifier.js'],
    );
  });

  it('says valid for a good certificate and shows who it names', async () => {
    const result = await verifyInPage(certificates.complete);
    expect(result).toMatchObject({ valid: 'true', verdict: 'Valid certificate', reasons: [] });
    expect(result.details).toContain('Nguyễn');
    expect(result.details).toContain('NGUYEN');
    expect(result.details).toContain('1998-07-21');
    expect(result.details).toContain('2 of 2');
  });

  it('finds the same reasons as the library: revoked, positive, lapsed key, changed, malformed', async () => {
    expect((await verifyInPage(certificates.revoked)).reasons).toEqual(['REVOKED']);
    expect((await verifyInPage(certificates.positive)).reasons).toEqual(['TEST_POSITIVE']);
    expect((await verifyInPage(certificates.lapsedKey)).reasons).toEqual(['KEY_NOT_VALID']);

    const cose = inflateSync(base45Decode(certificates.complete.slice(4)));
    const at = cose.indexOf(Buffer.from('NGUYEN'));
    cose[at]! ^= 0x01;
    expect((await verifyInPage(`HC1:${base45Encode(deflateSync(cose))}`)).reasons).toEqual(['BAD_SIGNATURE']);

    expect((await verifyInPage('HC1:NOT A CERTIFICATE')).reasons).toEqual(['MALFORMED']);
  });

  it('says in words what is wrong with a certificate changed in its text', async () => {
    const text = certificates.complete;
    const at = Math.floor(text.length / 2);
    const changed = `${text.slice(0, at)}${text[at] === '0' ? '1' : '0'}${text.slice(at + 1)}`;
    const result = await verifyInPage(changed);
    const library = await verifyCertificate(changed, { trust: await TrustAnchors.from(await authority.trustList()) });
    expect(result.reasons).toEqual(library.reasons.map((reason) => reason.code));
    expect(result.valid).toBe('false');
    expect(result.messages.join(' ')).not.toMatch(/Failed to fetch/);
    expect(result.messages[0]).toMatch(/^(MALFORMED: Not a health certificate: .*(zlib|Base45|CBOR|COSE)|BAD_SIGNATURE)/);
  });

  it('still verifies with the network cut, from the lists it downloaded', async () => {
    await context.setOffline(true);
    try {
      expect((await verifyInPage(certificates.complete)).valid).toBe('true');
      expect((await verifyInPage(certificates.revoked)).reasons).toEqual(['REVOKED']);
    } finally {
      await context.setOffline(false);
    }
  });
});

describe('the offline verifier page with other issuers\' certificates', () => {
  // Valid at their validation clocks, each signed by the DSC the vector carries.
  const VECTORS = { PS256: 'CH/2DCode/raw/1.json', ES256: 'CY/2DCode/raw/6.json', 'COSE_Sign1 in CWT tag 61': 'common/2DCode/raw/CO28.json' } as const;
  const vectors = readVectors().filter((vector) => (Object.values(VECTORS) as string[]).includes(vector.name));
  const vector = (name: string) => vectors.find((candidate) => candidate.name === name)!;
  // The vectors' DSCs as a trust list in the EU gateway's format, as the hub would publish other issuers'.
  const trustList = { certificates: vectors.map((v) => trustListItem(Buffer.from(v.TESTCTX.CERTIFICATE!, 'base64'), v.name.split('/')[0]!.slice(0, 2).toUpperCase(), new Date('2021-05-01T00:00:00Z'))) };
  let server: FastifyInstance;
  let origin: string;
  let closeBrowser: (() => Promise<void>) | undefined;
  let context: BrowserContext;
  let page: Page;
  const requests: string[] = [];

  beforeAll(async () => {
    server = Fastify();
    await server.register(verifierPage());
    server.get('/certificates/trust-list', async () => trustList);
    server.get('/certificates/revocation-list', async () => ({ hashType: 'UCI', country: 'VN', generatedAt: new Date().toISOString(), hashes: [] }));
    origin = await server.listen({ port: 0, host: '127.0.0.1' });
    ({ context, page, close: closeBrowser } = await openPage(origin, requests));
    await context.setOffline(true);
  }, 120_000);

  afterAll(async () => {
    await closeBrowser?.();
    await server?.close();
  });

  it.each(Object.entries(VECTORS))('checks a %s certificate offline (%s), as the library does', async (_kind, name) => {
    const v = vector(name);
    const now = validationClock(v.TESTCTX.VALIDATIONCLOCK!);
    await page.clock.setFixedTime(now);
    const result = await verifyIn(page, requests, v.PREFIX!);
    const library = await verifyCertificate(v.PREFIX!, { trust: await TrustAnchors.from(trustList), now });
    expect(library.valid).toBe(true);
    expect(result).toMatchObject({ valid: 'true', verdict: 'Valid certificate', reasons: [] });
    expect(result.details).toContain(library.uvci!);

    // The same certificate with one character of its UVCI changed fails on its signature.
    const cose = decodeHc1(v.PREFIX!);
    cose[cose.indexOf(Buffer.from(library.uvci!)) + library.uvci!.length - 2]! ^= 0x01;
    const changed = `HC1:${base45Encode(deflateSync(cose))}`;
    const libraryOnChanged = await verifyCertificate(changed, { trust: await TrustAnchors.from(trustList), now });
    expect((await verifyIn(page, requests, changed)).reasons).toEqual(libraryOnChanged.reasons.map((reason) => reason.code));
    expect(libraryOnChanged.reasons.map((reason) => reason.code)).toContain('BAD_SIGNATURE');
  });

  it('made every request to the loopback server alone: the page, its script and style, the two lists', () => {
    for (const url of requests) expect(new URL(url).origin).toBe(origin);
    expect(new URL(origin).hostname).toBe('127.0.0.1');
    expect(requests.map((url) => new URL(url).pathname).sort()).toEqual(
      ['/certificates/revocation-list', '/certificates/trust-list', '/certificates/verifier', '/certificates/verifier.css', '/certificates/verifier.js'],
    );
  });
});
