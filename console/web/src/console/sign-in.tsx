import { useState } from 'preact/hooks';
import type { Lang } from '../i18n';
import { signIn, SignInError, type Session } from './session';
import { PURPOSES, SHELL_TEXT } from './text';

/** The sign-in form: partner ID, API key and the purpose of use every request will state. */
export function SignIn({ lang, onSignedIn }: { lang: Lang; onSignedIn: (session: Session) => void }) {
  const text = SHELL_TEXT[lang];
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = async (event: Event) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    setBusy(true);
    setError(null);
    try {
      onSignedIn(await signIn(String(form.get('partner')).trim(), String(form.get('key')).trim(), String(form.get('purpose'))));
    } catch (e) {
      const reason = e instanceof SignInError ? e.reason : 'unavailable';
      setError(reason === 'credentials' ? text.badCredentials
        : reason === 'purpose' ? text.badPurpose((e as SignInError).purposes.map((p) => text.purposes[p] ?? p).join(', '))
        : text.unavailable);
    } finally {
      setBusy(false);
    }
  };
  return (
    <main id="main" class="sign-in">
      <h1>{text.signIn}</h1>
      <p class="note">{text.signInIntro}</p>
      <form onSubmit={submit} data-testid="sign-in">
        <label>{text.partnerId}<input name="partner" required autocomplete="username" /></label>
        <label>{text.apiKey}<input name="key" type="password" required autocomplete="current-password" /></label>
        <label>{text.purpose}
          <select name="purpose">
            {PURPOSES.map((p) => <option key={p} value={p}>{text.purposes[p]}</option>)}
          </select>
        </label>
        {error && <p role="alert" class="error" data-testid="sign-in-error">{error}</p>}
        <button type="submit" disabled={busy}>{busy ? text.signingIn : text.signIn}</button>
      </form>
    </main>
  );
}
