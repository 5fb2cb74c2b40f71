// Runs in Node and, bundled, in the browser's verifier page (src/verifier-page/): one code path decides.
import { decodeCose, type DecodedCose } from './cose';
import { decodeHc1 } from './hc1';
import { payloadEntry, payloadEntryKinds, type DccPayload } from './payload';
import { payloadSchemaErrors } from './payload-schema';
import { revocableCertificate, RevocationSet } from './revocation-list';
import { TrustAnchors } from './trust-list';
import type { CertificateKind } from './uvci';
import { inValueSet, TEST_RESULT, TEST_TYPE, VALUE_SETS } from './value-sets';

/** Why a certificate is not valid. */
export type VerificationReasonCode =
  /** Not `HC1:`, Base45, zlib, COSE_Sign1 or a CWT. */
  | 'MALFORMED'
  /** No trust list holds a key with the certificate's key ID. */
  | 'UNKNOWN_KEY'
  /** The key ID is of a key retired after its overlap period. */
  | 'KEY_RETIRED'
  /** No key with the key ID verifies the signature: the certificate was changed or forged. */
  | 'BAD_SIGNATURE'
  /** The signing key's X.509 certificate was not valid when it signed, or is no longer valid. */
  | 'KEY_NOT_VALID'
  /** The signing certificate's extended key usage does not allow this kind of certificate. */
  | 'KEY_USAGE'
  /** The CWT's expiry has passed. */
  | 'EXPIRED'
  /** The CWT was issued in the future. */
  | 'NOT_YET_VALID'
  /** The UVCI's hash is on a revocation list. */
  | 'REVOKED'
  /** The payload breaks EU DCC schema 1.3. */
  | 'SCHEMA_INVALID'
  /** A code outside the EU value sets. */
  | 'UNKNOWN_CODE'
  /** A vaccination certificate for a dose before the end of the primary series. */
  | 'PRIMARY_SERIES_INCOMPLETE'
  /** A test certificate of a positive test. */
  | 'TEST_POSITIVE'
  /** A test certificate whose sample is older than the rules accept. */
  | 'TEST_TOO_OLD'
  /** A recovery certificate outside its valid-from/valid-until days. */
  | 'RECOVERY_NOT_VALID_NOW';

export interface VerificationReason { code: VerificationReasonCode; message: string }

/** The answer of a verification: valid, or invalid with every reason found. */
export interface VerificationResult {
  valid: boolean;
  reasons: VerificationReason[];
  kind: CertificateKind | null;
  uvci: string | null;
  /** Key ID, base64. */
  kid: string | null;
  /** Country of the key that verified the signature, else the CWT issuer claim. */
  issuerCountry: string | null;
  issuedAt: Date | null;
  expiresAt: Date | null;
  /** The decoded payload, whether or not it is valid: show it only beside the reasons. */
  payload: DccPayload | null;
}

export interface VerificationRules {
  /** Oldest accepted NAA (RT-PCR) sample, in hours. Default 72. */
  naatMaxAgeHours: number;
  /** Oldest accepted rapid antigen sample, in hours. Default 48. */
  ratMaxAgeHours: number;
  /** Clock skew tolerated on the issued-at claim, in seconds. Default 300. */
  clockSkewSeconds: number;
}

export const DEFAULT_RULES: VerificationRules = Object.freeze({ naatMaxAgeHours: 72, ratMaxAgeHours: 48, clockSkewSeconds: 300 });

export interface VerifyOptions {
  trust: TrustAnchors;
  revocations?: RevocationSet;
  /** Verification time; default now. */
  now?: Date;
  rules?: Partial<VerificationRules>;
}

/**
 * Decodes an `HC1:` certificate and checks, in order: the signature against every trusted key
 * with its key ID, the time claims, the revocation list, the payload schema, the value-set codes
 * and the rules. Every failed check adds a reason; the certificate is valid when there is none.
 */
export async function verifyCertificate(hc1: string, options: VerifyOptions): Promise<VerificationResult> {
  let cose: Buffer;
  try {
    cose = decodeHc1(hc1);
  } catch (error) {
    return malformed(error);
  }
  return verifyCose(cose, options);
}

function malformed(error: unknown): VerificationResult {
  return {
    valid: false, reasons: [{ code: 'MALFORMED', message: `Not a health certificate: ${(error as Error).message}` }],
    kind: null, uvci: null, kid: null, issuerCountry: null, issuedAt: null, expiresAt: null, payload: null,
  };
}

