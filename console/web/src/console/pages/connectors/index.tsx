import { useEffect, useState } from 'preact/hooks';
import { formatNumber, formatTime, type Lang } from '../../../i18n';
import type { PageProps } from '../../pages';
import { adminCall, type ConnectorStatus, type RejectedRecord } from './admin-api';
import './console-forms.css';

const TEXT = {
  vi: {
    intro: 'Các bộ kết nối kéo dữ liệu từ hệ thống nguồn vào Health Hub theo lịch. Mọi thao tác đều được ghi nhật ký kiểm toán.',
    board: 'Mở bảng hàng đợi (Bull Board)',
    connector: 'Bộ kết nối', health: 'Tình trạng', stream: 'Luồng', lastSuccess: 'Lần chạy thành công gần nhất', lag: 'Độ trễ so với nguồn',
    newestChange: 'Thay đổi mới nhất đã lưu', lastRun: 'Lần chạy gần nhất', pages: 'Trang', read: 'Đã đọc', written: 'Đã ghi', rejected: 'Bị từ chối',
    pending: 'Bản ghi bị từ chối chờ xử lý', queue: 'Hàng đợi', actions: 'Thao tác',
    queueText: (q: ConnectorStatus['queue']) => `${q.waiting} chờ, ${q.active} đang chạy, ${q.delayed} hoãn, ${q.failed} lỗi`,
    healthOf: { ok: 'Bình thường', paused: 'Tạm dừng', failing: 'Đang lỗi', stale: 'Dữ liệu cũ', running: 'Đang chạy', 'never-run': 'Chưa chạy' } as Record<ConnectorStatus['health'], string>,
    runStatus: { running: 'đang chạy', succeeded: 'thành công', failed: 'thất bại', interrupted: 'bị ngắt', abandoned: 'bị bỏ dở' } as Record<string, string>,
    pause: 'Tạm dừng', resume: 'Tiếp tục', runNow: 'Chạy ngay', backfill: 'Chạy lại từ…', from: 'Từ con trỏ hoặc ngày (yyyy-MM-dd)', allStreams: 'Mọi luồng',
    start: 'Bắt đầu', cancel: 'Huỷ', showRejected: 'Xem bản ghi bị từ chối', hideRejected: 'Ẩn bản ghi bị từ chối',
    key: 'Khoá bản ghi', field: 'Trường', reason: 'Lý do', at: 'Thời điểm', run: 'Lần chạy',
    done: { pause: 'Đã tạm dừng', resume: 'Đã cho chạy tiếp', run: 'Đã xếp lượt chạy', backfill: 'Đã đặt lại con trỏ và xếp lượt chạy' } as Record<string, string>,
    loading: 'Đang tải…', failed: 'Không thực hiện được', refresh: 'Làm mới', days: (d: number) => `${formatNumber('vi', d)} ngày`, hours: (h: number) => `${formatNumber('vi', h)} giờ`, minutes: (m: number) => `${formatNumber('vi', m)} phút`, seconds: (s: number) => `${formatNumber('vi', s)} giây`,
    schedule: (s: ConnectorStatus['schedule']) => (s.cron ? `lịch ${s.cron}` : s.everyMs ? `mỗi ${Math.round(s.everyMs / 60_000) || 1} phút` : ''),
    none: 'Không có', noRejected: 'Không có bản ghi nào bị từ chối đang chờ.',
  },
  en: {
    intro: 'Connectors pull records from the source systems into Health Hub on their schedules. Every action is written to the audit log.',
    board: 'Open the queue board (Bull Board)',
    connector: 'Connector', health: 'Health', stream: 'Stream', lastSuccess: 'Last success', lag: 'Lag behind the source',
    newestChange: 'Newest change stored', lastRun: 'Last run', pages: 'Pages', read: 'Read', written: 'Written', rejected: 'Rejected',
    pending: 'Rejected records waiting', queue: 'Queue', actions: 'Actions',
    queueText: (q: ConnectorStatus['queue']) => `${q.waiting} waiting, ${q.active} active, ${q.delayed} delayed, ${q.failed} failed`,
    healthOf: { ok: 'OK', paused: 'Paused', failing: 'Failing', stale: 'Stale', running: 'Running', 'never-run': 'Never run' } as Record<ConnectorStatus['health'], string>,
    runStatus: { running: 'running', succeeded: 'succeeded', failed: 'failed', interrupted: 'interrupted', abandoned: 'abandoned' } as Record<string, string>,
    pause: 'Pause', resume: 'Resume', runNow: 'Run now', backfill: 'Backfill from…', from: 'From a cursor or a day (yyyy-MM-dd)', allStreams: 'Every stream',
    start: 'Start', cancel: 'Cancel', showRejected: 'Show rejected records', hideRejected: 'Hide rejected records',
    key: 'Record key', field: 'Field', reason: 'Reason', at: 'When', run: 'Run',
    done: { pause: 'Paused', resume: 'Resumed', run: 'Run queued', backfill: 'Cursor set and run queued' } as Record<string, string>,
    loading: 'Loading…', failed: 'Could not do it', refresh: 'Refresh', days: (d: number) => `${formatNumber('en', d)} days`, hours: (h: number) => `${formatNumber('en', h)} h`, minutes: (m: number) => `${formatNumber('en', m)} min`, seconds: (s: number) => `${formatNumber('en', s)} s`,
    schedule: (s: ConnectorStatus['schedule']) => (s.cron ? `cron ${s.cron}` : s.everyMs ? `every ${Math.round(s.everyMs / 60_000) || 1} min` : ''),
    none: 'None', noRejected: 'No rejected record is waiting.',
  },
};

