// Runs in Node and, bundled, in the browser's verifier page: certificates are read with
// @peculiar/x509, keys imported through platform.ts (node:crypto, or WebCrypto in the browser).
// @peculiar/x509 resolves its algorithm providers through tsyringe, which needs the Reflect metadata API.
import 'reflect-metadata';
import { importPublicKey, sha256 } from './platform';
import * as x509 from '@peculiar/x509';
import { z } from 'zod';
import { coseSignatureValid, decodeCose, keyIdOf, type DecodedCose, type VerificationKey } from './cose';
import { CertificateErrors, certificateError } from './errors';
import type { CertificateKind } from './uvci';

/**
 * Extended key usage OIDs that limit a document signer to some certificate kinds (eHealth Network
 * trust framework); both the registered arc and the `1.3.6.1.4.1.0.1847` form some issuers use.
 * A signer with none of them may sign every kind.
 */
export const KEY_USAGE_OIDS: Readonly<Record<string, CertificateKind>> = Object.freeze({
  '1.3.6.1.4.1.1847.2021.1.1': 'test', '1.3.6.1.4.1.1847.2021.1.2': 'vaccination', '1.3.6.1.4.1.1847.2021.1.3': 'recovery',
  '1.3.6.1.4.1.0.1847.2021.1.1': 'test', '1.3.6.1.4.1.0.1847.2021.1.2': 'vaccination', '1.3.6.1.4.1.0.1847.2021.1.3': 'recovery',
});

/**
 * One document-signer certificate in the format of the EU Digital COVID Certificate Gateway's
 * trust list (`/trustList/DSC`), which national verifier backends republish as `{ certificates: [...] }`.
 */
export interface TrustListItem {
  /** Key ID, base64: first 8 bytes of SHA-256 of `rawData`. */
  kid: string;
  /** ISO 3166 alpha-2 country of the issuer. */
  country: string;
  /** `DSC` a document signer; `CSCA` a country signing CA that DSCs of its country must chain to. */
  certificateType: 'DSC' | 'CSCA';
  /** The DER X.509 certificate, base64. */
  rawData: string;
  /** SHA-256 of the DER certificate, hex. */
  thumbprint: string;
  /** When the certificate was published. */
  timestamp: string;
  /** Upload signature of the gateway (CMS); empty in a national list that is served over its own channel. */
  signature: string;
}

/** A key retired after its overlap: certificates it signed must be re-issued. A hub extension; other verifiers ignore it. */
export interface RetiredKey { kid: string; country: string; retiredAt: string }

/** The trust list document the hub publishes. */
export interface TrustList { certificates: TrustListItem[]; retired?: RetiredKey[] }

/** The DSC as a trust-list item. */
export function trustListItem(certificateDer: Uint8Array, country: string, publishedAt: Date): TrustListItem {
  return {
    kid: keyIdOf(certificateDer).toString('base64'),
    country,
    certificateType: 'DSC',
    rawData: Buffer.from(certificateDer).toString('base64'),
    thumbprint: Buffer.from(sha256(certificateDer)).toString('hex'),
    timestamp: publishedAt.toISOString(),
    signature: '',
  };
}

/** Whether `csca` issued `certificate`: names chain and its key signed it. */
async function issuedBy(certificate: x509.X509Certificate, csca: x509.X509Certificate): Promise<boolean> {
  try {
    return certificate.issuer === csca.subject && (await certificate.verify({ publicKey: csca.publicKey, signatureOnly: true }));
  } catch {
    return false;
  }
}

/** The certificate's key, for the COSE algorithms it can check: ECDSA on its curve, RSA-PSS with SHA-256 (PS256). */
async function verificationKey(certificate: x509.X509Certificate): Promise<VerificationKey> {
  const algorithm = certificate.publicKey.algorithm as { name: string; namedCurve?: string };
  const spki = new Uint8Array(certificate.publicKey.rawData);
  if (algorithm.name === 'ECDSA' && algorithm.namedCurve) {
    return { type: 'ec', curve: algorithm.namedCurve, key: await importPublicKey(spki, { type: 'ec', curve: algorithm.namedCurve }) };
  }
  if (algorithm.name.startsWith('RSA')) return { type: 'rsa', key: await importPublicKey(spki, { type: 'rsa' }) };
  throw new Error(`a ${algorithm.name} key, which no DCC algorithm uses`);
}

const itemSchema = z.object({
  kid: z.string().min(1),
  country: z.string().min(2),
  certificateType: z.string().optional(),
  rawData: z.string().min(1),
});
type ParsedItem = z.infer<typeof itemSchema>;
const listSchema = z.union([
  z.array(z.unknown()),
  z.object({
    certificates: z.array(z.unknown()),
    retired: z.array(z.object({ kid: z.string(), country: z.string(), retiredAt: z.string() })).optional(),
  }),
]);

/** A key a verifier may check a signature with. */
export interface TrustedKey {
  kid: string;
  country: string;
  publicKey: VerificationKey;
  notBefore: Date;
  notAfter: Date;
  /** The certificate kinds its extended key usage allows; null when it names none, so every kind. */
  kinds: ReadonlySet<CertificateKind> | null;
}

/** A trust-list entry that was left out, and why: the rest of the list still counts. */
export interface SkippedEntry { kid: string; country: string; reason: string }

/**
 * Keys by key ID from one or more trust lists: several keys may share a kid, and each is tried.
 * When the lists carry CSCAs for a country, a DSC of that country is trusted only if one of them
 * issued it. An entry that cannot be read, does not match its kid or has no issuing CSCA is
 * skipped and reported in `skipped`.
 */
