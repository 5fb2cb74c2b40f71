export { CertificateErrors, type CertificateErrorCode } from './errors';
export { icaoTransliterate } from './transliteration';
export { newUvci, uvciCheckCharacterValid, type CertificateKind } from './uvci';
export {
  VALUE_SETS, VALUE_SET_VERSIONS, HUB_VACCINE_CODES, COVID_19, TEST_TYPE, TEST_RESULT, vaccineCodes, inValueSet,
  type ValueSet, type VaccineCodes,
} from './value-sets';
export {
  DCC_SCHEMA_VERSION, RECOVERY_VALID_FROM_DAYS, RECOVERY_VALID_UNTIL_DAYS,
  dccName, vaccinationPayload, testPayload, recoveryPayload, payloadEntry, payloadEntryKinds,
  type DccPayload, type DccName, type VaccinationEntry, type TestEntry, type RecoveryEntry,
  type CertificateHolder, type IssuerIdentity, type CertifiedDose, type CertifiedTest,
} from './payload';
export { payloadSchemaErrors, schemaVersionFor, DCC_SCHEMAS } from './payload-schema';
export { keyIdOf, decodeCose, coseSignatureValid, COSE_ALGORITHMS, encodeDccCbor, decodeDccCbor, CWT, type DecodedCose, type VerificationKey } from './cose';
export { signCoseDocument, coseAlgorithmOf, encodeHc1 } from './cose-sign';
export { decodeHc1, hc1Base45, base45Bytes, inflateCose, HC1_PREFIX } from './hc1';
export { renderQr, type CertificateQr } from './qr-code';
export { createSigningKey, type SigningKey, type NewSigningKeyOptions } from './signing-key';
export { issueCertificate, signCertificate, type Signer, type SignedCertificate, type SignOptions } from './issuer';
export { TrustAnchors, trustListItem, readSignedTrustList, KEY_USAGE_OIDS, type SignedTrustList, type TrustList, type TrustListItem, type RetiredKey, type TrustedKey, type SkippedEntry } from './trust-list';
export {
  RevocationSet, uvciHash, revocationHashes, revocableCertificate, REVOCATION_HASH_TYPES,
  type RevocationList, type RevocationBatch, type RevocationBatchIndex, type SignedRevocationBatch, type RevocationHashType,
  type RevocableCertificate, type RevokedCertificate,
} from './revocation-list';
export { revocationBatches } from './revocation-batches';
export { keyState, trustListAt, type KeyLifecycle, type KeyState } from './key-lifecycle';
export {
  verifyCertificate, verifyCose, DEFAULT_RULES,
  type VerificationResult, type VerificationReason, type VerificationReasonCode, type VerificationRules, type VerifyOptions,
} from './verifier';
export { CertificateAuthority, MIGRATIONS_DIR, type CertificateRequest } from './certificate-authority';
export type { IssuedCertificate, Revocation } from './certificate-ledger';
export { KeyStore, type StoredKey, type KeyStoreSettings } from './key-store';
export { resolveOptions, type CertificatesOptions, type ResolvedCertificatesOptions } from './options';
export { publishedCertificates, verifierPage, VERIFIER_PAGE_DIR, PUBLISHED_PREFIX } from './published-documents';
export { runKeyCli, USAGE as KEY_CLI_USAGE } from './key-cli';
export { holderOf, keepingRequiredFields, acceptedWindow, certificateTypeResolvers, type PersonWithNames } from './graph-fields';
