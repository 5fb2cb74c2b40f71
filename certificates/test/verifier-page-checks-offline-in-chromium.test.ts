// The offline verifier page in a real headless Chromium (Debian's `chromium`, driven by
// playwright-core): paste a certificate, read the verdict, and see that no request leaves
// the page: after the two lists are loaded from the hub, none at all.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateSync, inflateSync } from 'node:zlib';
import { encode as base45Encode, decode as base45Decode } from 'base45';
import Fastify, { type FastifyInstance } from 'fastify';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { freshDatabase } from '@health-hub/subgraph-kit/testing';
import { CertificateAuthority, publishedCertificates, testPayload, vaccinationPayload, type CertificateRequest } from '../src';
import { HOLDER, ISSUER } from './certificate-fixtures';

const CHROMIUM = '/usr/bin/chromium';
const FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
// Debian's chromium, installed by `npm run setup`.
describe('the offline verifier page', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let authority: CertificateAuthority;
  let server: FastifyInstance;
  let origin: string;
  let profile: string;
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

    profile = mkdtempSync(join(tmpdir(), 'hub-verifier-chromium-'));
    context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: FLAGS });
    context.on('request', (request) => requests.push(request.url()));
    page = context.pages()[0] ?? (await context.newPage());
    await page.goto(`${origin}/certificates/verifier`);
    await page.waitForSelector('#lists[data-ready="true"]');
  }, 120_000);

  afterAll(async () => {
    await context?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
    await server?.close();
    await authority?.close();
    await db?.drop();
  });

  async function verifyInPage(hc1: string) {
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
      details: await page.textContent('#details'),
    };
  }

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
