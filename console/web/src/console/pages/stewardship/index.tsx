import { useEffect, useState } from 'preact/hooks';
import { formatDay, formatNumber, formatTime, type Lang } from '../../../i18n';
import type { PageProps } from '../../pages';
import '../connectors/console-forms.css';
import acceptMatch from './operations/ConsoleAcceptIdentityMatch.graphql';
import identityHistory from './operations/ConsoleIdentityHistory.graphql';
import reviewQueue from './operations/ConsoleIdentityReviewQueue.graphql';
import linkReference from './operations/ConsoleLinkSourceReference.graphql';
import mergePersons from './operations/ConsoleMergePersons.graphql';
import rejectMatch from './operations/ConsoleRejectIdentityMatch.graphql';
import unmergePersons from './operations/ConsoleUnmergePersons.graphql';

interface Evidence { comparison: string; level: string; weight: number; sourceValue: string | null; personValue: string | null }
interface Candidate {
  person: { id: string; fullName: string; birthDate: string | null; sex: string; addresses: Array<{ kind: string; provinceName: string }> } | null;
  weight: number; probability: number; evidence: Evidence[];
}
interface ReviewItem {
  source: { system: string; reference: string };
  record: { kind: string; fullName: string | null; birthDate: string | null; phone: string | null; identifier: string | null };
  flags: string[]; waitingSince: string; candidates: Candidate[];
}
interface ReviewPage { items: ReviewItem[]; hasNextPage: boolean; endCursor: string | null }
interface IdentityEvent {
  id: string; at: string; actor: string; action: string; source: { system: string; reference: string } | null;
  citizenId: string | null; previousCitizenId: string | null; method: string | null; weight: number | null; reason: string | null; mergeId: string | null;
}

