// Offline verifier of EU Digital COVID Certificates. Runs entirely in the browser: Base45,
// zlib (DecompressionStream), CBOR and COSE are decoded here and the ES256 signature is
// checked with WebCrypto. The only requests are the two lists, fetched from this server when
// the page opens (and kept in localStorage for when there is no connection).
'use strict';

const BASE45 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:';
const NAAT = 'LP6464-4';
const RAT = 'LP217198-3';
const DETECTED = '260373001';
const RULES = { naatMaxAgeHours: 72, ratMaxAgeHours: 48, clockSkewSeconds: 300 };

const state = { keys: new Map(), retired: new Map(), revoked: new Set() };

function base45Decode(text) {
  if (text.length % 3 === 1) throw new Error('is not Base45');
  const out = [];
  for (let i = 0; i < text.length; i += 3) {
    const digits = [...text.slice(i, i + 3)].map((c) => {
      const v = BASE45.indexOf(c);
      if (v < 0) throw new Error('is not Base45');
      return v;
    });
    const n = digits.reduce((sum, v, k) => sum + v * 45 ** k, 0);
    if (digits.length === 3) {
      if (n > 0xffff) throw new Error('is not Base45');
      out.push(n >> 8, n & 0xff);
    } else {
      out.push(n);
    }
  }
  return new Uint8Array(out);
}

async function inflate(bytes) {
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('deflate'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

// A CBOR decoder for what a DCC holds: integers, strings, arrays, maps, tags, simple values, floats.
function cborDecode(bytes) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = 0;
  const length = (info) => {
    if (info < 24) return info;
    if (info === 24) return view.getUint8(at++);
    if (info === 25) { const v = view.getUint16(at); at += 2; return v; }
    if (info === 26) { const v = view.getUint32(at); at += 4; return v; }
    if (info === 27) { const v = Number(view.getBigUint64(at)); at += 8; return v; }
    throw new Error('indefinite lengths are not used in a DCC');
  };
  const item = () => {
    const initial = view.getUint8(at++);
    const major = initial >> 5;
    const info = initial & 31;
    if (major === 7) {
      if (info === 20) return false;
      if (info === 21) return true;
      if (info === 22 || info === 23) return null;
      if (info === 25) { const v = getFloat16(view, at); at += 2; return v; }
      if (info === 26) { const v = view.getFloat32(at); at += 4; return v; }
      if (info === 27) { const v = view.getFloat64(at); at += 8; return v; }
      throw new Error('unknown CBOR simple value');
    }
    const n = length(info);
    switch (major) {
      case 0: return n;
      case 1: return -1 - n;
      case 2: { const v = bytes.subarray(at, at + n); at += n; return v; }
      case 3: { const v = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(at, at + n)); at += n; return v; }
      case 4: return Array.from({ length: n }, item);
      case 5: { const map = new Map(); for (let i = 0; i < n; i++) { const k = item(); map.set(k, item()); } return map; }
      case 6: return { tag: n, value: item() };
      default: throw new Error('bad CBOR');
    }
  };
  const value = item();
  if (at !== bytes.length) throw new Error('trailing bytes after CBOR');
  return value;
}

function getFloat16(view, at) {
  const half = view.getUint16(at);
  const exp = (half >> 10) & 0x1f;
  const mant = half & 0x3ff;
  const sign = half & 0x8000 ? -1 : 1;
  if (exp === 0) return sign * 2 ** -14 * (mant / 1024);
  if (exp === 31) return mant ? NaN : sign * Infinity;
  return sign * 2 ** (exp - 15) * (1 + mant / 1024);
}