type Text = (typeof TEXT)['vi'];

function duration(text: Text, ms: number | null): string {
  if (ms === null) return '—';
  if (ms >= 2 * 86_400_000) return text.days(Math.round(ms / 86_400_000));
  if (ms >= 2 * 3_600_000) return text.hours(Math.round(ms / 3_600_000));
  return ms >= 120_000 ? text.minutes(Math.round(ms / 60_000)) : text.seconds(Math.round(ms / 1000));
}

/** Every connector's health, runs and rejected records, with pause, resume, run now and backfill. */
export default function Connectors({ session, lang }: PageProps) {
  const text = TEXT[lang];
  const [connectors, setConnectors] = useState<ConnectorStatus[] | null>(null);
  const [board, setBoard] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const load = () => adminCall<{ connectors: ConnectorStatus[]; board: string | null }>(session, 'GET', '')
    .then((answer) => { setConnectors(answer.connectors); setBoard(answer.board); setError(null); }, (e: Error) => setError(e.message));
  useEffect(() => {
    void load();
  }, []);

  const act = async (name: string, action: 'pause' | 'resume' | 'run' | 'backfill', body?: unknown) => {
    setBusy(true);
    setMessage(null);
    try {
      await adminCall(session, 'POST', `/${encodeURIComponent(name)}/${action}`, body);
      setMessage(`${name}: ${text.done[action]}`);
      setError(null);
    } catch (e) {
      setError(`${name}: ${text.failed}: ${(e as Error).message}`);
    } finally {
      setBusy(false);
      await load();
    }
  };

  if (!connectors && error) return <p role="alert">{text.failed}: {error}</p>;
  if (!connectors) return <p role="status">{text.loading}</p>;
  return (
    <section class="panel" data-testid="connectors" aria-busy={busy}>
      <div class="panel-head">
        <p class="note">{text.intro}</p>
        <button type="button" onClick={() => void load()}>{text.refresh}</button>
      </div>
      {board ? <p><a href={board} target="_blank" rel="noopener" data-testid="bull-board">{text.board}</a></p> : null}
      <p role="status" aria-live="polite" data-testid="connector-message">{message}</p>
      {error ? <p role="alert" class="error" data-testid="connector-error">{error}</p> : null}
      {connectors.map((c) => <ConnectorCard key={c.name} connector={c} text={text} lang={lang} busy={busy} act={act} session={session} />)}
    </section>
  );
}

