import { useState } from 'preact/hooks';
import { ApiError, post } from '../api';
import { ErrorBox, useTitle } from '../components/common';
import { LanguageSelect, Logo } from '../components/Layout';
import { t } from '../i18n';
import { Link, navigate } from '../router';
import { setSession, useLanguage } from '../state';
import { isStaff, type Role, type Session } from '../types';

/** Where to go after signing in: the asked-for page when this role may see it. */
export function landingFor(role: Role, next: string | null): string {
  const home = isStaff(role) ? '/agent' : '/portal';
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/login')) return home;
  // The help center is everybody's: signing in from it goes back to it.
  if (next === '/help' || next.startsWith('/help/')) return next;
  const area = isStaff(role) ? '/agent' : '/portal';
  if (next === area || next.startsWith(`${area}/`) || next.startsWith(`${area}?`)) return next;
  return home;
}

export function LoginPage({ next }: { next: string | null }) {
  const lang = useLanguage();
  useTitle(t('login.title'));
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const s = await post<Session>('/api/v1/session', { email: email.trim(), password });
      setSession(s);
      navigate(landingFor(s.user.role, next), { replace: true });
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };

  const fieldError = (f: string) => (error instanceof ApiError ? error.fieldMessage(f) : undefined);

  return (
    <div class="login-page">
      <div class="login-lang">
        <LanguageSelect id="login-language" />
      </div>
      <main id="main" class="login-card">
        <div class="login-brand">
          <Logo />
          <span>Chamado</span>
        </div>
        <h1>{t('login.title')}</h1>
        <p class="muted">{t('login.subtitle')}</p>
        <form onSubmit={submit} noValidate data-testid="login-form">
          <div class="field">
            <label for="login-email">{t('login.email')}</label>
            <input
              id="login-email"
              type="email"
              autocomplete="username"
              required
              autofocus
              value={email}
              data-testid="login-email"
              aria-invalid={fieldError('email') ? 'true' : undefined}
              onInput={(e) => setEmail((e.currentTarget as HTMLInputElement).value)}
            />
          </div>
          <div class="field">
            <label for="login-password">{t('login.password')}</label>
            <input
              id="login-password"
              type="password"
              autocomplete="current-password"
              required
              value={password}
              data-testid="login-password"
              aria-invalid={fieldError('password') ? 'true' : undefined}
              onInput={(e) => setPassword((e.currentTarget as HTMLInputElement).value)}
            />
          </div>
          <ErrorBox error={error} testid="login-error" />
          <button type="submit" class="btn btn-primary btn-block" disabled={busy} data-testid="login-submit">
            {busy ? t('login.signingIn') : t('login.submit')}
          </button>
        </form>
        <p class="login-help">
          <Link href={`/help/${lang}`} data-testid="login-help">
            {t('nav.helpCenter')}
          </Link>
        </p>
      </main>
    </div>
  );
}
