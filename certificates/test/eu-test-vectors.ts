// The EU DCC gateway's public test vectors (dgc-testdata), read from the shared data folder, and
// what the verifier says at each stage their EXPECTEDRESULTS name.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import {
  base45Bytes, DCC_SCHEMAS, decodeCose, decodeDccCbor, encodeDccCbor, hc1Base45, inflateCose, keyIdOf, payloadSchemaErrors,
  TrustAnchors, verifyCose, type VerificationResult,
} from '../src';

export const VECTORS_DIR = resolve(__dirname, '../../../shared/data/eu-dcc-testdata');

export interface TestVector {
  /** Path under `eu-dcc-testdata/`. */
  name: string;
  JSON?: unknown;
  CBOR?: string;
  COSE?: string;
  COMPRESSED?: string;
  BASE45?: string;
  PREFIX?: string;
  TESTCTX: { SCHEMA?: string; CERTIFICATE?: string; VALIDATIONCLOCK?: string; DESCRIPTION?: string };
  EXPECTEDRESULTS: Record<string, boolean>;
}

/** The stages compared. The QR pictures are not in the shared copy, so EXPECTEDPICTUREDECODE is not. */
export const STAGES = [
  'EXPECTEDUNPREFIX', 'EXPECTEDB45DECODE', 'EXPECTEDCOMPRESSION', 'EXPECTEDDECODE', 'EXPECTEDVALIDJSON', 'EXPECTEDVERIFY',
  'EXPECTEDKEYUSAGE', 'EXPECTEDEXPIRATIONCHECK', 'EXPECTEDSCHEMAVALIDATION', 'EXPECTEDVALIDOBJECT', 'EXPECTEDENCODE',
] as const;
export type Stage = (typeof STAGES)[number];

export function readVectors(): TestVector[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir).sort()) {
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) walk(path);
      else if (entry.endsWith('.json')) files.push(path);
    }
  };
  walk(VECTORS_DIR);
  return files
    .map((path) => ({ ...(JSON.parse(readFileSync(path, 'utf8')) as Omit<TestVector, 'name'>), name: relative(VECTORS_DIR, path) }))
    // 6.json at the top is a decoded sample, not a vector.
    .filter((vector) => vector.EXPECTEDRESULTS && vector.TESTCTX);
}

/** The expected result of each compared stage; the upstream's misspelt `EXPTECTEDEXPIRED: true` is an expiry check expected to fail. */
export function expectations(vector: TestVector): Partial<Record<Stage, boolean>> {
  const expected: Partial<Record<Stage, boolean>> = {};
  for (const stage of STAGES) if (typeof vector.EXPECTEDRESULTS[stage] === 'boolean') expected[stage] = vector.EXPECTEDRESULTS[stage];
  if (vector.EXPECTEDRESULTS.EXPTECTEDEXPIRED === true) expected.EXPECTEDEXPIRATIONCHECK = false;
  return expected;
}

/** The validation clock as an instant: ISO 8601 with any number of fraction digits, with or without a zone (none is UTC). */
export function validationClock(text: string): Date {
  const match = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d+))?(Z|[+-]\d\d:?\d\d)?$/.exec(text);
  if (!match) throw new Error(`unreadable VALIDATIONCLOCK ${text}`);
  const zone = !match[3] || match[3] === 'Z' ? 'Z' : `${match[3].slice(0, 3)}:${match[3].slice(-2)}`;
  return new Date(`${match[1]}.${(match[2] ?? '0').padEnd(3, '0').slice(0, 3)}${zone}`);
}

/** What the verifier found at one stage: passed or not, and why. */
export interface StageFinding { passed: boolean; evidence: string }

