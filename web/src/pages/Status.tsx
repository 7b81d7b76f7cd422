// /status: the public status page (no sign-in). Each component's condition now and a bar per
// day for the last 90 days (its uptime that day, time-weighted as docs/status-page.md says:
// maintenance left out, days without data shown as such, never as up); the incidents going on
// with their timed updates, maintenance to come, and the incidents of the period. Texts in the
// reader's language (the switcher), days in the policy's time zone.
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { get, post, qs } from '../api';
import { ErrorBox, Loading, useTitle } from '../components/common';
import { LanguageSelect, Logo } from '../components/Layout';
import { formatDateTime, formatDuration, formatNumber, getLanguage, t, type MessageKey } from '../i18n';
import { Link, useLocation } from '../router';
import { useLanguage } from '../state';
import { isStaff, type PublishedResponseTime, type Session, type StatusCondition, type StatusDay, type StatusIncident, type StatusPage, type StatusPageComponent } from '../types';

export const CONDITIONS: StatusCondition[] = ['operational', 'degraded', 'partial', 'major', 'maintenance', 'unknown'];

export function conditionLabel(c: StatusCondition): string {
  return t(`status.condition.${c}` as MessageKey);
}

export function incidentStateLabel(s: string): string {
  return t(`status.state.${s}` as MessageKey);
}

/** "99.95 %" in the reader's number format; "—" when nothing is known. */
export function percentText(p: number | null): string {
  if (p === null) return t('status.noData');
  const shown = p >= 99.995 && p < 100 ? 99.99 : Math.floor(p * 100) / 100;
  return t('status.percent', { percent: formatNumber(shown) });
}

/** The tone of a day's bar: down time first, then time without data (never shown as up). */
function dayTone(d: StatusDay): string {
  if (d.percent === null) return d.maintenance_ms > 0 ? 'maintenance' : 'unknown';
  if (d.down_ms > 0) return d.percent >= 99 ? 'partial' : 'major';
  return d.unknown_ms > 0 ? 'gaps' : 'operational';
}

function dayLabel(d: StatusDay): string {
  if (d.percent === null) return t('status.dayUnknown', { date: d.date });
  const parts = [t('status.dayPercent', { date: d.date, percent: percentText(d.percent) })];
  if (d.down_ms > 0) parts.push(t('status.dayDown', { duration: formatDuration(d.down_ms, true) }));
  if (d.unknown_ms > 0) parts.push(t('status.dayNoData', { duration: formatDuration(d.unknown_ms, true) }));
  if (d.maintenance_ms > 0) parts.push(t('status.dayMaintenance', { duration: formatDuration(d.maintenance_ms, true) }));
  return parts.join('; ');
}

function DayBars({ component }: { component: StatusPageComponent }) {
  const days = component.days;
  return (
    <div class="status-bars-wrap">
      <svg
        class="status-bars"
        viewBox={`0 0 ${days.length * 4} 24`}
        preserveAspectRatio="none"
        role="img"
        aria-label={t('status.barsLabel', { name: component.name, days: days.length })}
        data-testid="status-bars"
      >
        {days.map((d, i) => (
          <rect key={d.date} x={i * 4} y="0" width="3" height="24" rx="0.8" class={`status-bar tone-${dayTone(d)}`} data-testid="status-day" data-date={d.date}>
            <title>{dayLabel(d)}</title>
          </rect>
        ))}
      </svg>
      <div class="status-bars-legend small muted">
        <span>{t('status.daysAgo', { days: days.length })}</span>
        <span>{percentText(component.percent)}</span>
        <span>{t('status.today')}</span>
      </div>
    </div>
  );
}

export function ConditionBadge({ condition }: { condition: StatusCondition }) {
  return (
    <span class={`status-condition tone-${condition}`} data-testid="status-condition" data-condition={condition}>
      {conditionLabel(condition)}
    </span>
  );
}

function IncidentCard({ incident, names }: { incident: StatusIncident; names: Map<number, string> }) {
  return (
    <article class="card status-incident" id={`incident-${incident.id}`} data-testid="status-incident">
      <h3 class="status-name">
        {incident.title} <span class="status-state">{incidentStateLabel(incident.state)}</span>
      </h3>
      <p class="small muted">
        {incident.components.map((c) => `${names.get(c.id) ?? c.id}: ${t(`status.impact.${c.impact}` as MessageKey)}`).join(' · ')}
      </p>
      <ol class="status-updates">
        {incident.updates.map((u) => (
          <li key={u.id} data-testid="status-update">
            <strong>{incidentStateLabel(u.state)}</strong> <time dateTime={u.at}>{formatDateTime(u.at)}</time>
            <p>{u.body}</p>
          </li>
        ))}
      </ol>
    </article>
  );
}