function cborHead(major, n) {
  if (n < 24) return [(major << 5) | n];
  if (n < 256) return [(major << 5) | 24, n];
  if (n < 65536) return [(major << 5) | 25, n >> 8, n & 0xff];
  return [(major << 5) | 26, (n >>> 24) & 0xff, (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff];
}

// Sig_structure = ["Signature1", protected, external_aad = h'', payload] (RFC 9052 §4.4).
function sigStructure(protectedBytes, payloadBytes) {
  const context = new TextEncoder().encode('Signature1');
  return new Uint8Array([
    ...cborHead(4, 4),
    ...cborHead(3, context.length), ...context,
    ...cborHead(2, protectedBytes.length), ...protectedBytes,
    ...cborHead(2, 0),
    ...cborHead(2, payloadBytes.length), ...payloadBytes,
  ]);
}

// The SubjectPublicKeyInfo and validity of a DER X.509 certificate: Certificate →
// tbsCertificate → 7th and 5th elements (6th and 4th when the optional version is absent).
function certificateParts(der) {
  const tlv = (bytes, at) => {
    const tag = bytes[at];
    let len = bytes[at + 1];
    let header = 2;
    if (len & 0x80) {
      const count = len & 0x7f;
      len = 0;
      for (let i = 0; i < count; i++) len = len * 256 + bytes[at + 2 + i];
      header += count;
    }
    return { tag, start: at, contentStart: at + header, end: at + header + len };
  };
  const certificate = tlv(der, 0);
  const tbs = tlv(der, certificate.contentStart);
  let at = tbs.contentStart;
  const children = [];
  while (at < tbs.end) { const child = tlv(der, at); children.push(child); at = child.end; }
  const index = children[0].tag === 0xa0 ? 6 : 5;
  const spki = children[index];
  const validity = children[index - 2];
  const notBefore = tlv(der, validity.contentStart);
  const notAfter = tlv(der, notBefore.end);
  return { spki: der.subarray(spki.start, spki.end), notBefore: asn1Time(der, notBefore), notAfter: asn1Time(der, notAfter) };
}

// UTCTime (YYMMDDHHMMSSZ, years 1950–2049) or GeneralizedTime (YYYYMMDDHHMMSSZ).
function asn1Time(der, node) {
  const text = new TextDecoder().decode(der.subarray(node.contentStart, node.end));
  const full = node.tag === 0x17 ? `${Number(text.slice(0, 2)) < 50 ? '20' : '19'}${text}` : text;
  return new Date(`${full.slice(0, 4)}-${full.slice(4, 6)}-${full.slice(6, 8)}T${full.slice(8, 10)}:${full.slice(10, 12)}:${full.slice(12, 14)}Z`);
}

const fromBase64 = (text) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
const toBase64 = (bytes) => btoa(String.fromCharCode(...bytes));

async function loadLists() {
  let trust;
  let revocations;
  try {
    [trust, revocations] = await Promise.all([
      fetch('trust-list', { cache: 'no-store' }).then((r) => r.json()),
      fetch('revocation-list', { cache: 'no-store' }).then((r) => r.json()),
    ]);
    localStorage.setItem('hub-verifier-lists', JSON.stringify({ trust, revocations, at: new Date().toISOString() }));
  } catch {
    const saved = JSON.parse(localStorage.getItem('hub-verifier-lists') || 'null');
    if (!saved) throw new Error('No trust list: open this page once while connected to the hub.');
    ({ trust, revocations } = saved);
  }
  const items = Array.isArray(trust) ? trust : trust.certificates;
  for (const item of items) {
    const parts = certificateParts(fromBase64(item.rawData));
    const key = await crypto.subtle.importKey('spki', parts.spki, { name: 'ECDSA', namedCurve: 'P-256' }, false, ['verify']);
    state.keys.set(item.kid, [...(state.keys.get(item.kid) || []), { key, country: item.country, notBefore: parts.notBefore, notAfter: parts.notAfter }]);
  }
  for (const retired of (Array.isArray(trust) ? [] : trust.retired || [])) state.retired.set(retired.kid, retired);
  for (const hash of revocations.hashes) state.revoked.add(hash);
  return { keys: items.length, revoked: revocations.hashes.length };
}

async function uvciHash(uvci) {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(uvci)));
  return toBase64(digest.subarray(0, 16));
}

const plain = (value) => value instanceof Map
  ? Object.fromEntries([...value].map(([k, v]) => [String(k), plain(v)]))
  : Array.isArray(value) ? value.map(plain) : value;

