import { freshDatabase } from '@health-hub/subgraph-kit/testing';
import { seedPopulation, startInProcessHub, type InProcessHub } from '@health-hub/hub';
import { createPopulation, type Population } from '@health-hub/simulators';
import { HUB_VACCINE_CODES, icaoTransliterate, RevocationSet, TrustAnchors, uvciHash, verifyCertificate, type DccPayload, type TrustList } from '@health-hub/certificates';
import { query } from '../src/graphql-client';

const SIZE = 300;
const CERTIFICATE = 'kind uvci hc1 keyId issuedAt expiresAt validFrom validUntil';
const PERSON_CERTIFICATES = `query ($id: CitizenId!) {
  person(id: $id) {
    id familyName middleName givenName birthDate birthYear
    vaccinations { vaccine administeredOn }
    vaccinationStatus { doses fullyVaccinated }
    testResults { method result sampledAt lab { name } }
    vaccinationCertificate { ${CERTIFICATE} qrPng qrSvg }
    testCertificates { ${CERTIFICATE} }
    recoveryCertificate { ${CERTIFICATE} }
  }
}`;
const VERIFY = `query ($hc1: String!, $trustLists: [String!]) {
  verifyCertificate(hc1: $hc1, trustLists: $trustLists) {
    valid reasons { code message } kind uvci keyId issuerCountry issuedAt expiresAt
    holder { familyName givenNames familyNameIcao givenNamesIcao birthDate } payloadJson
  }
}`;

/** The payload of an HC1 certificate, read with the lists the hub publishes. */
async function decode(hc1: string, trustList: TrustList) {
  return verifyCertificate(hc1, { trust: await TrustAnchors.from(trustList), revocations: RevocationSet.from({ hashType: 'UCI', country: 'VN', generatedAt: '', hashes: [] }) });
}

