import { useState } from 'preact/hooks';
import { formatTime, type Lang } from '../../../i18n';
import type { PageProps } from '../../pages';
import { allows } from '../../session';
import '../connectors/console-forms.css';
import certificatesOfPerson from './operations/ConsoleCertificatesOfPerson.graphql';
import revokeCertificate from './operations/ConsoleRevokeCertificate.graphql';
import verifyCertificate from './operations/ConsoleVerifyCertificate.graphql';

interface Certificate { kind: string; uvci: string; hc1: string; qrSvg: string; issuedAt: string; expiresAt: string; validFrom: string; validUntil: string }
interface PersonCertificates {
  id: string; fullName: string;
  vaccinationCertificate: Certificate | null; testCertificates: Certificate[] | null; recoveryCertificate: Certificate | null;
}
interface Verification {
  valid: boolean; reasons: Array<{ code: string; message: string }>; kind: string | null; uvci: string | null; keyId: string | null;
  issuerCountry: string | null; issuedAt: string | null; expiresAt: string | null; holder: { familyName: string | null; givenNames: string | null; birthDate: string } | null;
}

const TEXT = {
  vi: {
    lookup: 'Tra cứu chứng nhận của một người', personId: 'Số định danh (12 chữ số)', show: 'Tra cứu', noPerson: 'Không tìm thấy người này.', noCertificates: 'Người này chưa có chứng nhận nào.',
    verify: 'Kiểm tra một chứng nhận', hc1: 'Nội dung chứng nhận (bắt đầu bằng HC1:)', doVerify: 'Kiểm tra', valid: 'Hợp lệ', invalid: 'Không hợp lệ',
    revoke: 'Thu hồi chứng nhận', uvci: 'Mã chứng nhận (UVCI)', reason: 'Lý do thu hồi', doRevoke: 'Thu hồi',
    revokeNote: 'Chứng nhận bị thu hồi sẽ không qua được bước kiểm tra ở bất kỳ nơi nào dùng danh sách thu hồi của Health Hub. Không hoàn tác được.',
    revoked: (uvci: string, at: string) => `Đã thu hồi ${uvci} lúc ${at}`,
    kinds: { VACCINATION: 'Tiêm chủng', TEST: 'Xét nghiệm', RECOVERY: 'Khỏi bệnh' } as Record<string, string>,
    kind: 'Loại', issuedAt: 'Ký lúc', expiresAt: 'Hết hạn chữ ký', validFrom: 'Có giá trị từ', validUntil: 'Có giá trị đến', holder: 'Người được cấp',
    issuer: 'Nước cấp', keyId: 'Mã khoá', reasons: 'Lý do không hợp lệ', useToRevoke: 'Thu hồi chứng nhận này', qr: (uvci: string) => `Mã QR của ${uvci}`,
    failed: 'Không thực hiện được', noVerify: 'Đối tác này chỉ có thể kiểm tra chứng nhận.',
  },
  en: {
    lookup: 'Look up a person\'s certificates', personId: 'Citizen ID (12 digits)', show: 'Look up', noPerson: 'No such person.', noCertificates: 'This person has no certificate.',
    verify: 'Verify a certificate', hc1: 'Certificate text (starting with HC1:)', doVerify: 'Verify', valid: 'Valid', invalid: 'Not valid',
    revoke: 'Revoke a certificate', uvci: 'Certificate ID (UVCI)', reason: 'Why it is revoked', doRevoke: 'Revoke',
    revokeNote: 'A revoked certificate fails verification wherever the hub\'s revocation list is used. It cannot be undone.',
    revoked: (uvci: string, at: string) => `Revoked ${uvci} at ${at}`,
    kinds: { VACCINATION: 'Vaccination', TEST: 'Test', RECOVERY: 'Recovery' } as Record<string, string>,
    kind: 'Kind', issuedAt: 'Signed', expiresAt: 'Signature expires', validFrom: 'Valid from', validUntil: 'Valid until', holder: 'Holder',
    issuer: 'Issuing country', keyId: 'Key ID', reasons: 'Why it is not valid', useToRevoke: 'Revoke this certificate', qr: (uvci: string) => `QR code of ${uvci}`,
    failed: 'Could not do it', noVerify: 'This partner may only verify certificates.',
  },
};
type Text = (typeof TEXT)['vi'];