function ConnectorCard({ connector: c, text, lang, busy, act, session }: {
  connector: ConnectorStatus; text: Text; lang: Lang; busy: boolean; session: PageProps['session'];
  act: (name: string, action: 'pause' | 'resume' | 'run' | 'backfill', body?: unknown) => Promise<void>;
}) {
  const [backfillOpen, setBackfillOpen] = useState(false);
  const [from, setFrom] = useState('');
  const [stream, setStream] = useState('');
  const [rejected, setRejected] = useState<RejectedRecord[] | null>(null);
  const headingId = `connector-${c.name}`;
  const showRejected = async () => {
    if (rejected) return setRejected(null);
    const answer = await adminCall<{ pending: number; rows: RejectedRecord[] }>(session, 'GET', `/${encodeURIComponent(c.name)}/rejected?limit=50`);
    setRejected(answer.rows);
  };
  return (
    <article class="connector" data-connector={c.name} data-health={c.health} data-paused={String(c.paused)} aria-labelledby={headingId}>
      <h2 id={headingId}>
        {c.name} <span class={`health-badge health-${c.health}`} data-testid="health">{text.healthOf[c.health]}</span>
        <span class="note"> {text.schedule(c.schedule)}</span>
      </h2>
      <div class="connector-actions" role="group" aria-label={`${text.actions}: ${c.name}`}>
        {c.paused
          ? <button type="button" data-action="resume" disabled={busy} onClick={() => void act(c.name, 'resume')}>{text.resume}</button>
          : <button type="button" data-action="pause" disabled={busy} onClick={() => void act(c.name, 'pause')}>{text.pause}</button>}
        <button type="button" data-action="run" disabled={busy || c.paused} onClick={() => void act(c.name, 'run')}>{text.runNow}</button>
        <button type="button" data-action="backfill" disabled={busy || c.paused} aria-expanded={backfillOpen} onClick={() => setBackfillOpen(!backfillOpen)}>{text.backfill}</button>
        <span class="note">{text.queue}: {text.queueText(c.queue)}</span>
      </div>
      {backfillOpen ? (
        <form class="inline-form" onSubmit={(e) => { e.preventDefault(); void act(c.name, 'backfill', { from, ...(stream ? { stream } : {}) }).then(() => setBackfillOpen(false)); }}>
          <label>{text.from}<input name="from" required value={from} onInput={(e) => setFrom(e.currentTarget.value)} /></label>
          <label>{text.stream}
            <select name="stream" value={stream} onChange={(e) => setStream(e.currentTarget.value)}>
              <option value="">{text.allStreams}</option>
              {c.streams.map((s) => <option key={s.stream} value={s.stream}>{s.stream}</option>)}
            </select>
          </label>
          <button type="submit" disabled={busy}>{text.start}</button>
          <button type="button" onClick={() => setBackfillOpen(false)}>{text.cancel}</button>
        </form>
      ) : null}
      <div class="table-scroll" tabIndex={0}>
        <table>
          <thead><tr>
            <th scope="col">{text.stream}</th><th scope="col">{text.lastRun}</th><th scope="col">{text.lastSuccess}</th><th scope="col">{text.lag}</th>
            <th scope="col">{text.newestChange}</th><th scope="col">{text.pages}</th><th scope="col">{text.read}</th><th scope="col">{text.written}</th>
            <th scope="col">{text.rejected}</th><th scope="col">{text.pending}</th>
          </tr></thead>
          <tbody>
            {c.streams.map((s) => (
              <tr key={s.stream} data-stream={s.stream}>
                <th scope="row">{s.stream}</th>
                <td>{s.lastRun ? `#${s.lastRun.id} ${text.runStatus[s.lastRun.status] ?? s.lastRun.status}, ${formatTime(lang, s.lastRun.endedAt ?? s.lastRun.startedAt)}` : text.none}
                  {s.lastRun?.errorCode ? <div class="error">{s.lastRun.errorCode}: {s.lastRun.error}</div> : null}</td>
                <td>{formatTime(lang, s.lastSuccessAt)}</td>
                <td>{duration(text, s.lagMs)}</td>
                <td>{formatTime(lang, s.newestChangeAt)}</td>
                <td>{formatNumber(lang, s.lastRun?.pages)}</td>
                <td>{formatNumber(lang, s.lastRun?.read)}</td>
                <td>{formatNumber(lang, s.lastRun?.written)}</td>
                <td>{formatNumber(lang, s.lastRun?.rejected)}</td>
                <td>{formatNumber(lang, s.pendingRejected)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {c.streams.some((s) => s.pendingRejected > 0) ? (
        <button type="button" class="link" aria-expanded={rejected !== null} onClick={() => void showRejected()}>{rejected ? text.hideRejected : text.showRejected}</button>
      ) : null}
      {rejected ? (
        rejected.length === 0 ? <p>{text.noRejected}</p> : (
          <div class="table-scroll" tabIndex={0}>
            <table data-testid="rejected">
              <caption>{text.pending}: {c.name}</caption>
              <thead><tr><th scope="col">{text.stream}</th><th scope="col">{text.key}</th><th scope="col">{text.field}</th><th scope="col">{text.reason}</th><th scope="col">{text.run}</th><th scope="col">{text.at}</th></tr></thead>
              <tbody>
                {rejected.map((r) => (
                  <tr key={r.id}><td>{r.stream}</td><td>{r.sourceRecordKey ?? '—'}</td><td>{r.field ?? '—'}</td><td>{r.reason}</td><td>{r.runId ?? '—'}</td><td>{formatTime(lang, r.rejectedAt)}</td></tr>
                ))}
              </tbody>
            </table>
          </div>
        )
      ) : null}
    </article>
  );
}