/** The same checks, in the same order and with the same reason codes, as the hub's verifier library. */
async function verify(text, now = new Date()) {
  const reasons = [];
  const fail = (code, message) => reasons.push({ code, message });
  let cose;
  let claims;
  try {
    const trimmed = text.trim();
    if (!trimmed.startsWith('HC1:')) throw new Error('does not start with HC1:');
    let bytes = base45Decode(trimmed.slice(4));
    if (bytes[0] === 0x78) bytes = await inflate(bytes);
    let message = cborDecode(bytes);
    if (message && message.tag !== undefined) {
      if (message.tag !== 18) throw new Error('not COSE_Sign1');
      message = message.value;
    }
    if (!Array.isArray(message) || message.length !== 4) throw new Error('not COSE_Sign1');
    const [protectedBytes, unprotected, payloadBytes, signature] = message;
    const header = protectedBytes.length ? cborDecode(protectedBytes) : new Map();
    cose = {
      protectedBytes, payloadBytes, signature,
      kid: header.get(4) || (unprotected instanceof Map ? unprotected.get(4) : undefined),
      alg: header.get(1) ?? (unprotected instanceof Map ? unprotected.get(1) : undefined),
    };
    claims = cborDecode(payloadBytes);
    if (!(claims instanceof Map)) throw new Error('CWT is not a map');
  } catch (error) {
    return { valid: false, reasons: [{ code: 'MALFORMED', message: `Not a health certificate: ${error.message}` }] };
  }

  const kid = cose.kid ? toBase64(cose.kid) : null;
  const candidates = kid ? state.keys.get(kid) || [] : [];
  let signer = null;
  for (const candidate of candidates) {
    if (cose.alg === -7 && cose.signature.length === 64
      && await crypto.subtle.verify({ name: 'ECDSA', hash: 'SHA-256' }, candidate.key, cose.signature, sigStructure(cose.protectedBytes, cose.payloadBytes))) {
      signer = candidate;
      break;
    }
  }
  if (!kid) fail('UNKNOWN_KEY', 'The certificate names no key ID');
  else if (candidates.length === 0 && state.retired.has(kid)) fail('KEY_RETIRED', `Key ${kid} was retired; the certificate must be re-issued`);
  else if (candidates.length === 0) fail('UNKNOWN_KEY', `No trusted key has key ID ${kid}`);
  else if (!signer) fail('BAD_SIGNATURE', 'The signature does not match: the certificate was changed or not signed by this key');

  const iat = claims.get(6);
  const exp = claims.get(4);
  if (signer && typeof iat === 'number' && (iat * 1000 < signer.notBefore.getTime() || iat * 1000 > signer.notAfter.getTime())) {
    fail('KEY_NOT_VALID', `Signed on ${new Date(iat * 1000).toISOString()}, outside the signing certificate's validity`);
  } else if (signer && now.getTime() > signer.notAfter.getTime()) {
    fail('KEY_NOT_VALID', `The signing certificate expired on ${signer.notAfter.toISOString()}`);
  }
  if (typeof iat !== 'number' || typeof exp !== 'number') fail('MALFORMED', 'The CWT lacks its issued-at or expiry claim');
  else {
    if (exp * 1000 <= now.getTime()) fail('EXPIRED', `Expired on ${new Date(exp * 1000).toISOString()}`);
    if ((iat - RULES.clockSkewSeconds) * 1000 > now.getTime()) fail('NOT_YET_VALID', `Issued in the future, ${new Date(iat * 1000).toISOString()}`);
  }

  const hcert = claims.get(-260);
  const payload = hcert instanceof Map ? plain(hcert.get(1)) : null;
  const entry = payload && (payload.v?.[0] ? { kind: 'vaccination', e: payload.v[0] } : payload.t?.[0] ? { kind: 'test', e: payload.t[0] } : payload.r?.[0] ? { kind: 'recovery', e: payload.r[0] } : null);
  const schemaProblems = schemaErrors(payload, entry);
  if (schemaProblems.length) fail('SCHEMA_INVALID', `The payload breaks the DCC schema: ${schemaProblems.join('; ')}`);
  if (entry && typeof entry.e.ci === 'string' && state.revoked.has(await uvciHash(entry.e.ci))) fail('REVOKED', 'The certificate was revoked by its issuer');
  if (entry && schemaProblems.length === 0) {
    const e = entry.e;
    if (entry.kind === 'vaccination' && e.dn < e.sd) fail('PRIMARY_SERIES_INCOMPLETE', `Dose ${e.dn} of ${e.sd}: the primary series is not complete`);
    if (entry.kind === 'test') {
      if (e.tr === DETECTED) fail('TEST_POSITIVE', 'The test detected SARS-CoV-2');
      const maxHours = e.tt === RAT ? RULES.ratMaxAgeHours : RULES.naatMaxAgeHours;
      const ageHours = (now.getTime() - Date.parse(e.sc)) / 3600000;
      if (ageHours > maxHours) fail('TEST_TOO_OLD', `The sample is ${Math.floor(ageHours)} hours old; at most ${maxHours} are accepted`);
    }
    if (entry.kind === 'recovery') {
      const today = now.toISOString().slice(0, 10);
      if (today < e.df || today > e.du) fail('RECOVERY_NOT_VALID_NOW', `Valid from ${e.df} until ${e.du}`);
    }
  }
  return {
    valid: reasons.length === 0, reasons, kind: entry ? entry.kind : null, payload, kid,
    issuerCountry: signer ? signer.country : claims.get(1) ?? null,
    issuedAt: typeof iat === 'number' ? new Date(iat * 1000) : null,
    expiresAt: typeof exp === 'number' ? new Date(exp * 1000) : null,
  };
}