/**
 * Certificates: a person's (partners reading persons and their doses or tests), verifying any
 * certificate (every partner), revoking one (`certificates:revoke`, stewards). Each part shows
 * only when the partner's scopes allow it.
 */
export default function Certificates({ session, lang, run }: PageProps) {
  const text = TEXT[lang];
  const canLookUp = allows(session, ['person:read']) && (allows(session, ['vaccination:read']) || allows(session, ['testing:read']));
  const canRevoke = allows(session, ['certificates:revoke']);
  const [uvci, setUvci] = useState('');
  const [hc1, setHc1] = useState('');
  return (
    <>
      {canLookUp ? <Lookup text={text} lang={lang} run={run} onRevoke={canRevoke ? setUvci : undefined} onVerify={setHc1} /> : null}
      <Verify text={text} lang={lang} run={run} hc1={hc1} setHc1={setHc1} />
      {canRevoke ? <Revoke text={text} lang={lang} run={run} uvci={uvci} setUvci={setUvci} /> : null}
    </>
  );
}

function Lookup({ text, lang, run, onRevoke, onVerify }: { text: Text; lang: Lang; run: PageProps['run']; onRevoke?: (uvci: string) => void; onVerify: (hc1: string) => void }) {
  const [personId, setPersonId] = useState('');
  const [found, setFound] = useState<PersonCertificates | null | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);
  const certificates = found ? [found.vaccinationCertificate, ...(found.testCertificates ?? []), found.recoveryCertificate].filter((c): c is Certificate => c !== null) : [];
  return (
    <section class="panel" aria-labelledby="certificates-lookup-title">
      <h2 id="certificates-lookup-title">{text.lookup}</h2>
      <form class="ops-form" data-testid="certificate-lookup" onSubmit={(e) => {
        e.preventDefault();
        setError(null);
        run<{ person: PersonCertificates | null }>(certificatesOfPerson, { id: personId.trim() }).then((d) => setFound(d.person), (err: Error) => setError(`${text.failed}: ${err.message}`));
      }}>
        <label>{text.personId}<input name="personId" inputMode="numeric" pattern="[0-9]{12}" required value={personId} onInput={(e) => setPersonId(e.currentTarget.value)} /></label>
        <button type="submit">{text.show}</button>
      </form>
      {error ? <p role="alert" class="error" data-testid="certificate-lookup-error">{error}</p> : null}
      {found === null ? <p role="status">{text.noPerson}</p> : null}
      {found && certificates.length === 0 ? <p role="status">{text.noCertificates}</p> : null}
      {found ? <div class="candidates">{certificates.map((c) => (
        <article key={c.uvci} class="candidate" data-testid="certificate" data-uvci={c.uvci}>
          <h3>{text.kinds[c.kind] ?? c.kind}: {found.fullName}</h3>
          <dl class="facts">
            <dt>{text.uvci}</dt><dd><code>{c.uvci}</code></dd>
            <dt>{text.issuedAt}</dt><dd>{formatTime(lang, c.issuedAt)}</dd>
            <dt>{text.validFrom}</dt><dd>{formatTime(lang, c.validFrom)}</dd>
            <dt>{text.validUntil}</dt><dd>{formatTime(lang, c.validUntil)}</dd>
            <dt>{text.expiresAt}</dt><dd>{formatTime(lang, c.expiresAt)}</dd>
          </dl>
          <img src={`data:image/svg+xml;charset=utf-8,${encodeURIComponent(c.qrSvg)}`} alt={text.qr(c.uvci)} width={160} height={160} />
          <div class="ops-actions">
            <button type="button" onClick={() => onVerify(c.hc1)}>{text.doVerify}</button>
            {onRevoke ? <button type="button" class="danger" onClick={() => onRevoke(c.uvci)}>{text.useToRevoke}</button> : null}
          </div>
        </article>
      ))}</div> : null}
    </section>
  );
}