/** Updates by e-mail: the address gets a mail whose link confirms. */
function SubscribeForm() {
  const [email, setEmail] = useState('');
  const [sent, setSent] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const submit = async (e: Event) => {
    e.preventDefault();
    setError(null);
    try {
      await post('/api/v1/status/subscribe', { email: email.trim(), language: getLanguage() });
      setSent(true);
    } catch (err) {
      setError(err);
    }
  };
  return (
    <section class="card status-subscribe" aria-labelledby="status-subscribe">
      <h2 id="status-subscribe" class="status-name">
        {t('status.subscribeTitle')}
      </h2>
      {sent ? (
        <p class="alert alert-ok" role="status" data-testid="status-subscribe-sent">
          {t('status.subscribeSent')}
        </p>
      ) : (
        <form class="status-subscribe-form" onSubmit={submit} noValidate data-testid="status-subscribe-form">
          <label for="status-subscribe-email">{t('status.subscribeEmail')}</label>{' '}
          <input id="status-subscribe-email" type="email" value={email} data-testid="status-subscribe-email"
            onInput={(e) => setEmail((e.currentTarget as HTMLInputElement).value)} />{' '}
          <button type="submit" class="btn btn-primary btn-small" data-testid="status-subscribe-submit">
            {t('status.subscribeButton')}
          </button>
          <ErrorBox error={error} testid="status-subscribe-error" />
        </form>
      )}
    </section>
  );
}

function StatusFrame({ session, children }: { session: Session | null | undefined; children: ComponentChildren }) {
  const user = session?.user;
  return (
    <div class="app app-help">
      <a class="skip-link" href="#main">
        {t('nav.skip')}
      </a>
      <header class="topbar" data-testid="status-topbar">
        <div class="topbar-inner">
          <Link href="/status" class="brand">
            <Logo />
            <span>Chamado</span>
            <span class="brand-sub">{t('status.title')}</span>
          </Link>
          <div class="topbar-right">
            {user ? (
              <Link href={isStaff(user.role) ? '/agent' : '/portal'} class="nav-link">
                {isStaff(user.role) ? t('help.toDesk') : t('nav.myRequests')}
              </Link>
            ) : (
              <Link href="/login?next=%2Fstatus" class="nav-link" data-testid="status-sign-in">
                {t('help.signIn')}
              </Link>
            )}
            <LanguageSelect id="status-language" />
          </div>
        </div>
      </header>
      <main id="main" tabIndex={-1} class="main">
        {children}
      </main>
    </div>
  );
}