const TEXT = {
  vi: {
    queue: 'Hàng đợi đối soát danh tính', queueNote: 'Các bản ghi nguồn chưa tự liên kết được: so sánh với từng ứng viên theo từng trường, rồi quyết định. Lý do được lưu vào lịch sử.',
    empty: 'Không còn bản ghi nào chờ đối soát.', waitingSince: 'Chờ từ', flags: 'Lý do giữ lại', noFlags: 'Điểm nằm giữa hai ngưỡng',
    source: 'Bản ghi nguồn', kind: 'Loại tham chiếu', fullName: 'Họ tên', birthDate: 'Ngày sinh', phone: 'Điện thoại', identifier: 'Số giấy tờ',
    sex: 'Giới tính', addresses: 'Địa chỉ', candidate: (n: number) => `Ứng viên ${n}`, citizenId: 'Số định danh', weight: 'Trọng số', probability: 'Xác suất',
    comparison: 'Trường so sánh', level: 'Mức khớp', sourceValue: 'Giá trị nguồn', personValue: 'Giá trị sổ hộ tịch',
    reason: 'Lý do quyết định', accept: 'Chấp nhận ứng viên này', reject: 'Từ chối mọi ứng viên', linkOther: 'Liên kết với người khác (số định danh)', link: 'Liên kết',
    nextPage: 'Trang sau', firstPage: 'Về trang đầu', loading: 'Đang tải…', failed: 'Không thực hiện được',
    decided: (state: string, who: string) => `Đã quyết định: ${state} (${who})`,
    merge: 'Gộp hai hồ sơ trùng', survivor: 'Hồ sơ giữ lại (số định danh)', merged: 'Hồ sơ gộp vào (số định danh)', doMerge: 'Gộp',
    unmerge: 'Tách hồ sơ đã gộp', mergeId: 'Mã lần gộp', doUnmerge: 'Tách',
    merged_: (id: string, s: string, m: string) => `Đã gộp ${m} vào ${s} (mã ${id})`, unmerged: (id: string) => `Đã tách lần gộp ${id}`,
    history: 'Lịch sử quyết định', historyNote: 'Theo một người (số định danh), hoặc theo một tham chiếu nguồn (hệ thống và khoá).',
    person: 'Số định danh', system: 'Hệ thống nguồn', reference: 'Khoá tham chiếu', show: 'Xem lịch sử', noHistory: 'Chưa có quyết định nào.',
    at: 'Thời điểm', actor: 'Người/tiến trình', action: 'Hành động', linkedTo: 'Liên kết tới', before: 'Trước đó', method: 'Cách liên kết', merge_: 'Lần gộp',
    actions: { LINKED: 'Liên kết', REVIEW: 'Đưa vào đối soát', UNKNOWN: 'Không xác định', REJECTED: 'Từ chối', UNLINKED: 'Huỷ liên kết', MERGED: 'Gộp', UNMERGED: 'Tách' } as Record<string, string>,
    reasonRequired: 'Hãy ghi lý do trước khi quyết định.',
  },
  en: {
    queue: 'Identity review queue', queueNote: 'Source records that could not be linked automatically: compare each candidate field by field, then decide. The reason is kept in the history.',
    empty: 'No record is waiting for review.', waitingSince: 'Waiting since', flags: 'Held back because', noFlags: 'Score between the thresholds',
    source: 'Source record', kind: 'Reference kind', fullName: 'Full name', birthDate: 'Birth date', phone: 'Phone', identifier: 'ID number',
    sex: 'Sex', addresses: 'Addresses', candidate: (n: number) => `Candidate ${n}`, citizenId: 'Citizen ID', weight: 'Weight', probability: 'Probability',
    comparison: 'Comparison', level: 'Level', sourceValue: 'Source value', personValue: 'Registry value',
    reason: 'Reason for the decision', accept: 'Accept this candidate', reject: 'Reject every candidate', linkOther: 'Link to another person (citizen ID)', link: 'Link',
    nextPage: 'Next page', firstPage: 'First page', loading: 'Loading…', failed: 'Could not do it',
    decided: (state: string, who: string) => `Decided: ${state} (${who})`,
    merge: 'Merge two duplicate records', survivor: 'Record that stays (citizen ID)', merged: 'Record merged into it (citizen ID)', doMerge: 'Merge',
    unmerge: 'Undo a merge', mergeId: 'Merge ID', doUnmerge: 'Unmerge',
    merged_: (id: string, s: string, m: string) => `Merged ${m} into ${s} (merge ${id})`, unmerged: (id: string) => `Merge ${id} undone`,
    history: 'Decision history', historyNote: 'Of a person (citizen ID), or of one source reference (system and key).',
    person: 'Citizen ID', system: 'Source system', reference: 'Reference key', show: 'Show history', noHistory: 'No decision yet.',
    at: 'When', actor: 'Who', action: 'Action', linkedTo: 'Linked to', before: 'Before', method: 'Method', merge_: 'Merge',
    actions: { LINKED: 'Linked', REVIEW: 'Sent to review', UNKNOWN: 'Unknown', REJECTED: 'Rejected', UNLINKED: 'Unlinked', MERGED: 'Merged', UNMERGED: 'Unmerged' } as Record<string, string>,
    reasonRequired: 'Write a reason before deciding.',
  },
};
type Text = (typeof TEXT)['vi'];

