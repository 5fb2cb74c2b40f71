// Reads the hub's certificates with none of the issuer's code or libraries: Base45 by hand,
// fflate for zlib, the `cbor` package for CBOR, Node's X509Certificate for the trust list and
// @noble/curves for the ES256 signature.
import { X509Certificate } from 'node:crypto';
import { unzlibSync } from 'fflate';
import * as cbor from 'cbor';
import { p256 } from '@noble/curves/nist.js';
import { issueEachKind, signingKey } from './certificate-fixtures';
import { trustListItem } from '../src';

const BASE45_CHARSET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:';

function base45Decode(text: string): Uint8Array {
  const out: number[] = [];
  for (let i = 0; i < text.length; i += 3) {
    const chunk = [...text.slice(i, i + 3)].map((c) => {
      const value = BASE45_CHARSET.indexOf(c);
      if (value < 0) throw new Error(`not Base45: ${c}`);
      return value;
    });
    const n = chunk.reduce((sum, value, position) => sum + value * 45 ** position, 0);
    if (chunk.length === 3) out.push(n >> 8, n & 0xff);
    else out.push(n);
  }
  return Uint8Array.from(out);
}

function readCertificate(hc1: string) {
  expect(hc1.slice(0, 4)).toBe('HC1:');
  const cose = unzlibSync(base45Decode(hc1.slice(4)));
  const tagged = cbor.decodeFirstSync(cose) as cbor.Tagged;
  expect(tagged.tag).toBe(18);
  const [protectedBytes, unprotected, payloadBytes, signature] = tagged.value as [Buffer, Map<number, unknown>, Buffer, Buffer];
  const header = cbor.decodeFirstSync(protectedBytes) as Map<number, unknown>;
  const claims = cbor.decodeFirstSync(payloadBytes) as Map<number, unknown>;
  return { protectedBytes, unprotected, payloadBytes, signature, header, claims };
}

describe('an independent decoder', () => {
  it('reads every certificate kind, finds its key in the trust list by kid and checks the signature', async () => {
    const key = await signingKey();
    const trustList = [trustListItem(key.certificateDer, 'VN', new Date())];
    for (const certificate of Object.values(issueEachKind(key))) {
      const { protectedBytes, payloadBytes, signature, header, claims } = readCertificate(certificate.hc1);
      expect(header.get(1)).toBe(-7); // ES256
      const kid = Buffer.from(header.get(4) as Buffer).toString('base64');
      const entry = trustList.find((item) => item.kid === kid);
      expect(entry).toBeDefined();

      const jwk = new X509Certificate(Buffer.from(entry!.rawData, 'base64')).publicKey.export({ format: 'jwk' });
      const publicKey = Buffer.concat([Buffer.from([4]), Buffer.from(jwk.x!, 'base64url'), Buffer.from(jwk.y!, 'base64url')]);
      const sigStructure = cbor.encode(['Signature1', protectedBytes, Buffer.alloc(0), payloadBytes]);
      expect(p256.verify(signature, sigStructure, publicKey, { lowS: false })).toBe(true);

      // A signature over anything else does not verify.
      const changed = Buffer.from(sigStructure);
      changed[changed.length - 1]! ^= 0x01;
      expect(p256.verify(signature, changed, publicKey, { lowS: false })).toBe(false);

      expect(claims.get(1)).toBe('VN');
      expect(claims.get(6)).toBe(certificate.issuedAt.getTime() / 1000);
      expect(claims.get(4)).toBe(certificate.expiresAt.getTime() / 1000);
      const hcert = (claims.get(-260) as Map<number, unknown>).get(1);
      expect(JSON.parse(JSON.stringify(hcert))).toEqual(certificate.payload);
    }
  });
});