describe('certificates through the gateway', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let hub: InProcessHub;
  let population: Population;
  let trustList: TrustList;

  beforeAll(async () => {
    db = await freshDatabase();
    population = createPopulation({ seed: 7, size: SIZE });
    hub = await startInProcessHub({ databaseUrl: db.url });
    await seedPopulation({ databaseUrl: db.url, population, batchPeople: 150 });
    trustList = await (await fetch(`${hub.gatewayUrl}/certificates/trust-list`)).json() as TrustList;
  });
  afterAll(async () => {
    await hub?.stop();
    await db?.drop();
  });

  const linked = <T extends { personRef: { kind: string } }>(records: T[]) => records.filter((r) => r.personRef.kind === 'CITIZEN_ID');
  const personWith = (test: (i: number) => boolean) => Array.from({ length: SIZE }, (_, i) => i).find(test);

  async function personCertificates(i: number) {
    const body = await query(hub.client('ministry'), PERSON_CERTIFICATES, { id: population.person(i).citizenId });
    expect(body.errors).toBeUndefined();
    return body.data.person;
  }

  function expectHolder(payload: DccPayload, person: { familyName: string; middleName: string | null; givenName: string; birthDate: string | null; birthYear: number }) {
    const forenames = [person.middleName, person.givenName].filter(Boolean).join(' ');
    expect(payload.nam).toEqual({ fn: person.familyName, fnt: icaoTransliterate(person.familyName), gn: forenames, gnt: icaoTransliterate(forenames) });
    expect(payload.dob).toBe(person.birthDate ?? String(person.birthYear));
  }

  it('issues a vaccination certificate whose decoded payload equals the person\'s data in the graph', async () => {
    const i = personWith((k) => linked(population.vaccinations(k)).length >= 2);
    expect(i).toBeDefined();
    const person = await personCertificates(i!);
    const certificate = person.vaccinationCertificate;
    expect(certificate.kind).toBe('VACCINATION');
    expect(certificate.qrPng).toMatch(/^data:image\/png;base64,/);
    expect(certificate.qrSvg).toContain('<svg');
    expect(trustList.certificates.map((c) => c.kid)).toContain(certificate.keyId);

    const result = await decode(certificate.hc1, trustList);
    expect(result.kid).toBe(certificate.keyId);
    expect(result.uvci).toBe(certificate.uvci);
    expect(new Date(certificate.expiresAt)).toEqual(result.expiresAt);
    const payload = result.payload!;
    expectHolder(payload, person);
    const last = person.vaccinations.at(-1);
    const codes = HUB_VACCINE_CODES[last.vaccine]!;
    expect(payload.v).toEqual([{
      tg: '840539006', vp: codes.vp, mp: codes.mp, ma: codes.ma,
      dn: person.vaccinationStatus.doses, sd: expect.any(Number), dt: last.administeredOn,
      co: 'VN', is: 'Ministry of Health of Viet Nam', ci: certificate.uvci,
    }]);
    expect(result.valid).toBe(person.vaccinationStatus.fullyVaccinated);
    if (!result.valid) expect(result.reasons.map((r) => r.code)).toEqual(['PRIMARY_SERIES_INCOMPLETE']);

    // Asked again: the same certificate, not a new one.
    expect((await personCertificates(i!)).vaccinationCertificate.uvci).toBe(certificate.uvci);
  });

  it('issues test and recovery certificates that state the person\'s tests', async () => {
    const i = personWith((k) => linked(population.testResults(k)).some((t) => t.method === 'RT_PCR' && t.result === 'POSITIVE')
      && linked(population.testResults(k)).some((t) => t.result === 'NEGATIVE'));
    expect(i).toBeDefined();
    const person = await personCertificates(i!);
    const certified = person.testResults.filter((t: { result: string }) => t.result !== 'INVALID');
    expect(person.testCertificates).toHaveLength(certified.length);
    for (const [k, test] of certified.entries()) {
      const certificate = person.testCertificates[k];
      expect(certificate.kind).toBe('TEST');
      const payload = (await decode(certificate.hc1, trustList)).payload!;
      expectHolder(payload, person);
      expect(payload.t![0]).toMatchObject({
        tt: test.method === 'RT_PCR' ? 'LP6464-4' : 'LP217198-3',
        tr: test.result === 'NEGATIVE' ? '260415000' : '260373001',
        sc: test.sampledAt.replace(/\.\d{3}Z$/, 'Z'),
        tc: test.lab.name,
        ci: certificate.uvci,
      });
      expect(new Date(certificate.validFrom).toISOString()).toBe(test.sampledAt);
    }
    const positive = person.testResults
      .filter((t: { method: string; result: string }) => t.method === 'RT_PCR' && t.result === 'POSITIVE')
      .sort((a: { sampledAt: string }, b: { sampledAt: string }) => b.sampledAt.localeCompare(a.sampledAt))[0];
    const recovery = await decode(person.recoveryCertificate.hc1, trustList);
    expect(recovery.kind).toBe('recovery');
    expectHolder(recovery.payload!, person);
    const firstPositive = new Date(Date.parse(positive.sampledAt) + 7 * 3_600_000).toISOString().slice(0, 10);
    expect(recovery.payload!.r![0]).toMatchObject({ fr: firstPositive, co: 'VN', ci: person.recoveryCertificate.uvci });
  });

  it('verifies through the graph, revokes with a reason, and publishes only the UVCI\'s hash', async () => {
    const i = personWith((k) => linked(population.vaccinations(k)).length >= 3)!;
    const certificate = (await personCertificates(i)).vaccinationCertificate;

    const before = await query(hub.client('app', 'vaccination-certificate'), VERIFY, { hc1: certificate.hc1 });
    expect(before.errors).toBeUndefined();
    expect(before.data.verifyCertificate).toMatchObject({ kind: 'VACCINATION', uvci: certificate.uvci, keyId: certificate.keyId, issuerCountry: 'VN' });
    expect(before.data.verifyCertificate.holder.familyName).toBe(population.person(i).familyName);
    expect(before.data.verifyCertificate.reasons.map((r: { code: string }) => r.code)).not.toContain('REVOKED');

    const revoke = `mutation ($uvci: String!, $reason: String!) { revokeCertificate(uvci: $uvci, reason: $reason) { uvci uvciHash reason revokedAt } }`;
    // Revoking is a steward's: a ministry partner reading everything else may not.
    const refused = await query(hub.client('ministry'), revoke, { uvci: certificate.uvci, reason: 'not mine to revoke' });
    expect(refused.errors[0].extensions).toMatchObject({ code: 'HUB_GATEWAY_FORBIDDEN_FIELD', field: 'Mutation.revokeCertificate', missingScopes: ['certificates:revoke'] });
    const revoked = await query(hub.client('steward'), revoke, { uvci: certificate.uvci, reason: 'Issued on a dose record the site withdrew' });
    expect(revoked.errors).toBeUndefined();
    expect(revoked.data.revokeCertificate).toMatchObject({ uvci: certificate.uvci, uvciHash: uvciHash(certificate.uvci), reason: 'Issued on a dose record the site withdrew' });

    const after = await query(hub.client('app', 'vaccination-certificate'), VERIFY, { hc1: certificate.hc1 });
    expect(after.data.verifyCertificate.valid).toBe(false);
    expect(after.data.verifyCertificate.reasons.map((r: { code: string }) => r.code)).toContain('REVOKED');

    const listText = await (await fetch(`${hub.gatewayUrl}/certificates/revocation-list`)).text();
    expect(JSON.parse(listText).hashes).toEqual([uvciHash(certificate.uvci)]);
    expect(listText).not.toContain(certificate.uvci);

    // A revoked certificate is not handed out again: the person gets a new one.
    expect((await personCertificates(i)).vaccinationCertificate.uvci).not.toBe(certificate.uvci);

    const unknown = await query(hub.client('steward'), revoke, { uvci: 'URN:UVCI:01:VN:MOH/V0000#0', reason: 'test' });
    expect(unknown.errors[0].extensions.code).toBe('HUB_CERT_NOT_FOUND');
  });

  it('publishes the trust list, the revocation list and the verifier page without an API key', async () => {
    for (const path of ['trust-list', 'revocation-list', 'verifier', 'verifier.js']) {
      const res = await fetch(`${hub.gatewayUrl}/certificates/${path}`);
      expect(res.status).toBe(200);
    }
    const page = await fetch(`${hub.gatewayUrl}/certificates/verifier`);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect((await fetch(`${hub.gatewayUrl}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ __typename }"}' })).status).toBe(401);
  });

  it('answers invalid with reasons for a damaged certificate, and accepts another issuer\'s trust list', async () => {
    const bad = await query(hub.client('app', 'vaccination-certificate'), VERIFY, { hc1: 'HC1:NOT A CERTIFICATE' });
    expect(bad.errors).toBeUndefined();
    expect(bad.data.verifyCertificate).toMatchObject({ valid: false, reasons: [{ code: 'MALFORMED' }], kind: null });
    const notJson = await query(hub.client('app', 'vaccination-certificate'), VERIFY, { hc1: 'HC1:', trustLists: ['{'] });
    expect(notJson.errors[0].extensions.code).toBe('HUB_CERT_BAD_TRUST_LIST');
  });
});
