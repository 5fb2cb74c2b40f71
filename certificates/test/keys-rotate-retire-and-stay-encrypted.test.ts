import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { MIGRATIONS_DIR as AUDIT_MIGRATIONS } from '@health-hub/audit';
import { migrate } from '@health-hub/subgraph-kit';
import { freshDatabase } from '@health-hub/subgraph-kit/testing';
import { CertificateAuthority, CertificateErrors, runKeyCli, vaccinationPayload, verifyCertificate, TrustAnchors, RevocationSet, type CertificatesOptions } from '../src';
import { HOLDER, ISSUER } from './certificate-fixtures';

const DAY = 86_400_000;

describe('the key store', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let options: CertificatesOptions;
  const opened: CertificateAuthority[] = [];
  const open = async (extra: Partial<CertificatesOptions> = {}) => {
    const authority = await CertificateAuthority.open({ ...options, ...extra });
    opened.push(authority);
    return authority;
  };

  beforeAll(async () => {
    db = await freshDatabase();
    options = { databaseUrl: db.url, keyEncryptionKey: randomBytes(32).toString('base64') };
  });
  afterAll(async () => {
    await Promise.all(opened.map((authority) => authority.close()));
    await db?.drop();
  });

  it('keeps private keys only encrypted under the key-encryption key, and refuses another KEK', async () => {
    const authority = await open();
    const [key] = await authority.keys.list();
    expect(key?.state).toBe('active');
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      const { rows } = await client.query('SELECT private_key_encrypted, kek_fingerprint FROM certificates.signing_key');
      expect(rows).toHaveLength(1);
      // A PKCS#8 key starts with a DER SEQUENCE and holds the P-256 OID; the stored bytes do not.
      const stored: Buffer = rows[0].private_key_encrypted;
      expect(stored.includes(Buffer.from('2a8648ce3d030107', 'hex'))).toBe(false);
    } finally {
      await client.end();
    }
    const other = await open({ keyEncryptionKey: randomBytes(32).toString('base64'), createKeyWhenMissing: false });
    await expect(other.keys.signer()).rejects.toMatchObject({ code: CertificateErrors.BAD_KEY_ENCRYPTION_KEY });
  });

  it('rotates with an overlap: the old key verifies until the overlap ends, then is listed as retired', async () => {
    const authority = await open();
    const t0 = new Date();
    const request = { personId: '001098000001', kind: 'vaccination' as const, payload: (uvci: string) => vaccinationPayload(HOLDER, { vaccine: 'SPIKEVAX', doseNumber: 2, seriesDoses: 2, administeredOn: '2021-10-01' }, ISSUER, uvci) };
    const [before] = await authority.issue([request], t0);
    const rotated = await authority.keys.rotate({ now: new Date(t0.getTime() + 1000), overlapDays: 7 });
    expect(rotated.kid).not.toBe(before!.kid);

    const during = new Date(t0.getTime() + 6 * DAY);
    expect((await authority.verify(before!.hc1, { now: during })).valid).toBe(true);
    const listDuring = await authority.trustList(during);
    expect(listDuring.certificates.map((c) => c.kid)).toEqual(expect.arrayContaining([before!.kid, rotated.kid]));
    // During the overlap the certificate already issued for the same facts is handed out again.
    const [again] = await authority.issue([request], during);
    expect(again!.uvci).toBe(before!.uvci);

    const after = new Date(t0.getTime() + 8 * DAY);
    const result = await authority.verify(before!.hc1, { now: after });
    expect(result.reasons.map((r) => r.code)).toEqual(['KEY_RETIRED']);
    const listAfter = await authority.trustList(after);
    expect(listAfter.certificates.map((c) => c.kid)).toEqual([rotated.kid]);
    expect(listAfter.retired!.map((r) => r.kid)).toContain(before!.kid);
    const [reissued] = await authority.issue([request], after);
    expect(reissued!.kid).toBe(rotated.kid);
    expect(reissued!.uvci).not.toBe(before!.uvci);
    expect((await authority.verify(reissued!.hc1, { now: after })).valid).toBe(true);
  });

  it('checks foreign certificates against the foreign issuer\'s trust list in the EU format', async () => {
    const hub = await open();
    const foreignDb = await freshDatabase();
    try {
      const foreign = await CertificateAuthority.open({ databaseUrl: foreignDb.url, country: 'DE', issuerName: 'Robert Koch-Institut', keyEncryptionKey: randomBytes(32).toString('base64') });
      const [certificate] = await foreign.issue([{ personId: 'x', kind: 'vaccination', payload: (uvci) => vaccinationPayload(HOLDER, { vaccine: 'COMIRNATY', doseNumber: 3, seriesDoses: 3, administeredOn: '2022-01-10' }, { country: 'DE', issuerName: 'Robert Koch-Institut' }, uvci) }]);
      // The EU gateway serves a bare array of DSC entries.
      const gatewayList = (await foreign.trustList()).certificates;
      await foreign.close();
      expect((await hub.verify(certificate!.hc1)).reasons.map((r) => r.code)).toEqual(['UNKNOWN_KEY']);
      const result = await hub.verify(certificate!.hc1, { foreignTrustLists: [gatewayList] });
      expect(result.valid).toBe(true);
      expect(result.issuerCountry).toBe('DE');
      // Offline, with the lists only: the same answer.
      expect((await verifyCertificate(certificate!.hc1, { trust: await TrustAnchors.from(gatewayList), revocations: RevocationSet.from(await hub.revocationList()) })).valid).toBe(true);
    } finally {
      await foreignDb.drop();
    }
  });

  it('makes a development key-encryption key once, outside the repository\'s tracked files', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'hub-kek-')), 'nested', 'key-encryption-key');
    const local = await freshDatabase();
    try {
      const first = await CertificateAuthority.open({ databaseUrl: local.url, keyEncryptionKeyFile: file });
      const kek = readFileSync(file, 'utf8');
      expect(Buffer.from(kek, 'base64')).toHaveLength(32);
      expect(statSync(file).mode & 0o077).toBe(0);
      await first.close();
      const second = await CertificateAuthority.open({ databaseUrl: local.url, keyEncryptionKeyFile: file });
      expect(readFileSync(file, 'utf8')).toBe(kek);
      await expect(second.keys.signer()).resolves.toBeDefined();
      await second.close();
    } finally {
      await local.drop();
    }
  });
});