/** The identity review queue with candidates side by side, decisions, merges and their history. */
export default function Stewardship({ lang, run }: PageProps) {
  const text = TEXT[lang];
  const [page, setPage] = useState<ReviewPage | null>(null);
  const [after, setAfter] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [history, setHistory] = useState<{ of: string; events: IdentityEvent[] } | null>(null);

  const load = (cursor: string | null = after) => run<{ identityReviewQueue: ReviewPage }>(reviewQueue, { first: 10, ...(cursor ? { after: cursor } : {}) })
    .then((data) => { setPage(data.identityReviewQueue); setAfter(cursor); }, (e: Error) => setError(e.message));
  useEffect(() => {
    void load(null);
  }, []);

  const showHistory = async (variables: { personId?: string; system?: string; reference?: string }) => {
    const data = await run<{ identityHistory: IdentityEvent[] }>(identityHistory, variables);
    setHistory({ of: variables.personId ?? `${variables.system} / ${variables.reference}`, events: data.identityHistory });
  };

  /**
   * Runs a decision, says how it ended, reloads the queue, then shows the history it made. A
   * decided item leaves the page at once: should the reload fail (its error is shown), the queue
   * still does not offer what was just decided.
   */
  const decide = async (work: () => Promise<string>, then?: () => Promise<void>, decided?: ReviewItem) => {
    setMessage(null);
    setError(null);
    let done = false;
    try {
      setMessage(await work());
      done = true;
    } catch (e) {
      setError(`${text.failed}: ${(e as Error).message}`);
    }
    if (done && decided) {
      const same = (i: ReviewItem) => i.source.system === decided.source.system && i.source.reference === decided.source.reference;
      setPage((current) => current && { ...current, items: current.items.filter((i) => !same(i)) });
    }
    await load();
    if (done) await then?.().catch((e: Error) => setError(`${text.failed}: ${e.message}`));
  };

  return (
    <>
      <section class="panel" data-testid="review-queue" aria-labelledby="review-queue-title">
        <h2 id="review-queue-title">{text.queue}</h2>
        <p class="note">{text.queueNote}</p>
        <p role="status" aria-live="polite" data-testid="steward-message">{message}</p>
        {error ? <p role="alert" class="error" data-testid="steward-error">{error}</p> : null}
        {!page ? <p role="status">{text.loading}</p> : page.items.length === 0 ? <p data-testid="queue-empty">{text.empty}</p> : (
          page.items.map((item) => (
            <ReviewEntry key={`${item.source.system}/${item.source.reference}`} item={item} text={text} lang={lang} decide={(work) =>
              decide(work, () => showHistory({ system: item.source.system, reference: item.source.reference }), item)} run={run} />
          ))
        )}
        <div class="ops-actions">
          {after ? <button type="button" onClick={() => void load(null)}>{text.firstPage}</button> : null}
          {page?.hasNextPage ? <button type="button" onClick={() => void load(page.endCursor)}>{text.nextPage}</button> : null}
        </div>
      </section>
      <MergeForms text={text} run={run} decide={decide} showHistory={showHistory} />
      <section class="panel" aria-labelledby="history-title">
        <h2 id="history-title">{text.history}</h2>
        <p class="note" id="history-note">{text.historyNote}</p>
        <HistoryForm text={text} onShow={(v) => showHistory(v).catch((e: Error) => setError(`${text.failed}: ${e.message}`))} />
        {history ? <HistoryTable text={text} lang={lang} of={history.of} events={history.events} /> : null}
      </section>
    </>
  );
}

