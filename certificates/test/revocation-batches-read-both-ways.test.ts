// Revocation in the EU format, both ways: the hub publishes signed batches (one per signing key
// and hash type) and their index; the reader takes them back, and takes foreign batches as the
// EU gateway delivers them. Hashes here are computed by hand from the specification's words.
import { createHash, randomBytes } from 'node:crypto';
import Fastify from 'fastify';
import { freshDatabase } from '@health-hub/subgraph-kit/testing';
import {
  CertificateAuthority, CertificateErrors, decodeCose, decodeHc1, keyIdOf, publishedCertificates, RevocationSet, TrustAnchors,
  vaccinationPayload, verifyCertificate, verifyCose, type CertificateRequest, type SignedRevocationBatch,
} from '../src';
import { HOLDER, ISSUER } from './certificate-fixtures';
import { readVectors, validationClock } from './eu-test-vectors';

const sha128 = (bytes: Buffer) => createHash('sha256').update(bytes).digest().subarray(0, 16).toString('base64');

describe('EU revocation batches', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let authority: CertificateAuthority;
  const hc1 = { revoked: '', kept: '' };
  let revokedUvci = '';

  beforeAll(async () => {
    db = await freshDatabase();
    authority = await CertificateAuthority.open({ databaseUrl: db.url, keyEncryptionKey: randomBytes(32).toString('base64') });
    const vaccination = (id: string): CertificateRequest => ({
      personId: id, kind: 'vaccination',
      payload: (uvci) => vaccinationPayload(HOLDER, { vaccine: 'COMIRNATY', doseNumber: 2, seriesDoses: 2, administeredOn: `2021-11-0${id.slice(-1)}` }, ISSUER, uvci),
    });
    const [revoked, kept] = await authority.issue([vaccination('001098000001'), vaccination('001098000002')]);
    await authority.revoke(revoked!.uvci, 'Issued on a withdrawn dose record');
    Object.assign(hc1, { revoked: revoked!.hc1, kept: kept!.hc1 });
    revokedUvci = revoked!.uvci;
  }, 60_000);

  afterAll(async () => {
    await authority?.close();
    await db?.drop();
  });

  it('publishes one signed batch per hash type, each read back alone revokes the revoked certificate only', async () => {
    const { index, batches } = await authority.revocationBatches();
    expect(index.more).toBe(false);
    expect(index.batches.map((batch) => batch.batchId).sort()).toEqual(batches.map((batch) => batch.batchId).sort());
    const trust = await TrustAnchors.from(await authority.trustList());
    const cose = decodeCose(decodeHc1(hc1.revoked));
    const expected = {
      UCI: sha128(Buffer.from(revokedUvci)),
      COUNTRYCODEUCI: sha128(Buffer.from(`VN${revokedUvci}`)),
      SIGNATURE: sha128(cose.signature.subarray(0, 32)), // ECDSA: r only
    };
    const types: string[] = [];
    for (const batch of batches) {
      const body = JSON.parse(decodeCose(Buffer.from(batch.cose, 'base64'), { cwt: false }).payloadBytes.toString()) as { hashType: keyof typeof expected; kid: string; country: string; entries: { hash: string }[] };
      types.push(body.hashType);
      expect(body).toMatchObject({ country: 'VN', kid: cose.kid!.toString('base64'), entries: [{ hash: expected[body.hashType] }] });
      const revocations = await new RevocationSet().addSigned(batch, trust);
      expect((await verifyCertificate(hc1.revoked, { trust, revocations })).reasons.map((reason) => reason.code)).toEqual(['REVOKED']);
      expect((await verifyCertificate(hc1.kept, { trust, revocations })).valid).toBe(true);
    }
    expect(types.sort()).toEqual(['COUNTRYCODEUCI', 'SIGNATURE', 'UCI']);
  });

  it('refuses a batch whose signature does not hold or whose signer it does not trust', async () => {
    const { batches } = await authority.revocationBatches();
    const trust = await TrustAnchors.from(await authority.trustList());
    const cose = Buffer.from(batches[0]!.cose, 'base64');
    cose[cose.indexOf(Buffer.from('"country"')) + 1]! ^= 0x20;
    const tampered: SignedRevocationBatch = { ...batches[0]!, cose: cose.toString('base64') };
    await expect((async () => await new RevocationSet().addSigned(tampered, trust))()).rejects.toThrow(expect.objectContaining({ code: CertificateErrors.BAD_TRUST_LIST }));
    await expect((async () => await new RevocationSet().addSigned(batches[0], new TrustAnchors()))()).rejects.toThrow(expect.objectContaining({ code: CertificateErrors.BAD_TRUST_LIST }));
  });

  it('serves the index and each batch over HTTP', async () => {
    const app = Fastify();
    await app.register(publishedCertificates(authority));
    const index = (await app.inject({ url: '/certificates/revocation/batches' })).json() as { batches: { batchId: string }[] };
    expect(index.batches).toHaveLength(3);
    const batch = await app.inject({ url: `/certificates/revocation/batches/${index.batches[0]!.batchId}` });
    expect(batch.statusCode).toBe(200);
    const trust = await TrustAnchors.from(await authority.trustList());
    await expect((async () => await new RevocationSet().addSigned(batch.json(), trust))()).resolves.toBeDefined();
    expect((await app.inject({ url: '/certificates/revocation/batches/nope' })).statusCode).toBe(404);
    await app.close();
  });

  it.each([
    ['DE/2DCode/raw/1.json', 'UCI'],
    ['AT/2DCode/raw/1.json', 'COUNTRYCODEUCI'],
    ['CH/2DCode/raw/1.json', 'SIGNATURE'],
  ] as const)('a foreign batch revokes the foreign certificate %s by %s', async (name, hashType) => {
    const vector = readVectors().find((candidate) => candidate.name === name)!;
    const cose = vector.COSE ? Buffer.from(vector.COSE, 'hex') : decodeHc1(vector.PREFIX!);
    const decoded = decodeCose(cose);
    const entry = Object.values(decoded.claims.payload as Record<string, unknown>).find(Array.isArray)![0] as { ci: string; co: string };
    const hash = hashType === 'UCI' ? sha128(Buffer.from(entry.ci))
      : hashType === 'COUNTRYCODEUCI' ? sha128(Buffer.from(entry.co + entry.ci))
        : sha128(decoded.alg === -37 ? decoded.signature : decoded.signature.subarray(0, decoded.signature.length / 2));
    const der = Buffer.from(vector.TESTCTX.CERTIFICATE!, 'base64');
    const trust = await TrustAnchors.from([{ kid: keyIdOf(der).toString('base64'), country: name.slice(0, 2), rawData: der.toString('base64') }]);
    // As the EU gateway serves a batch (its CMS signature checked by the gateway client).
    const batch = { country: name.slice(0, 2), expires: '2030-01-01T00:00:00Z', kid: decoded.kid!.toString('base64'), hashType, entries: [{ hash: randomBytes(16).toString('base64') }, { hash }] };
    const now = validationClock(vector.TESTCTX.VALIDATIONCLOCK!);
    expect((await verifyCose(cose, { trust, now, revocations: RevocationSet.from(batch) })).reasons.map((reason) => reason.code)).toContain('REVOKED');
    expect((await verifyCose(cose, { trust, now, revocations: RevocationSet.from({ ...batch, entries: batch.entries.slice(0, 1) }) })).reasons.map((reason) => reason.code)).not.toContain('REVOKED');
  });
});
