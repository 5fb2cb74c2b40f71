// The hub's trust list, published signed by its current signing key: a verifier that already
// trusts a key of the hub's (the list it imported before, or a pinned key) takes an updated list
// only when the signature holds, so the list cannot be swapped at a mirror or in transit.
import { randomBytes } from 'node:crypto';
import Fastify from 'fastify';
import { freshDatabase } from '@health-hub/subgraph-kit/testing';
import { CertificateAuthority, CertificateErrors, decodeCose, publishedCertificates, readSignedTrustList, TrustAnchors } from '../src';

describe('the signed trust list', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let authority: CertificateAuthority;

  beforeAll(async () => {
    db = await freshDatabase();
    authority = await CertificateAuthority.open({ databaseUrl: db.url, keyEncryptionKey: randomBytes(32).toString('base64') });
  }, 60_000);
  afterAll(async () => {
    await authority?.close();
    await db?.drop();
  });

  it('reads back as the published list, under the keys of the list imported before', async () => {
    const before = await authority.trustList();
    await authority.keys.rotate();
    const signed = await authority.signedTrustList();
    const after = await readSignedTrustList(signed, await TrustAnchors.from(before));
    expect(after).toEqual(JSON.parse(JSON.stringify(await authority.trustList())));
    expect(after.certificates.length).toBe(before.certificates.length + 1);
  });

  it('is refused when changed, or signed by a key the reader does not trust', async () => {
    const trust = await TrustAnchors.from(await authority.trustList());
    const signed = await authority.signedTrustList();
    const bytes = Buffer.from(signed.cose, 'base64');
    const payload = decodeCose(bytes, { cwt: false }).payloadBytes;
    const at = bytes.indexOf(payload);
    bytes[at + 20]! ^= 0x01;
    await expect((async () => await readSignedTrustList({ ...signed, cose: bytes.toString('base64') }, trust))()).rejects.toThrow(expect.objectContaining({ code: CertificateErrors.BAD_TRUST_LIST }));

    const otherDb = await freshDatabase();
    const other = await CertificateAuthority.open({ databaseUrl: otherDb.url, keyEncryptionKey: randomBytes(32).toString('base64') });
    try {
      await expect((async () => await readSignedTrustList(signed, await TrustAnchors.from([])))()).rejects.toThrow(expect.objectContaining({ code: CertificateErrors.BAD_TRUST_LIST }));
      const othersTrust = await TrustAnchors.from(await other.trustList());
      await expect((async () => await readSignedTrustList(signed, othersTrust))()).rejects.toThrow(expect.objectContaining({ code: CertificateErrors.BAD_TRUST_LIST }));
    } finally {
      await other.close();
      await otherDb.drop();
    }
  });

  it('is served at /certificates/trust-list/signed', async () => {
    const app = Fastify();
    await app.register(publishedCertificates(authority));
    try {
      const res = await app.inject({ method: 'GET', url: '/certificates/trust-list/signed' });
      expect(res.statusCode).toBe(200);
      const list = await readSignedTrustList(res.json(), await TrustAnchors.from(await authority.trustList()));
      expect(list).toEqual(JSON.parse(JSON.stringify(await authority.trustList())));
    } finally {
      await app.close();
    }
  });
});