function Verify({ text, lang, run, hc1, setHc1 }: { text: Text; lang: Lang; run: PageProps['run']; hc1: string; setHc1: (v: string) => void }) {
  const [result, setResult] = useState<Verification | null>(null);
  const [error, setError] = useState<string | null>(null);
  return (
    <section class="panel" aria-labelledby="certificates-verify-title">
      <h2 id="certificates-verify-title">{text.verify}</h2>
      <form class="ops-form" data-testid="certificate-verify" onSubmit={(e) => {
        e.preventDefault();
        setError(null);
        run<{ verifyCertificate: Verification }>(verifyCertificate, { hc1: hc1.trim() }).then((d) => setResult(d.verifyCertificate), (err: Error) => setError(`${text.failed}: ${err.message}`));
      }}>
        <label>{text.hc1}<textarea name="hc1" required value={hc1} onInput={(e) => setHc1(e.currentTarget.value)} /></label>
        <button type="submit">{text.doVerify}</button>
      </form>
      {error ? <p role="alert" class="error">{error}</p> : null}
      {result ? (
        <div role="status" data-testid="verification" data-valid={String(result.valid)}>
          <p><span class={`ops-badge ${result.valid ? 'good' : 'bad'}`}>{result.valid ? text.valid : text.invalid}</span></p>
          <dl class="facts">
            <dt>{text.kind}</dt><dd>{result.kind ? text.kinds[result.kind] ?? result.kind : '—'}</dd>
            <dt>{text.uvci}</dt><dd>{result.uvci ?? '—'}</dd>
            <dt>{text.holder}</dt><dd>{result.holder ? `${result.holder.familyName ?? ''} ${result.holder.givenNames ?? ''}, ${result.holder.birthDate}` : '—'}</dd>
            <dt>{text.issuer}</dt><dd>{result.issuerCountry ?? '—'}</dd>
            <dt>{text.issuedAt}</dt><dd>{formatTime(lang, result.issuedAt)}</dd>
            <dt>{text.expiresAt}</dt><dd>{formatTime(lang, result.expiresAt)}</dd>
            <dt>{text.keyId}</dt><dd>{result.keyId ?? '—'}</dd>
          </dl>
          {result.reasons.length > 0 ? (
            <>
              <h3>{text.reasons}</h3>
              <ul>{result.reasons.map((r) => <li key={r.code} data-reason={r.code}><strong>{r.code}</strong>: {r.message}</li>)}</ul>
            </>
          ) : null}
        </div>
      ) : null}
    </section>
  );
}

function Revoke({ text, lang, run, uvci, setUvci }: { text: Text; lang: Lang; run: PageProps['run']; uvci: string; setUvci: (v: string) => void }) {
  const [reason, setReason] = useState('');
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  return (
    <section class="panel" aria-labelledby="certificates-revoke-title">
      <h2 id="certificates-revoke-title">{text.revoke}</h2>
      <p class="note">{text.revokeNote}</p>
      <form class="ops-form" data-testid="certificate-revoke" onSubmit={(e) => {
        e.preventDefault();
        setError(null);
        setMessage(null);
        run<{ revokeCertificate: { uvci: string; revokedAt: string } }>(revokeCertificate, { uvci: uvci.trim(), reason })
          .then((d) => setMessage(text.revoked(d.revokeCertificate.uvci, formatTime(lang, d.revokeCertificate.revokedAt))), (err: Error) => setError(`${text.failed}: ${err.message}`));
      }}>
        <label>{text.uvci}<input name="uvci" required value={uvci} onInput={(e) => setUvci(e.currentTarget.value)} /></label>
        <label>{text.reason}<input name="reason" required value={reason} onInput={(e) => setReason(e.currentTarget.value)} /></label>
        <button type="submit" class="danger">{text.doRevoke}</button>
      </form>
      {message ? <p role="status" data-testid="revoked">{message}</p> : null}
      {error ? <p role="alert" class="error">{error}</p> : null}
    </section>
  );
}