export class TrustAnchors {
  readonly keys = new Map<string, TrustedKey[]>();
  readonly retired = new Map<string, RetiredKey>();
  readonly skipped: SkippedEntry[] = [];
  private readonly cscas = new Map<string, x509.X509Certificate[]>();

  /** Trust anchors from trust-list documents: the hub's own or other issuers' lists in the EU gateway format. */
  static async from(...documents: unknown[]): Promise<TrustAnchors> {
    const anchors = new TrustAnchors();
    for (const document of documents) await anchors.add(document);
    return anchors;
  }

  /** Adds the CSCAs and DSCs of a trust list; a malformed document is refused, a bad entry skipped (see `skipped`). */
  async add(document: unknown): Promise<this> {
    const parsed = listSchema.safeParse(document);
    if (!parsed.success) throw certificateError(CertificateErrors.BAD_TRUST_LIST, `Not a trust list: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
    const items: ParsedItem[] = [];
    for (const [index, entry] of (Array.isArray(parsed.data) ? parsed.data : parsed.data.certificates).entries()) {
      const item = itemSchema.safeParse(entry);
      if (item.success) items.push(item.data);
      else {
        const { kid, country } = (entry ?? {}) as { kid?: unknown; country?: unknown };
        this.skipped.push({ kid: typeof kid === 'string' ? kid : `entry ${index}`, country: typeof country === 'string' ? country : '', reason: `not a trust-list entry: ${item.error.issues[0]?.path.join('.')} ${item.error.issues[0]?.message}` });
      }
    }
    const read = (item: ParsedItem): x509.X509Certificate | null => {
      try {
        return new x509.X509Certificate(Buffer.from(item.rawData, 'base64'));
      } catch {
        this.skipped.push({ kid: item.kid, country: item.country, reason: 'not an X.509 certificate' });
        return null;
      }
    };
    // CSCAs first, so the DSCs of the same list can chain to them.
    for (const item of items.filter((entry) => entry.certificateType === 'CSCA')) {
      const certificate = read(item);
      if (certificate) this.cscas.set(item.country, [...(this.cscas.get(item.country) ?? []), certificate]);
    }
    for (const item of items.filter((entry) => (entry.certificateType ?? 'DSC') === 'DSC')) {
      const certificate = read(item);
      if (!certificate) continue;
      if (keyIdOf(new Uint8Array(certificate.rawData)).toString('base64') !== item.kid) {
        this.skipped.push({ kid: item.kid, country: item.country, reason: 'the kid does not match its certificate' });
        continue;
      }
      const cscas = this.cscas.get(item.country);
      if (cscas && !(await someAsync(cscas, (csca) => issuedBy(certificate, csca)))) {
        this.skipped.push({ kid: item.kid, country: item.country, reason: `no CSCA of ${item.country} in the trust list issued it` });
        continue;
      }
      let publicKey: VerificationKey;
      try {
        publicKey = await verificationKey(certificate);
      } catch (error) {
        this.skipped.push({ kid: item.kid, country: item.country, reason: `its key cannot check signatures: ${(error as Error).message}` });
        continue;
      }
      const usages = certificate.getExtension(x509.ExtendedKeyUsageExtension)?.usages ?? [];
      const kinds = new Set(usages.map((oid) => KEY_USAGE_OIDS[String(oid)]).filter((kind): kind is CertificateKind => kind !== undefined));
      const key: TrustedKey = {
        kid: item.kid, country: item.country, publicKey,
        notBefore: certificate.notBefore, notAfter: certificate.notAfter, kinds: kinds.size > 0 ? kinds : null,
      };
      this.keys.set(item.kid, [...(this.keys.get(item.kid) ?? []), key]);
    }
    if (!Array.isArray(parsed.data)) for (const retired of parsed.data.retired ?? []) this.retired.set(retired.kid, retired);
    return this;
  }

  /** The trusted key with the message's key ID that made its signature, or null. */
  async signerOf(decoded: DecodedCose): Promise<TrustedKey | null> {
    for (const key of this.keys.get(decoded.kid?.toString('base64') ?? '') ?? []) if (await coseSignatureValid(decoded, key.publicKey)) return key;
    return null;
  }
}

async function someAsync<T>(items: readonly T[], test: (item: T) => Promise<boolean>): Promise<boolean> {
  for (const item of items) if (await test(item)) return true;
  return false;
}

/** A trust list as the hub publishes it signed: the list's JSON in a COSE_Sign1, base64. */
export interface SignedTrustList { signedAt: string; cose: string }

/**
 * The trust list inside a signed one, once its signature is checked against `trust`: the keys a
 * verifier already holds (the list it imported before, or a key pinned out of band). So a list
 * fetched again cannot be swapped in transit or at a mirror. Refused with HUB_CERT_BAD_TRUST_LIST.
 */
export async function readSignedTrustList(document: unknown, trust: TrustAnchors): Promise<TrustList> {
  const cose = (document as Partial<SignedTrustList> | null)?.cose;
  if (typeof cose !== 'string') throw certificateError(CertificateErrors.BAD_TRUST_LIST, 'Not a signed trust list: no cose');
  let decoded: DecodedCose;
  try {
    decoded = decodeCose(Buffer.from(cose, 'base64'), { cwt: false });
  } catch (error) {
    throw certificateError(CertificateErrors.BAD_TRUST_LIST, `The signed trust list is not a COSE_Sign1: ${(error as Error).message}`);
  }
  const kid = decoded.kid?.toString('base64') ?? '';
  if (!(await trust.signerOf(decoded))) {
    throw certificateError(CertificateErrors.BAD_TRUST_LIST, 'The trust list is not signed by a trusted key', { kid });
  }
  return JSON.parse(decoded.payloadBytes.toString('utf8')) as TrustList;
}
