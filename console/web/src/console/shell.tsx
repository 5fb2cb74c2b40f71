import type { ComponentType } from 'preact';
import { useEffect, useMemo, useState } from 'preact/hooks';
import type { Lang } from '../i18n';
import { runOperation, type Operation } from './graphql';
import { PAGES, type ConsolePage, type PageProps } from './pages';
import { provinceName } from './provinces';
import { allows, currentSession, signOut, type Session } from './session';
import { SignIn } from './sign-in';
import { SHELL_TEXT } from './text';

/** The page path of the address (`#/daily-reports` → `daily-reports`). */
const pathOfHash = () => location.hash.replace(/^#\/?/, '').split(/[/?]/)[0] ?? '';

function initialLang(): Lang {
  return new URLSearchParams(location.search).get('lang') === 'en' ? 'en' : 'vi';
}

/** The console: sign-in, then the nav of the pages the partner's scopes allow and the page chosen. */
export function Shell() {
  const [lang, setLang] = useState<Lang>(initialLang);
  const [session, setSession] = useState<Session | null>(() => currentSession());
  const [path, setPath] = useState(pathOfHash);
  const text = SHELL_TEXT[lang];

  useEffect(() => {
    const onHash = () => setPath(pathOfHash());
    addEventListener('hashchange', onHash);
    return () => removeEventListener('hashchange', onHash);
  }, []);
  useEffect(() => {
    document.documentElement.lang = lang;
    document.title = text.console;
  }, [lang]);
  // The session ends when its token does.
  useEffect(() => {
    if (!session) return;
    const timer = setTimeout(() => setSession(currentSession()), Math.max(0, session.expiresAt - Date.now()) + 1_000);
    return () => clearTimeout(timer);
  }, [session]);

  const leave = () => {
    signOut();
    setSession(null);
  };
  const allowed = useMemo(() => (session ? PAGES.filter((page) => allows(session, page.scopes)) : []), [session]);
  const page = PAGES.find((p) => p.path === path);
  // The first page the partner may see opens when the address names none.
  useEffect(() => {
    if (session && !path && allowed[0]) location.replace(`#/${allowed[0].path}`);
  }, [session, path, allowed]);

  const languagePicker = (
    <label class="language">
      {text.language}
      <select value={lang} onChange={(e) => setLang((e.currentTarget.value as Lang))}>
        <option value="vi">Tiếng Việt</option>
        <option value="en">English</option>
      </select>
    </label>
  );

  if (!session) {
    return (
      <>
        <header class="top console-top"><p class="console-name">{text.console}</p>{languagePicker}</header>
        <SignIn lang={lang} onSignedIn={setSession} />
      </>
    );
  }
  return (
    <>
      <header class="top console-top">
        <p class="console-name">{text.console}</p>
        <div class="session" data-testid="session">
          <span data-testid="partner">{text.signedInAs(session.partnerId)}</span>
          <span data-testid="scope-area">{session.province ? text.provinceOnly(provinceName(session.province)) : text.nationwide}</span>
          <span>{text.purposes[session.purpose] ?? session.purpose}</span>
          {languagePicker}
          <button type="button" onClick={leave}>{text.signOut}</button>
        </div>
      </header>
      <nav class="console-nav" aria-label={text.nav} data-testid="nav">
        <ul>
          {allowed.map((p) => (
            <li key={p.path}><a href={`#/${p.path}`} aria-current={p.path === path ? 'page' : undefined} data-page={p.path}>{p.title[lang]}</a></li>
          ))}
        </ul>
      </nav>
      <main id="main">
        {!path ? (allowed.length === 0 ? <p role="status" data-testid="no-pages">{text.noPages}</p> : null)
          : !page ? <p role="alert">{text.notFound}</p>
          : !allows(session, page.scopes) ? <p role="alert" data-testid="not-allowed">{text.notAllowed}</p>
          : <PageView key={page.path} page={page} session={session} lang={lang} onExpired={leave} />}
      </main>
    </>
  );
}

/** Loads a page's chunk and renders it with what pages get from the shell. */
function PageView({ page, session, lang, onExpired }: { page: ConsolePage; session: Session; lang: Lang; onExpired: () => void }) {
  const [component, setComponent] = useState<ComponentType<PageProps> | null>(null);
  const [failed, setFailed] = useState<string | null>(null);
  const text = SHELL_TEXT[lang];
  useEffect(() => {
    page.load().then((module) => setComponent(() => module.default), (error: Error) => setFailed(error.message));
  }, [page]);
  useEffect(() => {
    document.title = `${page.title[lang]} — ${text.console}`;
  }, [page, lang]);
  const run = useMemo(() => <T,>(operation: Operation, variables?: Record<string, unknown>) => runOperation<T>(session, operation, variables, onExpired), [session]);
  if (failed) return <p role="alert">{text.failed}: {failed}</p>;
  if (!component) return <p role="status">{text.loading}</p>;
  const Page = component;
  return (
    <>
      <h1>{page.title[lang]}</h1>
      <Page session={session} lang={lang} run={run} now={() => new Date()} />
    </>
  );
}