const hex = (text: string) => Buffer.from(text, 'hex');
const attempt = <T>(run: () => T): { value?: T; error?: string } => {
  try {
    return { value: run() };
  } catch (error) {
    return { error: (error as Error).message };
  }
};
const reasonsOf = (result: VerificationResult, codes: string[]) => result.reasons.filter((reason) => codes.includes(reason.code as string));
const said = (result: VerificationResult, codes: string[]): StageFinding => {
  const found = reasonsOf(result, codes);
  return { passed: found.length === 0, evidence: found.map((reason) => `${reason.code}: ${reason.message}`).join('; ') || 'no such reason' };
};
// Some issuers put the DCC in the CBOR field, others the whole CWT: compare the DCC.
const cborField = (text: string) => {
  const decoded = decodeDccCbor(hex(text)) as Record<string, Record<string, unknown>> | undefined;
  return decoded && typeof decoded === 'object' && decoded['-260'] ? decoded['-260']['1'] : decoded;
};
// For a schema verdict, the evidence names every official release that accepts the payload.
const schemaFinding = (payload: unknown): StageFinding => {
  const errors = payloadSchemaErrors(payload);
  const accepting = Object.keys(DCC_SCHEMAS).filter((version) => payloadSchemaErrors(payload, version).length === 0);
  const ver = payload && typeof payload === 'object' ? (payload as { ver?: unknown }).ver : undefined;
  return { passed: errors.length === 0, evidence: `ver ${String(ver)}: ${errors.join('; ') || 'valid'}; releases accepting it: ${accepting.join(', ') || 'none'}` };
};
const sameJson = (a: unknown, b: unknown) => isDeepStrictEqual(JSON.parse(JSON.stringify(a)), JSON.parse(JSON.stringify(b)));

