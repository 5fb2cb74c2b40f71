import { useEffect, useState } from 'preact/hooks';
import { formatTime, type Lang } from '../../../i18n';
import type { PageProps } from '../../pages';
import { provinceName, PROVINCES } from '../../provinces';
import type { Session } from '../../session';
import list from './operations/ConsoleNewCaseSubscriptions.graphql';
import subscribe from './operations/ConsoleSubscribeToNewCases.graphql';
import unsubscribe from './operations/ConsoleUnsubscribeFromNewCases.graphql';

interface Subscription { id: string; events: string[]; url: string; provinceCode: string | null; subscribedAt: string }

const TEXT = {
  vi: {
    title: 'Đẩy ca mắc mới (webhook)', intro: 'Health Hub gửi (POST) mỗi ca mắc mới đến địa chỉ đăng ký ngay khi ca được ghi nhận, có chữ ký HMAC-SHA256.',
    url: 'Địa chỉ nhận (http/https)', province: 'Tỉnh, thành phố', all: 'Tất cả các tỉnh', add: 'Đăng ký', remove: 'Hủy đăng ký',
    none: 'Chưa đăng ký địa chỉ nào.', since: 'Đăng ký lúc', secret: 'Khóa ký (chỉ hiển thị một lần, hãy lưu lại):',
    provinceOnly: 'Chỉ đối tác toàn quốc được đăng ký nhận ca mắc mới; đối tác cấp tỉnh xem các đăng ký đã có.', failed: 'Không thực hiện được',
  },
  en: {
    title: 'New-case pushes (webhooks)', intro: 'Health Hub POSTs each new case to the registered address as soon as it is recorded, signed with HMAC-SHA256.',
    url: 'Receiving address (http/https)', province: 'Province', all: 'Every province', add: 'Subscribe', remove: 'Unsubscribe',
    none: 'No address registered.', since: 'Registered', secret: 'Signing key (shown once, keep it):',
    provinceOnly: 'Only nationwide partners may subscribe to new cases; a province partner sees the subscriptions it has.', failed: 'Could not do it',
  },
};

/** The partner's new-case webhooks: list, subscribe (nationwide partners) and unsubscribe. */
export function NewCasePushes({ session, lang, run }: { session: Session; lang: Lang; run: PageProps['run'] }) {
  const text = TEXT[lang];
  const [subscriptions, setSubscriptions] = useState<Subscription[] | null>(null);
  const [secret, setSecret] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const reload = () => run<{ newCaseSubscriptions: Subscription[] }>(list).then((d) => setSubscriptions(d.newCaseSubscriptions), (e: Error) => setError(e.message));
  useEffect(() => void reload(), []);
  const add = async (event: Event) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    setError(null);
    try {
      const province = String(form.get('province') ?? '');
      const { subscribeToNewCases } = await run<{ subscribeToNewCases: { secret: string } }>(subscribe, { url: String(form.get('url')).trim(), ...(province ? { provinceCode: province } : {}) });
      setSecret(subscribeToNewCases.secret);
      (event.currentTarget as HTMLFormElement | null)?.reset();
      await reload();
    } catch (e) {
      setError((e as Error).message);
    }
  };
  const remove = async (id: string) => {
    setError(null);
    await run(unsubscribe, { id }).then(reload, (e: Error) => setError(e.message));
  };
  return (
    <section class="panel" aria-labelledby="pushes-title" data-testid="new-case-pushes">
      <h2 id="pushes-title">{text.title}</h2>
      <p class="note">{text.intro}</p>
      {subscriptions && subscriptions.length === 0 && <p>{text.none}</p>}
      {subscriptions && subscriptions.length > 0 && (
        <ul class="subscriptions">
          {subscriptions.map((s) => (
            <li key={s.id} data-subscription={s.id}>
              <code>{s.url}</code> — {s.provinceCode ? provinceName(s.provinceCode) : text.all} — {text.since} {formatTime(lang, s.subscribedAt)}
              {' '}<button type="button" onClick={() => remove(s.id)}>{text.remove}</button>
            </li>
          ))}
        </ul>
      )}
      {secret && <p role="status" data-testid="push-secret">{text.secret} <code>{secret}</code></p>}
      {session.province ? <p class="note">{text.provinceOnly}</p> : (
        <form class="inline-form" onSubmit={add} data-testid="subscribe">
          <label>{text.url}<input name="url" type="url" required placeholder="https://" /></label>
          <label>{text.province}
            <select name="province">
              <option value="">{text.all}</option>
              {PROVINCES.map((p) => <option key={p.code} value={p.code}>{p.name}</option>)}
            </select>
          </label>
          <button type="submit">{text.add}</button>
        </form>
      )}
      {error && <p role="alert" class="error">{text.failed}: {error}</p>}
    </section>
  );
}