export function StatusPage({ session }: { session: Session | null | undefined }) {
  useTitle(t('status.title'));
  const lang = useLanguage();
  const [page, setPage] = useState<StatusPage | null>(null);
  const [error, setError] = useState<unknown>(null);
  const search = useLocation().search;
  const unsubscribe = search.get('unsubscribe');
  const confirm = search.get('confirm');
  const [linkDone, setLinkDone] = useState<'unsubscribed' | 'confirmed' | null>(null);
  const [linkError, setLinkError] = useState<unknown>(null);

  // The links of a subscriber's mails: the token is the credential; posting it confirms or ends
  // the subscription.
  useEffect(() => {
    if (unsubscribe) post('/api/v1/status/unsubscribe', { token: unsubscribe }).then(() => setLinkDone('unsubscribed'), setLinkError);
    else if (confirm) post('/api/v1/status/subscribe/confirm', { token: confirm }).then(() => setLinkDone('confirmed'), setLinkError);
  }, [unsubscribe, confirm]);

  // The desk's published average first response (seed 002 publishes its 90 minutes), when
  // the operator opted in ([reports] publish_response_time); a 404 means it did not.
  const [response, setResponse] = useState<PublishedResponseTime | null>(null);
  useEffect(() => {
    get<PublishedResponseTime>('/api/v1/public/response-time', { quiet401: true }).then(setResponse, () => setResponse(null));
  }, []);

  useEffect(() => {
    let live = true;
    const load = () =>
      get<StatusPage>(`/api/v1/status${qs({ language: lang })}`, { quiet401: true }).then(
        (p) => live && (setPage(p), setError(null)),
        (err) => live && setError(err),
      );
    void load();
    const every = window.setInterval(load, 60_000);
    return () => {
      live = false;
      window.clearInterval(every);
    };
  }, [lang]);

  let body: ComponentChildren;
  if (error && !page) body = <ErrorBox error={error} testid="status-error" />;
  else if (!page) body = <Loading />;
  else {
    const names = new Map(page.components.map((c) => [c.id, c.name]));
    const troubled = page.components.some((c) => c.condition === 'degraded' || c.condition === 'partial' || c.condition === 'major');
    const allGood = page.components.every((c) => c.condition === 'operational');
    const summary = troubled ? 'someIssues' : allGood ? 'allOperational' : 'notAllKnown';
    body = (
      <>
        <p class={`status-summary tone-${troubled ? 'degraded' : allGood ? 'operational' : 'unknown'}`} role="status" data-testid="status-summary">
          {t(`status.${summary}`)}
        </p>
        {response && response.average_first_response_minutes !== null && response.tickets > 0 && (
          <p class="small" data-testid="status-response-time">
            {t(response.time === 'business' ? 'status.responseTimeBusiness' : 'status.responseTime', {
              duration: formatDuration(response.average_first_response_minutes * 60_000),
              days: formatNumber(response.window_days),
            })}
          </p>
        )}
        {page.incidents.length > 0 && (
          <section aria-labelledby="status-incidents">
            <h2 id="status-incidents">{t('status.incidents')}</h2>
            {page.incidents.map((i) => (
              <IncidentCard key={i.id} incident={i} names={names} />
            ))}
          </section>
        )}
        {page.maintenance.length > 0 && (
          <section aria-labelledby="status-maintenance">
            <h2 id="status-maintenance">{t('status.maintenance')}</h2>
            {page.maintenance.map((m) => (
              <article key={m.id} class="card status-maintenance" data-testid="status-maintenance-item">
                <h3 class="status-name">{m.title}</h3>
                <p class="small muted">
                  {t('status.window', { from: formatDateTime(m.starts_at), to: formatDateTime(m.ends_at) })} ·{' '}
                  {m.components.map((c) => names.get(c) ?? c).join(', ')}
                </p>
                {m.body && <p>{m.body}</p>}
              </article>
            ))}
          </section>
        )}
        <section aria-labelledby="status-components">
          <h2 id="status-components">{t('status.components')}</h2>
          {page.components.length === 0 && <p class="muted">{t('status.noComponents')}</p>}
          <ul class="status-components">
            {page.components.map((c) => (
              <li key={c.id} class="card status-component" data-testid="status-component" data-key={c.key}>
                <div class="status-component-head">
                  <h3 class="status-name">{c.name}</h3>
                  <ConditionBadge condition={c.condition} />
                </div>
                {c.description && <p class="small muted">{c.description}</p>}
                <DayBars component={c} />
              </li>
            ))}
          </ul>
          <p class="small muted">
            {t('status.rules', { zone: page.time_zone })}{' '}
            <a href="/api/v1/status/feed.atom" data-testid="status-feed">
              {t('status.feed')}
            </a>
          </p>
        </section>
        <section aria-labelledby="status-history">
          <h2 id="status-history">{t('status.history')}</h2>
          {page.history.length === 0 ? (
            <p class="muted" data-testid="status-no-history">
              {t('status.noHistory')}
            </p>
          ) : (
            page.history.map((i) => <IncidentCard key={i.id} incident={i} names={names} />)
          )}
        </section>
      </>
    );
  }
  return (
    <StatusFrame session={session}>
      <div class="page page-narrow status-page" data-testid="status-page">
        <h1>{t('status.title')}</h1>
        {linkDone && (
          <p class="alert alert-ok" role="status" data-testid={`status-${linkDone}`}>
            {t(linkDone === 'unsubscribed' ? 'status.unsubscribed' : 'status.confirmed')}
          </p>
        )}
        <ErrorBox error={linkError} testid="status-link-error" />
        {body}
        <SubscribeForm />
      </div>
    </StatusFrame>
  );
}
