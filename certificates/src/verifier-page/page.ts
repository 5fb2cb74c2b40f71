// The offline verifier page. Its script is the library's own verification code (verifier.ts and
// what it reads with: Base45, zlib, CBOR, COSE, X.509, schemas, value sets, rules), bundled for the
// browser by scripts/build-verifier-page.mjs, so the page and the hub decide alike. Signatures are
// checked with WebCrypto. The only requests are the two lists, fetched from the hub when the page
// opens and kept in localStorage for when there is no connection.
import { RevocationSet } from '../revocation-list';
import { TrustAnchors } from '../trust-list';
import { TEST_RESULT, TEST_TYPE } from '../value-sets';
import { verifyCertificate, type VerificationResult } from '../verifier';

const STORED_LISTS = 'hub-verifier-lists';
const KIND_NAMES = { vaccination: 'Vaccination', test: 'Test', recovery: 'Recovery' } as const;

interface Lists { trust: TrustAnchors; revocations: RevocationSet; keys: number; revoked: number; savedAt: string | null }

async function fetchJson(path: string): Promise<unknown> {
  const response = await fetch(path, { cache: 'no-store' });
  if (!response.ok) throw new Error(`${path} answered ${response.status}`);
  return response.json();
}

/** The trust and revocation lists: from the hub, else as last saved; read by the library. */
async function loadLists(): Promise<Lists> {
  let trust: unknown;
  let revocations: unknown;
  let savedAt: string | null = null;
  try {
    [trust, revocations] = await Promise.all([fetchJson('trust-list'), fetchJson('revocation-list')]);
    localStorage.setItem(STORED_LISTS, JSON.stringify({ trust, revocations, at: new Date().toISOString() }));
  } catch {
    const saved = JSON.parse(localStorage.getItem(STORED_LISTS) ?? 'null') as { trust: unknown; revocations: unknown; at: string } | null;
    if (!saved) throw new Error('No trust list: open this page once while connected to the hub.');
    ({ trust, revocations, at: savedAt } = saved);
  }
  const anchors = await TrustAnchors.from(trust);
  const revoked = RevocationSet.from(revocations);
  const keys = [...anchors.keys.values()].reduce((count, keysOfKid) => count + keysOfKid.length, 0);
  return { trust: anchors, revocations: revoked, keys, revoked: Object.values(revoked.hashes).reduce((count, set) => count + set.size, 0), savedAt };
}

function element<T extends HTMLElement>(id: string): T {
  return document.getElementById(id) as T;
}

function show(result: VerificationResult): void {
  const section = element<HTMLElement>('result');
  section.hidden = false;
  section.className = result.valid ? 'valid' : 'invalid';
  section.dataset.valid = String(result.valid);
  element('verdict').textContent = result.valid ? 'Valid certificate' : 'Not valid';
  element('reasons').replaceChildren(...result.reasons.map((reason) => {
    const item = document.createElement('li');
    item.dataset.code = reason.code;
    item.textContent = `${reason.code}: ${reason.message}`;
    return item;
  }));
  const rows: [string, string | undefined][] = [];
  const payload = result.payload;
  if (payload) {
    rows.push(
      ['Name', [payload.nam?.fn, payload.nam?.gn].filter(Boolean).join(' ')],
      ['Name (ICAO)', [payload.nam?.fnt, payload.nam?.gnt].filter(Boolean).join('<<')],
      ['Date of birth', payload.dob],
    );
    if (result.kind) rows.push(['Certificate', KIND_NAMES[result.kind]]);
    const v = payload.v?.[0];
    const t = payload.t?.[0];
    const r = payload.r?.[0];
    if (v) rows.push(['Vaccine', v.mp], ['Dose', `${v.dn} of ${v.sd}`], ['Vaccinated on', v.dt]);
    if (t) rows.push(['Test', t.tt === TEST_TYPE.NAAT ? 'RT-PCR' : 'Rapid antigen'], ['Result', t.tr === TEST_RESULT.DETECTED ? 'Detected' : 'Not detected'], ['Sample taken', t.sc], ['Testing centre', t.tc]);
    if (r) rows.push(['First positive test', r.fr], ['Valid', `${r.df} – ${r.du}`]);
    const entry = v ?? t ?? r;
    if (entry) rows.push(['Certificate ID', entry.ci], ['Issuer', entry.is]);
  }
  if (result.issuerCountry) rows.push(['Issuing country', result.issuerCountry]);
  if (result.expiresAt) rows.push(['Expires', result.expiresAt.toISOString()]);
  element('details').replaceChildren(...rows.flatMap(([label, value]) => {
    const term = document.createElement('dt');
    term.textContent = label;
    const description = document.createElement('dd');
    description.textContent = value ?? '';
    return [term, description];
  }));
}

async function readQrImage(file: File): Promise<string> {
  const Detector = (window as unknown as { BarcodeDetector?: new (options: { formats: string[] }) => { detect(image: ImageBitmap): Promise<{ rawValue: string }[]> } }).BarcodeDetector;
  if (!Detector) throw new Error('This browser cannot read QR images; paste the text instead.');
  const codes = await new Detector({ formats: ['qr_code'] }).detect(await createImageBitmap(file));
  if (!codes[0]) throw new Error('No QR code found in the image.');
  return codes[0].rawValue;
}

window.addEventListener('DOMContentLoaded', () => {
  const button = element<HTMLButtonElement>('verify');
  const textarea = element<HTMLTextAreaElement>('certificate');
  const status = element('lists');
  let lists: Lists | null = null;
  const run = async () => {
    if (!lists) return;
    try {
      show(await verifyCertificate(textarea.value, { trust: lists.trust, revocations: lists.revocations }));
    } catch (error) {
      status.textContent = `The certificate could not be checked: ${(error as Error).message}`;
    }
  };
  loadLists().then(
    (loaded) => {
      lists = loaded;
      const skipped = loaded.trust.skipped.length > 0 ? ` (${loaded.trust.skipped.length} entr${loaded.trust.skipped.length === 1 ? 'y' : 'ies'} of the list could not be read)` : '';
      const saved = loaded.savedAt ? `, as saved on ${loaded.savedAt}` : '';
      status.textContent = `Trust list: ${loaded.keys} signing key${loaded.keys === 1 ? '' : 's'}${skipped}; revocation list: ${loaded.revoked} entr${loaded.revoked === 1 ? 'y' : 'ies'}${saved}.`;
      status.dataset.ready = 'true';
      button.disabled = false;
    },
    (error: Error) => { status.textContent = error.message; },
  );
  button.addEventListener('click', () => void run());
  element<HTMLInputElement>('image').addEventListener('change', async (event) => {
    const file = (event.target as HTMLInputElement).files?.[0];
    if (!file) return;
    try {
      textarea.value = await readQrImage(file);
      await run();
    } catch (error) {
      status.textContent = (error as Error).message;
    }
  });
});