describe('the key CLI', () => {
  it('creates, lists, rotates and retires keys, each change kept in the audit chain', async () => {
    const local = await freshDatabase();
    await migrate({ databaseUrl: local.url, schema: 'audit', dir: AUDIT_MIGRATIONS });
    const env = { DATABASE_URL: local.url, HUB_CERTIFICATES_KEK: randomBytes(32).toString('base64') };
    const run = async (...argv: string[]) => {
      const lines: string[] = [];
      const code = await runKeyCli(argv, env, (line) => lines.push(line));
      return { code, lines };
    };
    try {
      const created = await run('keys', 'create');
      expect(created.code).toBe(0);
      const firstKid = created.lines[0]!.split(/\s+/)[0]!;
      expect(Buffer.from(firstKid, 'base64')).toHaveLength(8);
      expect((await run('keys', 'create')).code).toBe(1);

      const rotated = await run('keys', 'rotate', '--overlap-days', '3');
      expect(rotated.code).toBe(0);
      expect(rotated.lines[0]).toBe(`superseded ${firstKid}`);
      const listed = await run('keys', 'list');
      expect(listed.lines).toHaveLength(2);
      expect(listed.lines[0]).toMatch(new RegExp(`^${firstKid.replace(/[+/]/g, '\\$&')}\\s+VN\\s+overlap until `));
      expect(listed.lines[1]).toMatch(/\s+VN\s+active\s+/);

      expect((await run('keys', 'retire', firstKid)).lines[0]).toMatch(/\sretired\s/);
      const trustList = JSON.parse((await run('trust-list')).lines.join('\n'));
      expect(trustList.certificates).toHaveLength(1);
      expect(trustList.retired.map((r: { kid: string }) => r.kid)).toEqual([firstKid]);

      const unknown = await run('keys', 'retire', 'AAAAAAAAAAA=');
      expect(unknown.code).toBe(1);
      expect(unknown.lines[0]).toMatch(/^HUB_CERT_KEY_NOT_FOUND/);

      const client = new pg.Client({ connectionString: local.url });
      await client.connect();
      try {
        const { rows } = await client.query<{ record: { partnerId: string; operation: string; fields: string[] } }>('SELECT record FROM audit.outbox ORDER BY id');
        const rotatedKid = listed.lines[1]!.split(/\s+/)[0]!;
        expect(rows.map((r) => [r.record.operation, r.record.fields])).toEqual([
          ['certificates keys create', [`kid:${firstKid}`]],
          ['certificates keys rotate', [`kid:${rotatedKid}`, 'overlap-days:3']],
          ['certificates keys retire', [`kid:${firstKid}`]],
        ]);
        expect(rows.every((r) => /^operator:\S+@\S+$/.test(r.record.partnerId))).toBe(true);
      } finally {
        await client.end();
      }
    } finally {
      await local.drop();
    }
  });

  it('makes no key change whose audit entry cannot be stored', async () => {
    const local = await freshDatabase();
    try {
      // No audit schema in this database: no entry can be stored.
      const env = { DATABASE_URL: local.url, HUB_CERTIFICATES_KEK: randomBytes(32).toString('base64') };
      await expect(runKeyCli(['keys', 'create'], env, () => {})).rejects.toThrow(/audit\.outbox/);
      const listed: string[] = [];
      expect(await runKeyCli(['keys', 'list'], env, (line) => listed.push(line))).toBe(0);
      expect(listed).toEqual([]);
    } finally {
      await local.drop();
    }
  });
});
