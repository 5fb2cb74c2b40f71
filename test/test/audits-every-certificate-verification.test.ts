import pg from 'pg';
import { createSigningKey, issueCertificate, newUvci, vaccinationPayload } from '@health-hub/certificates';
import { freshDatabase } from '@health-hub/subgraph-kit/testing';
import { startInProcessHub, type InProcessHub } from '@health-hub/hub';
import { query } from '../src/graphql-client';

// A verification reads none of the hub's records, but its answer shows the holder a certificate
// names: who verified which certificate, and when, is in the audit log like any personal read.
describe('certificate verifications in the audit log', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let hub: InProcessHub;
  let client: pg.Client;
  let hc1: string;
  let uvci: string;

  beforeAll(async () => {
    db = await freshDatabase();
    hub = await startInProcessHub({ databaseUrl: db.url });
    client = new pg.Client({ connectionString: db.url });
    await client.connect();
    // Another issuer's certificate: valid or not, the verification is audited.
    const now = new Date();
    const key = await createSigningKey({ country: 'DE', organisation: 'Another issuer', notBefore: now, notAfter: new Date(now.getTime() + 86_400_000) });
    uvci = newUvci('DE', 'RKI', 'vaccination');
    const holder = { familyName: 'Müller', givenName: 'Anna', birthDate: '1980-04-02', birthYear: 1980 };
    const payload = vaccinationPayload(holder, { vaccine: 'COMIRNATY', doseNumber: 2, seriesDoses: 2, administeredOn: '2021-11-02' }, { country: 'DE', issuerName: 'RKI' }, uvci);
    hc1 = issueCertificate(payload, { kid: key.kid, privateKey: key.privateKey }, { issuerCountry: 'DE', issuedAt: now, expiresAt: new Date(now.getTime() + 86_400_000) }).hc1;
  });
  afterAll(async () => {
    await client?.end();
    await hub?.stop();
    await db?.drop();
  });

  const entries = async () => {
    await hub.subgraphs.audit.app.auditDrain!();
    return (await client.query<{ partner_id: string; operation: string; person_ids: string[]; fields: string[] }>(
      'SELECT partner_id, operation, person_ids, fields FROM audit.entry ORDER BY seq',
    )).rows;
  };

  it('keeps one entry per verifying request, naming the UVCI the certificate decoded to', async () => {
    const answer = await query(hub.client('app'), 'query Check($hc1: String!) { verifyCertificate(hc1: $hc1) { valid uvci reasons { code } holder { familyName } } }', { hc1 });
    expect(answer.errors).toBeUndefined();
    expect(answer.data.verifyCertificate).toMatchObject({ valid: false, uvci, reasons: [{ code: 'UNKNOWN_KEY' }], holder: { familyName: 'Müller' } });

    const rows = await entries();
    expect(rows).toEqual([{
      partner_id: expect.stringMatching(/^app-/), operation: 'Check (certificate verification)', person_ids: [], fields: ['Query.verifyCertificate', `uvci:${uvci}`],
    }]);
  });

  it('keeps the verification even when the answer names no UVCI, and one field per verification', async () => {
    const before = (await entries()).length;
    const answer = await query(hub.client('ministry'), '{ a: verifyCertificate(hc1: "HC1:not a certificate") { valid } b: verifyCertificate(hc1: "HC1:nor this") { valid } }');
    expect(answer.data).toEqual({ a: { valid: false }, b: { valid: false } });
    const rows = (await entries()).slice(before);
    expect(rows).toEqual([{ partner_id: expect.stringMatching(/^ministry-/), operation: 'anonymous (certificate verification)', person_ids: [], fields: ['Query.verifyCertificate', 'Query.verifyCertificate'] }]);
  });

  it('keeps nothing for a request that neither verifies nor reads personal data', async () => {
    const before = (await entries()).length;
    await query(hub.client('ministry'), '{ vaccinationCoverage(from: "2021-07-01", to: "2021-07-31") { doses } }');
    expect((await entries()).length).toBe(before);
  });
});