// The parts of DCC schema 1.3 a person could break by hand; the hub's verifier applies the whole schema.
function schemaErrors(payload, entry) {
  const errors = [];
  if (!payload || typeof payload !== 'object') return ['the payload is not an object'];
  if (typeof payload.ver !== 'string' || !/^\d+.\d+.\d+$/.test(payload.ver)) errors.push('/ver must be a version');
  if (!payload.nam || typeof payload.nam.fnt !== 'string' || !/^[A-Z<]*$/.test(payload.nam.fnt)) errors.push('/nam/fnt must be ICAO letters');
  if (payload.nam && payload.nam.gnt !== undefined && !/^[A-Z<]*$/.test(payload.nam.gnt)) errors.push('/nam/gnt must be ICAO letters');
  if (typeof payload.dob !== 'string' || !/^((19|20)\d\d(-\d\d){0,2}){0,1}$/.test(payload.dob)) errors.push('/dob must be a date');
  const kinds = ['v', 't', 'r'].filter((key) => Array.isArray(payload[key]) && payload[key].length > 0);
  if (kinds.length > 1) errors.push(`/ holds entries of ${kinds.length} kinds (${kinds.join(', ')}); a certificate holds one kind`);
  if (!entry) errors.push('no vaccination, test or recovery entry');
  else {
    const required = { vaccination: ['tg', 'vp', 'mp', 'ma', 'dn', 'sd', 'dt', 'co', 'is', 'ci'], test: ['tg', 'tt', 'sc', 'tr', 'tc', 'co', 'is', 'ci'], recovery: ['tg', 'fr', 'co', 'is', 'df', 'du', 'ci'] }[entry.kind];
    for (const field of required) if (entry.e[field] === undefined) errors.push(`entry must have ${field}`);
  }
  return errors;
}

const KIND_NAMES = { vaccination: 'Vaccination', test: 'Test', recovery: 'Recovery' };

function show(result) {
  const section = document.getElementById('result');
  section.hidden = false;
  section.className = result.valid ? 'valid' : 'invalid';
  section.dataset.valid = String(result.valid);
  document.getElementById('verdict').textContent = result.valid ? 'Valid certificate' : 'Not valid';
  const reasons = document.getElementById('reasons');
  reasons.replaceChildren(...result.reasons.map((reason) => {
    const li = document.createElement('li');
    li.dataset.code = reason.code;
    li.textContent = `${reason.code}: ${reason.message}`;
    return li;
  }));
  const rows = [];
  const p = result.payload;
  if (p) {
    rows.push(['Name', [p.nam?.fn, p.nam?.gn].filter(Boolean).join(' ')], ['Name (ICAO)', [p.nam?.fnt, p.nam?.gnt].filter(Boolean).join('<<')], ['Date of birth', p.dob]);
    const e = p.v?.[0] || p.t?.[0] || p.r?.[0];
    if (result.kind) rows.push(['Certificate', KIND_NAMES[result.kind]]);
    if (p.v?.[0]) rows.push(['Vaccine', e.mp], ['Dose', `${e.dn} of ${e.sd}`], ['Vaccinated on', e.dt]);
    if (p.t?.[0]) rows.push(['Test', e.tt === NAAT ? 'RT-PCR' : 'Rapid antigen'], ['Result', e.tr === DETECTED ? 'Detected' : 'Not detected'], ['Sample taken', e.sc], ['Testing centre', e.tc]);
    if (p.r?.[0]) rows.push(['First positive test', e.fr], ['Valid', `${e.df} – ${e.du}`]);
    if (e) rows.push(['Certificate ID', e.ci], ['Issuer', e.is]);
  }
  if (result.issuerCountry) rows.push(['Issuing country', result.issuerCountry]);
  if (result.expiresAt) rows.push(['Expires', result.expiresAt.toISOString()]);
  document.getElementById('details').replaceChildren(...rows.flatMap(([label, value]) => {
    const dt = document.createElement('dt');
    dt.textContent = label;
    const dd = document.createElement('dd');
    dd.textContent = value ?? '';
    return [dt, dd];
  }));
}

async function readQrImage(file) {
  if (!('BarcodeDetector' in window)) throw new Error('This browser cannot read QR images; paste the text instead.');
  const bitmap = await createImageBitmap(file);
  const codes = await new window.BarcodeDetector({ formats: ['qr_code'] }).detect(bitmap);
  if (!codes.length) throw new Error('No QR code found in the image.');
  return codes[0].rawValue;
}

window.addEventListener('DOMContentLoaded', () => {
  const button = document.getElementById('verify');
  const textarea = document.getElementById('certificate');
  const lists = document.getElementById('lists');
  const run = async () => show(await verify(textarea.value));
  loadLists().then(
    ({ keys, revoked }) => {
      lists.textContent = `Trust list: ${keys} signing key${keys === 1 ? '' : 's'}; revocation list: ${revoked} entr${revoked === 1 ? 'y' : 'ies'}.`;
      lists.dataset.ready = 'true';
      button.disabled = false;
    },
    (error) => { lists.textContent = error.message; },
  );
  button.addEventListener('click', run);
  document.getElementById('image').addEventListener('change', async (event) => {
    const file = event.target.files[0];
    if (!file) return;
    try {
      textarea.value = await readQrImage(file);
      await run();
    } catch (error) {
      lists.textContent = error.message;
    }
  });
});