function ReviewEntry({ item, text, lang, decide, run }: { item: ReviewItem; text: Text; lang: Lang; decide: (work: () => Promise<string>) => Promise<void>; run: PageProps['run'] }) {
  const [reason, setReason] = useState('');
  const [other, setOther] = useState('');
  const [warn, setWarn] = useState(false);
  const id = `review-${item.source.system}-${item.source.reference}`.replace(/[^A-Za-z0-9_-]/g, '_');
  const withReason = (work: () => Promise<string>) => {
    if (!reason.trim()) return setWarn(true);
    setWarn(false);
    void decide(work);
  };
  const { system, reference } = item.source;
  type Decision = { source: { system: string; reference: string }; state: string; citizenId: string | null; decidedBy: string };
  const said = (d: Decision) => text.decided(`${d.state}${d.citizenId ? ` → ${d.citizenId}` : ''}`, d.decidedBy);
  return (
    <article class="review-item" data-testid="review-item" data-system={system} data-reference={reference} aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>{system} / {reference}</h3>
      <p class="note">{text.waitingSince}: {formatTime(lang, item.waitingSince)}. {text.flags}: {item.flags.length > 0 ? item.flags.join(', ') : text.noFlags}</p>
      <div class="candidates">
        <div class="source-record">
          <h3>{text.source}</h3>
          <dl class="facts">
            <dt>{text.kind}</dt><dd>{item.record.kind}</dd>
            <dt>{text.fullName}</dt><dd>{item.record.fullName ?? '—'}</dd>
            <dt>{text.birthDate}</dt><dd>{item.record.birthDate ?? '—'}</dd>
            <dt>{text.phone}</dt><dd>{item.record.phone ?? '—'}</dd>
            <dt>{text.identifier}</dt><dd>{item.record.identifier ?? '—'}</dd>
          </dl>
        </div>
        {item.candidates.map((c, k) => (
          <div class="candidate" key={c.person?.id ?? k} data-testid="candidate" data-person={c.person?.id ?? ''}>
            <h3>{text.candidate(k + 1)}: {c.person?.fullName ?? '—'}</h3>
            <dl class="facts">
              <dt>{text.citizenId}</dt><dd>{c.person?.id ?? '—'}</dd>
              <dt>{text.birthDate}</dt><dd>{c.person?.birthDate ? formatDay(lang, c.person.birthDate) : '—'}</dd>
              <dt>{text.sex}</dt><dd>{c.person?.sex ?? '—'}</dd>
              <dt>{text.addresses}</dt><dd>{c.person?.addresses.map((a) => a.provinceName).join(', ') || '—'}</dd>
              <dt>{text.weight}</dt><dd>{formatNumber(lang, Math.round(c.weight * 100) / 100)}</dd>
              <dt>{text.probability}</dt><dd>{new Intl.NumberFormat(lang === 'vi' ? 'vi-VN' : 'en-GB', { style: 'percent', maximumFractionDigits: 1 }).format(c.probability)}</dd>
            </dl>
            <div class="table-scroll" tabIndex={0}>
              <table class="evidence" aria-label={`${text.candidate(k + 1)}: ${text.comparison}`}>
                <thead><tr><th scope="col">{text.comparison}</th><th scope="col">{text.sourceValue}</th><th scope="col">{text.personValue}</th><th scope="col">{text.level}</th><th scope="col">{text.weight}</th></tr></thead>
                <tbody>
                  {c.evidence.map((e) => (
                    <tr key={e.comparison}>
                      <th scope="row">{e.comparison}</th><td>{e.sourceValue ?? '—'}</td><td>{e.personValue ?? '—'}</td><td>{e.level}</td>
                      <td class={e.weight > 0 ? 'positive' : e.weight < 0 ? 'negative' : ''}>{formatNumber(lang, Math.round(e.weight * 100) / 100)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            {c.person ? (
              <button type="button" data-action="accept" onClick={() => withReason(async () => said((await run<{ acceptIdentityMatch: Decision }>(acceptMatch, { system, reference, personId: c.person!.id, reason })).acceptIdentityMatch))}>
                {text.accept}
              </button>
            ) : null}
          </div>
        ))}
      </div>
      <div class="ops-form">
        <label>{text.reason}<textarea name="reason" required value={reason} onInput={(e) => setReason(e.currentTarget.value)} /></label>
      </div>
      {warn ? <p role="alert" class="error">{text.reasonRequired}</p> : null}
      <div class="ops-actions">
        <button type="button" class="danger" data-action="reject" onClick={() => withReason(async () => said((await run<{ rejectIdentityMatch: Decision }>(rejectMatch, { system, reference, reason })).rejectIdentityMatch))}>{text.reject}</button>
        <form class="inline-form" onSubmit={(e) => { e.preventDefault(); withReason(async () => said((await run<{ linkSourceReference: Decision }>(linkReference, { system, reference, personId: other.trim(), reason })).linkSourceReference)); }}>
          <label>{text.linkOther}<input name="person" inputMode="numeric" pattern="[0-9]{12}" required value={other} onInput={(e) => setOther(e.currentTarget.value)} /></label>
          <button type="submit">{text.link}</button>
        </form>
      </div>
    </article>
  );
}

function MergeForms({ text, run, decide, showHistory }: {
  text: Text; run: PageProps['run']; decide: (work: () => Promise<string>, then?: () => Promise<void>) => Promise<void>;
  showHistory: (v: { personId: string }) => Promise<void>;
}) {
  const [survivor, setSurvivor] = useState('');
  const [merged, setMerged] = useState('');
  const [mergeReason, setMergeReason] = useState('');
  const [mergeId, setMergeId] = useState('');
  const [unmergeReason, setUnmergeReason] = useState('');
  type Merge = { id: string; survivorId: string; mergedId: string };
  return (
    <section class="panel" aria-labelledby="merge-title">
      <h2 id="merge-title">{text.merge}</h2>
      <form class="ops-form" data-testid="merge-form" onSubmit={(e) => {
        e.preventDefault();
        void decide(async () => {
          const m = (await run<{ mergePersons: Merge }>(mergePersons, { survivorId: survivor.trim(), mergedId: merged.trim(), reason: mergeReason })).mergePersons;
          setMergeId(m.id);
          return text.merged_(m.id, m.survivorId, m.mergedId);
        }, () => showHistory({ personId: survivor.trim() }));
      }}>
        <label>{text.survivor}<input name="survivor" inputMode="numeric" pattern="[0-9]{12}" required value={survivor} onInput={(e) => setSurvivor(e.currentTarget.value)} /></label>
        <label>{text.merged}<input name="merged" inputMode="numeric" pattern="[0-9]{12}" required value={merged} onInput={(e) => setMerged(e.currentTarget.value)} /></label>
        <label>{text.reason}<input name="reason" required value={mergeReason} onInput={(e) => setMergeReason(e.currentTarget.value)} /></label>
        <button type="submit">{text.doMerge}</button>
      </form>
      <h2>{text.unmerge}</h2>
      <form class="ops-form" data-testid="unmerge-form" onSubmit={(e) => {
        e.preventDefault();
        void decide(async () => {
          const m = (await run<{ unmergePersons: Merge }>(unmergePersons, { mergeId: mergeId.trim(), reason: unmergeReason })).unmergePersons;
          return text.unmerged(m.id);
        });
      }}>
        <label>{text.mergeId}<input name="mergeId" required value={mergeId} onInput={(e) => setMergeId(e.currentTarget.value)} /></label>
        <label>{text.reason}<input name="reason" required value={unmergeReason} onInput={(e) => setUnmergeReason(e.currentTarget.value)} /></label>
        <button type="submit">{text.doUnmerge}</button>
      </form>
    </section>
  );
}

function HistoryForm({ text, onShow }: { text: Text; onShow: (v: { personId?: string; system?: string; reference?: string }) => void }) {
  const [personId, setPersonId] = useState('');
  const [system, setSystem] = useState('');
  const [reference, setReference] = useState('');
  return (
    <form class="ops-form" data-testid="history-form" aria-describedby="history-note" onSubmit={(e) => {
      e.preventDefault();
      onShow(personId.trim() ? { personId: personId.trim() } : { system: system.trim(), reference: reference.trim() });
    }}>
      <label>{text.person}<input name="personId" inputMode="numeric" pattern="[0-9]{12}" value={personId} onInput={(e) => setPersonId(e.currentTarget.value)} /></label>
      <label>{text.system}<input name="system" value={system} onInput={(e) => setSystem(e.currentTarget.value)} /></label>
      <label>{text.reference}<input name="reference" value={reference} onInput={(e) => setReference(e.currentTarget.value)} /></label>
      <button type="submit">{text.show}</button>
    </form>
  );
}

function HistoryTable({ text, lang, of, events }: { text: Text; lang: Lang; of: string; events: IdentityEvent[] }) {
  if (events.length === 0) return <p data-testid="history">{text.noHistory}</p>;
  return (
    <div class="table-scroll" tabIndex={0}>
      <table data-testid="history">
        <caption>{text.history}: {of}</caption>
        <thead><tr>
          <th scope="col">{text.at}</th><th scope="col">{text.action}</th><th scope="col">{text.actor}</th><th scope="col">{text.source}</th>
          <th scope="col">{text.linkedTo}</th><th scope="col">{text.before}</th><th scope="col">{text.method}</th><th scope="col">{text.weight}</th>
          <th scope="col">{text.reason}</th><th scope="col">{text.merge_}</th>
        </tr></thead>
        <tbody>
          {events.map((e) => (
            <tr key={e.id} data-action={e.action}>
              <td>{formatTime(lang, e.at)}</td><td>{text.actions[e.action] ?? e.action}</td><td>{e.actor}</td>
              <td>{e.source ? `${e.source.system} / ${e.source.reference}` : '—'}</td><td>{e.citizenId ?? '—'}</td><td>{e.previousCitizenId ?? '—'}</td>
              <td>{e.method ?? '—'}</td><td>{e.weight === null ? '—' : formatNumber(lang, Math.round(e.weight * 100) / 100)}</td>
              <td>{e.reason ?? '—'}</td><td>{e.mergeId ?? '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