/** Runs each stage the vector expects a result of through the library and reports what it found. */
export function runVector(vector: TestVector): Partial<Record<Stage, StageFinding>> {
  const findings: Partial<Record<Stage, StageFinding>> = {};
  const expected = expectations(vector);
  // The COSE bytes: the vector's own, else whatever its text decodes to.
  const unprefixed = vector.PREFIX !== undefined ? attempt(() => hc1Base45(vector.PREFIX!)) : undefined;
  const compressed = vector.COMPRESSED ? { value: hex(vector.COMPRESSED) } : vector.BASE45 ? attempt(() => base45Bytes(vector.BASE45!)) : undefined;
  const chain = unprefixed?.value !== undefined ? attempt(() => inflateCose(base45Bytes(unprefixed.value!))) : undefined;
  const cose = vector.COSE ? hex(vector.COSE) : chain?.value;
  const certificate = vector.TESTCTX.CERTIFICATE ? Buffer.from(vector.TESTCTX.CERTIFICATE, 'base64') : undefined;
  const country = vector.name.split('/')[0]!.toUpperCase();
  const trust = () => TrustAnchors.from([{ kid: keyIdOf(certificate!).toString('base64'), country, certificateType: 'DSC', rawData: certificate!.toString('base64') }]);
  const now = vector.TESTCTX.VALIDATIONCLOCK ? validationClock(vector.TESTCTX.VALIDATIONCLOCK) : undefined;
  const verification = cose && certificate ? attempt(() => verifyCose(cose, { trust: trust(), now })) : undefined;
  const verified = (codes: string[]): StageFinding =>
    verification?.value ? said(verification.value, codes) : { passed: false, evidence: verification?.error ?? 'no COSE or no signing certificate to verify with' };

  for (const stage of Object.keys(expected) as Stage[]) {
    switch (stage) {
      case 'EXPECTEDUNPREFIX':
        findings[stage] = unprefixed?.value !== undefined
          ? { passed: vector.BASE45 === undefined || unprefixed.value === vector.BASE45, evidence: 'prefix read; the rest compared with BASE45' }
          : { passed: false, evidence: unprefixed?.error ?? 'no PREFIX' };
        break;
      case 'EXPECTEDB45DECODE': {
        const decoded = vector.BASE45 !== undefined ? attempt(() => base45Bytes(vector.BASE45!)) : undefined;
        findings[stage] = decoded?.value
          ? { passed: !vector.COMPRESSED || decoded.value.equals(hex(vector.COMPRESSED)), evidence: 'decoded; compared with COMPRESSED' }
          : { passed: false, evidence: decoded?.error ?? 'no BASE45' };
        break;
      }
      case 'EXPECTEDCOMPRESSION': {
        const inflated = compressed?.value ? attempt(() => inflateCose(compressed.value!)) : undefined;
        findings[stage] = inflated?.value
          ? { passed: !vector.COSE || inflated.value.equals(hex(vector.COSE)), evidence: 'inflated; compared with COSE' }
          : { passed: false, evidence: inflated?.error ?? compressed?.error ?? 'no COMPRESSED' };
        break;
      }
      case 'EXPECTEDDECODE': {
        const decoded = cose ? attempt(() => decodeCose(cose)) : undefined;
        const reference = vector.CBOR ? attempt(() => cborField(vector.CBOR!)) : undefined;
        findings[stage] = decoded?.value
          ? reference?.error
            ? { passed: false, evidence: `decoded, but the CBOR to compare with is not CBOR: ${reference.error}` }
            : { passed: reference === undefined || sameJson(decoded.value.claims.payload, reference.value), evidence: 'decoded; payload compared with CBOR' }
          : { passed: false, evidence: decoded?.error ?? chain?.error ?? 'no COSE' };
        break;
      }
      case 'EXPECTEDVALIDJSON': {
        const decoded = chain?.value ? attempt(() => decodeCose(chain.value!)) : undefined;
        findings[stage] = decoded?.value
          ? { passed: vector.JSON === undefined || sameJson(decoded.value.claims.payload, vector.JSON), evidence: 'PREFIX decoded whole; payload compared with JSON' }
          : { passed: false, evidence: decoded?.error ?? chain?.error ?? unprefixed?.error ?? 'no PREFIX' };
        break;
      }
      case 'EXPECTEDVERIFY':
        findings[stage] = verified(['MALFORMED', 'UNKNOWN_KEY', 'BAD_SIGNATURE']);
        break;
      case 'EXPECTEDKEYUSAGE':
        findings[stage] = verified(['MALFORMED', 'UNKNOWN_KEY', 'BAD_SIGNATURE', 'KEY_USAGE']);
        break;
      case 'EXPECTEDEXPIRATIONCHECK':
        findings[stage] = verified(['MALFORMED', 'EXPIRED', 'NOT_YET_VALID']);
        break;
      case 'EXPECTEDSCHEMAVALIDATION': {
        // The payload as decoded from the certificate, else the vector's CBOR.
        const decoded = cose ? attempt(() => decodeCose(cose).claims.payload) : undefined;
        const payload = decoded?.value ?? (vector.CBOR ? attempt(() => cborField(vector.CBOR!)).value : undefined);
        findings[stage] = schemaFinding(payload);
        break;
      }
      case 'EXPECTEDVALIDOBJECT': {
        findings[stage] = schemaFinding(vector.JSON);
        break;
      }
      case 'EXPECTEDENCODE': {
        const encoded = attempt(() => decodeDccCbor(encodeDccCbor(vector.JSON)));
        // Compared with the vector's CBOR, else with the payload its certificate carries.
        const reference = vector.CBOR ? attempt(() => cborField(vector.CBOR!)) : cose ? attempt(() => decodeCose(cose).claims.payload) : undefined;
        findings[stage] = { passed: encoded.value !== undefined && reference?.value !== undefined && sameJson(encoded.value, reference.value), evidence: encoded.error ?? reference?.error ?? 'encoded; compared with CBOR' };
        break;
      }
    }
  }
  return findings;
}

/** One stage where the verifier and the vector differ. */
export interface Disagreement { vector: string; stage: Stage; expected: boolean; found: string }

export function compareAll(vectors: TestVector[]): { checks: number; disagreements: Disagreement[] } {
  let checks = 0;
  const disagreements: Disagreement[] = [];
  for (const vector of vectors) {
    const expected = expectations(vector);
    const findings = runVector(vector);
    for (const [stage, finding] of Object.entries(findings) as [Stage, StageFinding][]) {
      checks++;
      if (finding.passed !== expected[stage]) disagreements.push({ vector: vector.name, stage, expected: expected[stage]!, found: finding.evidence });
    }
  }
  return { checks, disagreements };
}