/** The checks of `verifyCertificate` on the COSE_Sign1 bytes, once unwrapped from `HC1:`, Base45 and zlib. */
export async function verifyCose(cose: Uint8Array, options: VerifyOptions): Promise<VerificationResult> {
  const now = options.now ?? new Date();
  const rules = { ...DEFAULT_RULES, ...options.rules };
  const reasons: VerificationReason[] = [];
  const fail = (code: VerificationReasonCode, message: string) => reasons.push({ code, message });

  let decoded: DecodedCose;
  try {
    decoded = decodeCose(cose);
  } catch (error) {
    return malformed(error);
  }

  const kid = decoded.kid?.toString('base64') ?? null;
  const candidates = kid ? options.trust.keys.get(kid) ?? [] : [];
  const signer = candidates.length > 0 ? await options.trust.signerOf(decoded) : null;
  if (!kid) fail('UNKNOWN_KEY', 'The certificate names no key ID');
  else if (candidates.length === 0 && options.trust.retired.has(kid)) fail('KEY_RETIRED', `Key ${kid} was retired; the certificate must be re-issued`);
  else if (candidates.length === 0) fail('UNKNOWN_KEY', `No trusted key has key ID ${kid}`);
  else if (!signer) fail('BAD_SIGNATURE', 'The signature does not match: the certificate was changed or not signed by this key');

  const { issuedAt, expiresAt } = decoded.claims;
  // A document signer certificate bounds what its key may sign (EU DCC: valid at issuance) and until when it is trusted.
  if (signer && issuedAt !== undefined && (issuedAt * 1000 < signer.notBefore.getTime() || issuedAt * 1000 > signer.notAfter.getTime())) {
    fail('KEY_NOT_VALID', `Signed on ${new Date(issuedAt * 1000).toISOString()}, outside the signing certificate's validity (${signer.notBefore.toISOString()} to ${signer.notAfter.toISOString()})`);
  } else if (signer && now.getTime() > signer.notAfter.getTime()) {
    fail('KEY_NOT_VALID', `The signing certificate expired on ${signer.notAfter.toISOString()}`);
  }
  if (expiresAt === undefined || issuedAt === undefined) fail('MALFORMED', 'The CWT lacks its issued-at or expiry claim');
  else {
    if (expiresAt * 1000 <= now.getTime()) fail('EXPIRED', `Expired on ${new Date(expiresAt * 1000).toISOString()}`);
    if ((issuedAt - rules.clockSkewSeconds) * 1000 > now.getTime()) fail('NOT_YET_VALID', `Issued in the future, ${new Date(issuedAt * 1000).toISOString()}`);
  }

  const payload = (decoded.claims.payload ?? null) as DccPayload | null;
  const schemaErrors = payloadSchemaErrors(payload);
  // Releases before 1.3.0 accept v, t and r together; a certificate is of one kind (1.3.0 says
  // so, and the EU vectors expect it of every release), and the entries of another kind would
  // be accepted unread.
  const kinds = payload && typeof payload === 'object' ? payloadEntryKinds(payload) : [];
  if (kinds.length > 1) schemaErrors.push(`/ holds entries of ${kinds.length} kinds (${kinds.join(', ')}); a certificate holds one kind`);
  if (schemaErrors.length > 0) fail('SCHEMA_INVALID', `The payload breaks the DCC schema: ${schemaErrors.join('; ')}`);
  const found = payload && typeof payload === 'object' ? payloadEntry(payload) : null;
  if (signer?.kinds && found && !signer.kinds.has(found.kind)) {
    fail('KEY_USAGE', `The signing certificate may sign ${[...signer.kinds].join(', ')} certificates, not ${found.kind}`);
  }
  const uvci = typeof found?.entry.ci === 'string' ? found.entry.ci : null;
  const revocable = revocableCertificate(decoded, found?.entry);
  if (revocable && options.revocations?.revokes(revocable)) fail('REVOKED', 'The certificate was revoked by its issuer');
  if (found && schemaErrors.length === 0) checkRules(found, now, rules, fail);

  return {
    valid: reasons.length === 0,
    reasons,
    kind: found?.kind ?? null,
    uvci,
    kid,
    issuerCountry: signer?.country ?? decoded.claims.issuer ?? null,
    issuedAt: issuedAt !== undefined ? new Date(issuedAt * 1000) : null,
    expiresAt: expiresAt !== undefined ? new Date(expiresAt * 1000) : null,
    payload,
  };
}

function checkRules(
  found: NonNullable<ReturnType<typeof payloadEntry>>,
  now: Date,
  rules: VerificationRules,
  fail: (code: VerificationReasonCode, message: string) => void,
): void {
  const unknown = (name: string, code: string | undefined, set: keyof typeof VALUE_SETS) => {
    if (code !== undefined && !inValueSet(VALUE_SETS[set], code)) fail('UNKNOWN_CODE', `${name} ${code} is not in the EU value set ${VALUE_SETS[set].valueSetId} of ${VALUE_SETS[set].valueSetDate}`);
  };
  unknown('tg', found.entry.tg, 'diseaseAgentTargeted');
  unknown('co', found.entry.co, 'countryCodes');
  switch (found.kind) {
    case 'vaccination': {
      const v = found.entry;
      unknown('vp', v.vp, 'vaccineProphylaxis');
      unknown('mp', v.mp, 'vaccineMedicinalProduct');
      unknown('ma', v.ma, 'vaccineMahManf');
      if (v.dn < v.sd) fail('PRIMARY_SERIES_INCOMPLETE', `Dose ${v.dn} of ${v.sd}: the primary series is not complete`);
      break;
    }
    case 'test': {
      const t = found.entry;
      unknown('tt', t.tt, 'testType');
      unknown('tr', t.tr, 'testResult');
      unknown('ma', t.ma, 'testManufacturer');
      if (t.tr === TEST_RESULT.DETECTED) fail('TEST_POSITIVE', 'The test detected SARS-CoV-2');
      const maxHours = t.tt === TEST_TYPE.RAT ? rules.ratMaxAgeHours : rules.naatMaxAgeHours;
      const ageHours = (now.getTime() - Date.parse(t.sc)) / 3_600_000;
      if (ageHours > maxHours) fail('TEST_TOO_OLD', `The sample is ${Math.floor(ageHours)} hours old; at most ${maxHours} are accepted`);
      break;
    }
    case 'recovery': {
      const r = found.entry;
      const today = now.toISOString().slice(0, 10);
      if (today < r.df || today > r.du) fail('RECOVERY_NOT_VALID_NOW', `Valid from ${r.df} until ${r.du}`);
      break;
    }
  }
}
