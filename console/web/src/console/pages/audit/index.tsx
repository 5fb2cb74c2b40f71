import { useState } from 'preact/hooks';
import { formatNumber, formatTime, type Lang } from '../../../i18n';
import type { PageProps } from '../../pages';
import '../connectors/console-forms.css';
import trailOfPartner from './operations/ConsoleAuditTrailOfPartner.graphql';
import trailOfPerson from './operations/ConsoleAuditTrailOfPerson.graphql';
import verifyLog from './operations/ConsoleVerifyAuditLog.graphql';

interface AuditEntry {
  seq: number; at: string; partnerId: string; purpose: string; operation: string; requestId: string;
  clientAddress: string | null; personIds: string[]; fields: string[];
}
interface Verification {
  ok: boolean; entriesChecked: number; checkpointsChecked: number; exportedCheckpoints: number; lastCheckpointSeq: number | null;
  uncheckpointedEntries: number; problems: Array<{ kind: string; seq: number; detail: string; checkpointSeq: number | null; checkpointAt: string | null }>;
}

const TEXT = {
  vi: {
    person: 'Ai đã đọc dữ liệu của người này', personId: 'Số định danh (12 chữ số)',
    partner: 'Đối tác này đã đọc những gì', partnerId: 'Mã đối tác', from: 'Từ (giờ Việt Nam)', to: 'Đến (giờ Việt Nam)',
    show: 'Xem', verify: 'Kiểm tra toàn vẹn nhật ký', verifyNote: 'Đi qua toàn bộ chuỗi băm và đối chiếu với các điểm kiểm tra đã ký.',
    doVerify: 'Kiểm tra', ok: 'Nhật ký nguyên vẹn', notOk: 'Nhật ký có vấn đề',
    checked: (v: Verification) => `${formatNumber('vi', v.entriesChecked)} mục, ${formatNumber('vi', v.checkpointsChecked)} điểm kiểm tra (${formatNumber('vi', v.exportedCheckpoints)} từ bản xuất bên ngoài); ${formatNumber('vi', v.uncheckpointedEntries)} mục sau điểm kiểm tra cuối${v.lastCheckpointSeq === null ? '' : ` (#${v.lastCheckpointSeq})`}.`,
    seq: 'Số thứ tự', at: 'Thời điểm', partnerCol: 'Đối tác', purpose: 'Mục đích', operation: 'Thao tác', persons: 'Người', fields: 'Trường', request: 'Mã yêu cầu', address: 'Địa chỉ',
    none: 'Không có mục nào.', count: (n: number) => `${formatNumber('vi', n)} mục, mới nhất trước`, failed: 'Không thực hiện được', loading: 'Đang tải…',
    kind: 'Loại', where: 'Vị trí', detail: 'Chi tiết', more: (n: number) => ` và ${n} trường khác`,
  },
  en: {
    person: 'Who read this person', personId: 'Citizen ID (12 digits)',
    partner: 'What this partner read', partnerId: 'Partner ID', from: 'From (Việt Nam time)', to: 'To (Việt Nam time)',
    show: 'Show', verify: 'Verify the audit log', verifyNote: 'Walks the whole hash chain and checks it against the signed checkpoints.',
    doVerify: 'Verify', ok: 'The log is intact', notOk: 'The log has problems',
    checked: (v: Verification) => `${formatNumber('en', v.entriesChecked)} entries, ${formatNumber('en', v.checkpointsChecked)} checkpoints (${formatNumber('en', v.exportedCheckpoints)} from the export outside); ${formatNumber('en', v.uncheckpointedEntries)} entries after the last checkpoint${v.lastCheckpointSeq === null ? '' : ` (#${v.lastCheckpointSeq})`}.`,
    seq: 'Seq', at: 'When', partnerCol: 'Partner', purpose: 'Purpose', operation: 'Operation', persons: 'Persons', fields: 'Fields', request: 'Request ID', address: 'Address',
    none: 'No entry.', count: (n: number) => `${formatNumber('en', n)} entries, newest first`, failed: 'Could not do it', loading: 'Loading…',
    kind: 'Kind', where: 'Where', detail: 'Detail', more: (n: number) => ` and ${n} more fields`,
  },
};
type Text = (typeof TEXT)['vi'];

/** `yyyy-MM-ddTHH:mm` typed in Việt Nam's time, as an instant. */
const localInstant = (value: string) => (value ? new Date(`${value}:00+07:00`).toISOString() : undefined);

/** Who read a person, what a partner read, and whether the hash chain is intact. */
export default function Audit({ lang, run }: PageProps) {
  const text = TEXT[lang];
  const [personId, setPersonId] = useState('');
  const [partnerId, setPartnerId] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [entries, setEntries] = useState<{ of: string; rows: AuditEntry[] } | null>(null);
  const [verification, setVerification] = useState<Verification | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const load = async (work: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await work();
    } catch (e) {
      setError(`${text.failed}: ${(e as Error).message}`);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <section class="panel" aria-labelledby="audit-person-title" aria-busy={busy}>
        <h2 id="audit-person-title">{text.person}</h2>
        <form class="ops-form" data-testid="audit-person-form" onSubmit={(e) => {
          e.preventDefault();
          void load(async () => setEntries({ of: personId, rows: (await run<{ auditTrailOfPerson: AuditEntry[] }>(trailOfPerson, { personId: personId.trim(), first: 200 })).auditTrailOfPerson }));
        }}>
          <label>{text.personId}<input name="personId" inputMode="numeric" pattern="[0-9]{12}" required value={personId} onInput={(e) => setPersonId(e.currentTarget.value)} /></label>
          <button type="submit">{text.show}</button>
        </form>
        <h2>{text.partner}</h2>
        <form class="ops-form" data-testid="audit-partner-form" onSubmit={(e) => {
          e.preventDefault();
          void load(async () => setEntries({
            of: partnerId,
            rows: (await run<{ auditTrailOfPartner: AuditEntry[] }>(trailOfPartner, { partnerId: partnerId.trim(), first: 200, ...(from ? { from: localInstant(from) } : {}), ...(to ? { to: localInstant(to) } : {}) })).auditTrailOfPartner,
          }));
        }}>
          <label>{text.partnerId}<input name="partnerId" required value={partnerId} onInput={(e) => setPartnerId(e.currentTarget.value)} /></label>
          <label>{text.from}<input name="from" type="datetime-local" value={from} onInput={(e) => setFrom(e.currentTarget.value)} /></label>
          <label>{text.to}<input name="to" type="datetime-local" value={to} onInput={(e) => setTo(e.currentTarget.value)} /></label>
          <button type="submit">{text.show}</button>
        </form>
        {error ? <p role="alert" class="error" data-testid="audit-error">{error}</p> : null}
        {entries ? <Entries text={text} lang={lang} of={entries.of} rows={entries.rows} /> : null}
      </section>
      <section class="panel" aria-labelledby="audit-verify-title">
        <h2 id="audit-verify-title">{text.verify}</h2>
        <p class="note">{text.verifyNote}</p>
        <div class="ops-actions">
          <button type="button" data-action="verify" disabled={busy} onClick={() => void load(async () => setVerification((await run<{ verifyAuditLog: Verification }>(verifyLog)).verifyAuditLog))}>{text.doVerify}</button>
        </div>
        {verification ? (
          <div data-testid="verification" data-ok={String(verification.ok)} role="status">
            <p><span class={`ops-badge ${verification.ok ? 'good' : 'bad'}`}>{verification.ok ? text.ok : text.notOk}</span> {text.checked(verification)}</p>
            {verification.problems.length > 0 ? (
              <table>
                <thead><tr><th scope="col">{text.kind}</th><th scope="col">{text.where}</th><th scope="col">{text.detail}</th></tr></thead>
                <tbody>{verification.problems.map((p, k) => <tr key={k}><td>{p.kind}</td><td>#{p.seq}</td><td>{p.detail}</td></tr>)}</tbody>
              </table>
            ) : null}
          </div>
        ) : null}
      </section>
    </>
  );
}

function Entries({ text, lang, of, rows }: { text: Text; lang: Lang; of: string; rows: AuditEntry[] }) {
  if (rows.length === 0) return <p data-testid="audit-entries">{text.none}</p>;
  const FIELDS_SHOWN = 6;
  return (
    <div class="table-scroll" tabIndex={0}>
      <table data-testid="audit-entries">
        <caption>{of}: {text.count(rows.length)}</caption>
        <thead><tr>
          <th scope="col">{text.seq}</th><th scope="col">{text.at}</th><th scope="col">{text.partnerCol}</th><th scope="col">{text.purpose}</th>
          <th scope="col">{text.operation}</th><th scope="col">{text.persons}</th><th scope="col">{text.fields}</th><th scope="col">{text.request}</th><th scope="col">{text.address}</th>
        </tr></thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.seq} data-seq={r.seq} data-request={r.requestId}>
              <td>{r.seq}</td><td>{formatTime(lang, r.at)}</td><td>{r.partnerId}</td><td>{r.purpose}</td><td>{r.operation}</td>
              <td>{r.personIds.join(', ') || '—'}</td>
              <td>{r.fields.slice(0, FIELDS_SHOWN).join(', ')}{r.fields.length > FIELDS_SHOWN ? text.more(r.fields.length - FIELDS_SHOWN) : ''}</td>
              <td><code>{r.requestId}</code></td><td>{r.clientAddress ?? '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
