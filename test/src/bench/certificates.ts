/**
 * `npm run bench -- certificates [--count 5000] [--batch 500]`
 *
 * Certificates issued and verified per second, on one core:
 * - signing alone (payload, schema check, CWT, COSE ES256, zlib, Base45) with the key in memory;
 * - issuing through the certificate authority: batches of new certificates written to the
 *   ledger in PostgreSQL (embedded, or DATABASE_URL), as `Person.vaccinationCertificate` does
 *   for a page of persons;
 * - handing out already issued certificates again (the ledger read);
 * - verifying (decode, signature, time claims, revocation, schema, value sets, rules) against a
 *   trust list loaded once, as an offline verifier does;
 * - rendering the QR code (PNG and SVG);
 * - signing and verifying per signature algorithm (ES256 on P-256, PS256 on RSA-3072, ES384 on
 *   P-384), `--per-algorithm` certificates each, as foreign issuers sign them.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  CertificateAuthority, createSigningKey, issueCertificate, newUvci, renderQr, RevocationSet, trustListItem, TrustAnchors,
  vaccinationPayload, verifyCertificate, type CertificateHolder, type CertificateRequest,
} from '@health-hub/certificates';
import { createDatabaseIfMissing, startPostgres, withDatabase } from '@health-hub/hub';
import { machineLine } from './machine';

const ISSUER = { country: 'VN', issuerName: 'Ministry of Health of Viet Nam' };
const PRODUCTS = ['COMIRNATY', 'VAXZEVRIA', 'SPIKEVAX', 'VERO_CELL', 'SPUTNIK_V', 'ABDALA', 'HAYAT_VAX', 'COVAXIN'] as const;

function holder(i: number): CertificateHolder {
  return { familyName: ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Đặng'][i % 5]!, middleName: i % 3 ? 'Thị Ngọc' : 'Văn', givenName: `Hạnh${i % 97}`.replace(/\d+/, ''), birthDate: `19${50 + (i % 50)}-0${1 + (i % 9)}-1${i % 10}`, birthYear: 1950 + (i % 50) };
}

function request(i: number): CertificateRequest {
  return {
    personId: String(1_000_000_000 + i).padStart(12, '0'),
    kind: 'vaccination',
    payload: (uvci) => vaccinationPayload(holder(i), { vaccine: PRODUCTS[i % PRODUCTS.length]!, doseNumber: 2, seriesDoses: 2, administeredOn: '2021-11-02' }, ISSUER, uvci),
  };
}

function rate(count: number, ms: number): string {
  return `${Math.round((count / ms) * 1000).toLocaleString('en')}/s`;
}

export async function runCertificatesBench(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: { count: { type: 'string', default: '5000' }, batch: { type: 'string', default: '500' }, 'per-algorithm': { type: 'string', default: '2000' } },
  });
  const count = Number(values.count);
  const batch = Number(values.batch);
  console.log(machineLine());

  const key = await createSigningKey({ country: 'VN', organisation: 'Ministry of Health', notBefore: new Date(), notAfter: new Date(Date.now() + 86_400_000 * 365) });
  const signer = { kid: key.kid, privateKey: key.privateKey };
  const now = new Date();
  const sign = { issuerCountry: 'VN', issuedAt: now, expiresAt: new Date(now.getTime() + 365 * 86_400_000) };
  // Warm up the JIT and the schema validator.
  for (let i = 0; i < 200; i++) issueCertificate(request(i).payload(newUvci('VN', 'MOH', 'vaccination')), signer, sign);

  let started = performance.now();
  const hc1s: string[] = [];
  for (let i = 0; i < count; i++) hc1s.push(issueCertificate(request(i).payload(newUvci('VN', 'MOH', 'vaccination')), signer, sign).hc1);
  const signMs = performance.now() - started;
  const averageLength = Math.round(hc1s.reduce((sum, hc1) => sum + hc1.length, 0) / hc1s.length);

  const trust = await TrustAnchors.from({ certificates: [trustListItem(key.certificateDer, 'VN', now)] });
  const revocations = RevocationSet.from({ hashType: 'UCI', country: 'VN', generatedAt: now.toISOString(), hashes: Array.from({ length: 10_000 }, () => randomBytes(16).toString('base64')) });
  for (let i = 0; i < 200; i++) await verifyCertificate(hc1s[i]!, { trust, revocations, now });
  started = performance.now();
  let valid = 0;
  for (const hc1 of hc1s) if ((await verifyCertificate(hc1, { trust, revocations, now })).valid) valid++;
  const verifyMs = performance.now() - started;
  if (valid !== hc1s.length) throw new Error(`only ${valid} of ${hc1s.length} certificates verified`);

  const qrCount = Math.min(count, 500);
  started = performance.now();
  for (let i = 0; i < qrCount; i++) await renderQr(hc1s[i]!);
  const qrMs = performance.now() - started;

  // Embedded PostgreSQL, or the server named by DATABASE_URL, as the other benchmarks.
  const postgres = await startPostgres({ dataDir: mkdtempSync(join(tmpdir(), 'hub-bench-certificates-pg-')), persistent: false, database: 'hub_bench_certificates' });
  const databaseUrl = withDatabase(postgres.url, 'hub_bench_certificates');
  await createDatabaseIfMissing(withDatabase(postgres.url, 'postgres'), 'hub_bench_certificates');
  const authority = await CertificateAuthority.open({ databaseUrl, keyEncryptionKey: randomBytes(32).toString('base64') });
  let ledgerIssueMs = 0;
  let ledgerReuseMs = 0;
  try {
    const offset = Date.now() % 1_000_000_000; // fresh persons on a reused DATABASE_URL
    for (let from = 0; from < count; from += batch) {
      const requests = Array.from({ length: Math.min(batch, count - from) }, (_, k) => request(offset + from + k));
      let t = performance.now();
      await authority.issue(requests);
      ledgerIssueMs += performance.now() - t;
      t = performance.now();
      await authority.issue(requests);
      ledgerReuseMs += performance.now() - t;
    }
  } finally {
    await authority.close();
    await postgres.stop();
  }

  console.log(`\nCertificates (EU DCC vaccination certificates, ${count.toLocaleString('en')} of them, HC1 text ${averageLength} characters on average)`);
  console.log(`  issued, signing only (schema check, COSE ES256, zlib, Base45):   ${rate(count, signMs)}`);
  console.log(`  issued through the authority, batches of ${batch}, ledger in PostgreSQL: ${rate(count, ledgerIssueMs)}`);
  console.log(`  handed out again from the ledger, batches of ${batch}:                ${rate(count, ledgerReuseMs)}`);
  console.log(`  verified (signature, time, revocation list of 10,000, schema, rules):  ${rate(count, verifyMs)}`);
  console.log(`  QR codes rendered (PNG and SVG):                                      ${rate(qrCount, qrMs)}`);

  const perAlgorithm = Number(values['per-algorithm']);
  console.log(`\nPer signature algorithm (${perAlgorithm.toLocaleString('en')} certificates each; verified as above, with the revocation list):`);
  for (const algorithm of ['ES256', 'PS256', 'ES384'] as const) {
    const { signed, verified } = await signAndVerify(algorithm, perAlgorithm, revocations);
    console.log(`  ${algorithm}: signed ${rate(perAlgorithm, signed)}, verified ${rate(perAlgorithm, verified)}`);
  }
}

/** Milliseconds to sign and to verify `count` certificates with a new key of `algorithm`. */
async function signAndVerify(algorithm: 'ES256' | 'PS256' | 'ES384', count: number, revocations: RevocationSet): Promise<{ signed: number; verified: number }> {
  const now = new Date();
  const key = await createSigningKey({ country: 'VN', organisation: 'Ministry of Health', notBefore: now, notAfter: new Date(now.getTime() + 86_400_000 * 365), algorithm });
  const signer = { kid: key.kid, privateKey: key.privateKey };
  const sign = { issuerCountry: 'VN', issuedAt: now, expiresAt: new Date(now.getTime() + 365 * 86_400_000) };
  const trust = await TrustAnchors.from({ certificates: [trustListItem(key.certificateDer, 'VN', now)] });
  const payloads = Array.from({ length: count }, (_, i) => request(i).payload(newUvci('VN', 'MOH', 'vaccination')));
  for (let i = 0; i < Math.min(100, count); i++) await verifyCertificate(issueCertificate(payloads[i]!, signer, sign).hc1, { trust, revocations, now });
  let started = performance.now();
  const hc1s = payloads.map((payload) => issueCertificate(payload, signer, sign).hc1);
  const signed = performance.now() - started;
  started = performance.now();
  let valid = 0;
  for (const hc1 of hc1s) if ((await verifyCertificate(hc1, { trust, revocations, now })).valid) valid++;
  const verified = performance.now() - started;
  if (valid !== count) throw new Error(`${algorithm}: only ${valid} of ${count} certificates verified`);
  return { signed, verified };
}
