// /agent/status: running the status page. Agents declare incidents (affected components and
// impact), post their timed public updates and link tickets to them, and plan maintenance;
// administrators also add components and their probes. Texts are written in one language at a
// time (the form's language); what the server refuses is shown beside the field it names.
import { useEffect, useState } from 'preact/hooks';
import { del, get, post, put } from '../api';
import { ErrorBox, Loading, useTitle } from '../components/common';
import { formatDateTime, getLanguage, t, type MessageKey } from '../i18n';
import { currentUser } from '../state';
import type { Impact, IncidentState, StatusIncident, StatusMaintenance, StatusPage, StatusProbe, StatusSubscriber } from '../types';
import { described, Field, fieldError, LanguageOptions } from './Admin';
import { ConditionBadge, incidentStateLabel } from './Status';

const STATES: IncidentState[] = ['investigating', 'identified', 'monitoring', 'resolved'];
const IMPACTS: Impact[] = ['degraded', 'partial', 'major'];

const value = (e: Event) => (e.currentTarget as HTMLInputElement).value;
/** A datetime-local value (the browser's zone) as an RFC 3339 instant; '' when empty. */
const instant = (local: string) => (local ? new Date(local).toISOString() : '');

/** A text input in its Field, with the server's error for it (or its hint). */
function TextField(props: { id: string; label: string; error?: string; hint?: string; type?: string; value: string; onValue: (v: string) => void; testid: string }) {
  const { id, label, error, hint, type = 'text', value: current, onValue, testid } = props;
  return (
    <Field id={id} label={label} error={error} hint={hint}>
      <input id={id} type={type} value={current} data-testid={testid} {...described(id, error, hint)} onInput={(e) => onValue(value(e))} />
    </Field>
  );
}

/** The language a form's texts are written in. */
function LanguageField({ id, value: current, onValue }: { id: string; value: string; onValue: (v: string) => void }) {
  return (
    <Field id={id} label={t('statusAdmin.textLanguage')}>
      <select id={id} value={current} onChange={(e) => onValue(value(e))}>
        <LanguageOptions />
      </select>
    </Field>
  );
}

/** Runs `work`, keeping its error for the form; true when it went through. */
async function attempt(setError: (e: unknown) => void, work: () => Promise<unknown>): Promise<boolean> {
  setError(null);
  try {
    await work();
    return true;
  } catch (err) {
    setError(err);
    return false;
  }
}

function UpdateForm({ incident, onDone }: { incident: StatusIncident; onDone: () => void }) {
  const [state, setState] = useState<IncidentState>(incident.state);
  const [lang, setLang] = useState(getLanguage());
  const [text, setText] = useState('');
  const [ticket, setTicket] = useState('');
  const [notify, setNotify] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const id = `inc-${incident.id}`;
  const send = async (e: Event) => {
    e.preventDefault();
    if (await attempt(setError, () => post(`/api/v1/status/incidents/${incident.id}/updates`, { state, bodies: { [lang]: text }, notify }))) {
      setText('');
      onDone();
    }
  };
  const link = async () => {
    if (await attempt(setError, () => put(`/api/v1/status/incidents/${incident.id}/tickets/${encodeURIComponent(ticket.trim())}`, {}))) {
      setTicket('');
      onDone();
    }
  };
  const bodyError = fieldError(error, 'bodies');
  return (
    <form class="status-update-form" onSubmit={send} noValidate data-testid="status-update-form">
      <div class="admin-form-row">
        <Field id={`${id}-state`} label={t('statusAdmin.state')}>
          <select id={`${id}-state`} value={state} data-testid="status-update-state" onChange={(e) => setState(value(e) as IncidentState)}>
            {STATES.map((s) => (
              <option key={s} value={s}>
                {incidentStateLabel(s)}
              </option>
            ))}
          </select>
        </Field>
        <LanguageField id={`${id}-lang`} value={lang} onValue={setLang} />
      </div>
      <Field id={`${id}-text`} label={t('statusAdmin.updateText')} error={bodyError}>
        <textarea id={`${id}-text`} rows={2} value={text} data-testid="status-update-text" {...described(`${id}-text`, bodyError)}
          onInput={(e) => setText(value(e))} />
      </Field>
      <label class="checkbox">
        <input type="checkbox" checked={notify} data-testid="status-update-notify" onChange={(e) => setNotify((e.currentTarget as HTMLInputElement).checked)} />{' '}
        {t('statusAdmin.notify')}
      </label>
      <div class="form-actions">
        <button type="submit" class="btn btn-primary btn-small" data-testid="status-update-post">
          {t('statusAdmin.postUpdate')}
        </button>
        <label class="sr-only" for={`${id}-ticket`}>
          {t('statusAdmin.ticketNumber')}
        </label>
        <input id={`${id}-ticket`} type="text" inputMode="numeric" size={8} placeholder={t('statusAdmin.ticketNumber')} value={ticket}
          data-testid="status-link-ticket" onInput={(e) => setTicket(value(e))} />
        <button type="button" class="btn btn-small" onClick={() => void link()} disabled={!ticket.trim()} data-testid="status-link">
          {t('statusAdmin.linkTicket')}
        </button>
      </div>
      <ErrorBox error={error} testid="status-update-error" />
    </form>
  );
}

function IncidentsSection({ page, onChange }: { page: StatusPage; onChange: () => void }) {
  const [items, setItems] = useState<StatusIncident[] | null>(null);
  const [version, setVersion] = useState(0);
  const [title, setTitle] = useState('');
  const [lang, setLang] = useState(getLanguage());
  const [first, setFirst] = useState('');
  const [impacts, setImpacts] = useState<Record<number, Impact | ''>>({});
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    get<{ items: StatusIncident[] }>('/api/v1/status/incidents').then((r) => setItems(r.items), setError);
  }, [version, page]);
  const changed = () => {
    setVersion((v) => v + 1);
    onChange();
  };
  const declare = async (e: Event) => {
    e.preventDefault();
    const components = Object.entries(impacts)
      .filter(([, impact]) => impact)
      .map(([id, impact]) => ({ id: Number(id), impact }));
    const body = { titles: { [lang]: title }, components, ...(first.trim() ? { update: { [lang]: first } } : {}) };
    if (await attempt(setError, () => post('/api/v1/status/incidents', body))) {
      setTitle('');
      setFirst('');
      setImpacts({});
      changed();
    }
  };
  const titleError = fieldError(error, 'titles');
  return (
    <section class="card" aria-labelledby="sa-incidents" data-testid="status-admin-incidents">
      <h2 id="sa-incidents" class="card-title">
        {t('status.incidents')}
      </h2>
      <form class="admin-form" onSubmit={declare} noValidate data-testid="status-incident-form">
        <div class="admin-form-row">
          <TextField id="sa-title" label={t('statusAdmin.incidentTitle')} error={titleError} value={title} onValue={setTitle} testid="status-incident-title" />
          <LanguageField id="sa-lang" value={lang} onValue={setLang} />
        </div>
        <fieldset class="status-impacts">
          <legend>{t('statusAdmin.affected')}</legend>
          {page.components.map((c) => (
            <label key={c.id}>
              {c.name}{' '}
              <select value={impacts[c.id] ?? ''} data-testid={`status-impact-${c.key}`}
                onChange={(e) => setImpacts({ ...impacts, [c.id]: value(e) as Impact | '' })}>
                <option value="">{t('statusAdmin.notAffected')}</option>
                {IMPACTS.map((i) => (
                  <option key={i} value={i}>
                    {t(`status.impact.${i}` as MessageKey)}
                  </option>
                ))}
              </select>
            </label>
          ))}
        </fieldset>
        <Field id="sa-first" label={t('statusAdmin.firstUpdate')}>
          <textarea id="sa-first" rows={2} value={first} data-testid="status-incident-update" onInput={(e) => setFirst(value(e))} />
        </Field>
        <ErrorBox error={error} testid="status-incident-error" />
        <div class="form-actions">
          <button type="submit" class="btn btn-primary" data-testid="status-incident-declare">
            {t('statusAdmin.declare')}
          </button>
        </div>
      </form>
      {!items ? (
        <Loading />
      ) : (
        <ul class="status-admin-list">
          {items.map((i) => (
            <li key={i.id} data-testid="status-admin-incident">
              <strong>{i.title}</strong> · {incidentStateLabel(i.state)} · {formatDateTime(i.started_at)}
              {i.resolved_at && ` – ${formatDateTime(i.resolved_at)}`}
              {i.tickets && i.tickets.length > 0 && (
                <span class="small muted" data-testid="status-linked">
                  {' '}
                  · {t('statusAdmin.linked', { tickets: i.tickets.map((n) => `#${n}`).join(', ') })}
                </span>
              )}
              <UpdateForm incident={i} onDone={changed} />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function MaintenanceSection({ page, onChange }: { page: StatusPage; onChange: () => void }) {
  const [items, setItems] = useState<StatusMaintenance[] | null>(null);
  const [version, setVersion] = useState(0);
  const [title, setTitle] = useState('');
  const [lang, setLang] = useState(getLanguage());
  const [starts, setStarts] = useState('');
  const [ends, setEnds] = useState('');
  const [chosen, setChosen] = useState<number[]>([]);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    get<{ items: StatusMaintenance[] }>('/api/v1/status/maintenance').then((r) => setItems(r.items), setError);
  }, [version]);
  const changed = () => {
    setVersion((v) => v + 1);
    onChange();
  };
  const plan = async (e: Event) => {
    e.preventDefault();
    const body = { titles: { [lang]: title }, starts_at: instant(starts), ends_at: instant(ends), components: chosen };
    if (await attempt(setError, () => post('/api/v1/status/maintenance', body))) {
      setTitle('');
      changed();
    }
  };
  const remove = async (id: number) => {
    if (await attempt(setError, () => del(`/api/v1/status/maintenance/${id}`))) changed();
  };
  const errors = { title: fieldError(error, 'titles'), starts: fieldError(error, 'starts_at'), ends: fieldError(error, 'ends_at'), components: fieldError(error, 'components') };
  return (
    <section class="card" aria-labelledby="sa-maintenance" data-testid="status-admin-maintenance">
      <h2 id="sa-maintenance" class="card-title">
        {t('status.maintenance')}
      </h2>
      <form class="admin-form" onSubmit={plan} noValidate data-testid="status-maintenance-form">
        <div class="admin-form-row">
          <TextField id="sm-title" label={t('statusAdmin.maintenanceTitle')} error={errors.title} value={title} onValue={setTitle} testid="status-maintenance-title" />
          <LanguageField id="sm-lang" value={lang} onValue={setLang} />
        </div>
        <div class="admin-form-row">
          <TextField id="sm-starts" label={t('statusAdmin.starts')} error={errors.starts} type="datetime-local" value={starts} onValue={setStarts} testid="status-maintenance-starts" />
          <TextField id="sm-ends" label={t('statusAdmin.ends')} error={errors.ends} type="datetime-local" value={ends} onValue={setEnds} testid="status-maintenance-ends" />
        </div>
        <fieldset class="status-impacts">
          <legend>{t('statusAdmin.affected')}</legend>
          {page.components.map((c) => (
            <label key={c.id}>
              <input type="checkbox" checked={chosen.includes(c.id)} data-testid={`status-maintenance-${c.key}`}
                onChange={(e) => setChosen((e.currentTarget as HTMLInputElement).checked ? [...chosen, c.id] : chosen.filter((x) => x !== c.id))} />{' '}
              {c.name}
            </label>
          ))}
          {errors.components && <p class="field-error">{errors.components}</p>}
        </fieldset>
        <ErrorBox error={error} testid="status-maintenance-error" />
        <div class="form-actions">
          <button type="submit" class="btn btn-primary" data-testid="status-maintenance-plan">
            {t('statusAdmin.plan')}
          </button>
        </div>
      </form>
      {items && (
        <ul class="status-admin-list">
          {items.map((m) => (
            <li key={m.id} data-testid="status-admin-maintenance-item">
              <strong>{m.title}</strong> · {t('status.window', { from: formatDateTime(m.starts_at), to: formatDateTime(m.ends_at) })}{' '}
              <button type="button" class="btn btn-ghost btn-small" onClick={() => void remove(m.id)} data-testid="status-maintenance-delete">
                {t('statusAdmin.remove')}
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function SubscribersSection() {
  const [items, setItems] = useState<StatusSubscriber[] | null>(null);
  const [version, setVersion] = useState(0);
  const [email, setEmail] = useState('');
  const [lang, setLang] = useState(getLanguage());
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    get<{ items: StatusSubscriber[] }>('/api/v1/status/subscribers').then((r) => setItems(r.items), setError);
  }, [version]);
  const add = async (e: Event) => {
    e.preventDefault();
    if (await attempt(setError, () => post('/api/v1/status/subscribers', { email: email.trim(), language: lang }))) {
      setEmail('');
      setVersion((v) => v + 1);
    }
  };
  const remove = async (id: number) => {
    if (await attempt(setError, () => del(`/api/v1/status/subscribers/${id}`))) setVersion((v) => v + 1);
  };
  const emailError = fieldError(error, 'email');
  return (
    <section class="card" aria-labelledby="sa-subscribers" data-testid="status-admin-subscribers">
      <h2 id="sa-subscribers" class="card-title">
        {t('statusAdmin.subscribers')}
      </h2>
      <p class="small muted">{t('statusAdmin.subscribersIntro')}</p>
      <form class="admin-form" onSubmit={add} noValidate data-testid="status-subscriber-form">
        <div class="admin-form-row">
          <TextField id="ss-email" label={t('statusAdmin.email')} error={emailError} type="email" value={email} onValue={setEmail} testid="status-subscriber-email" />
          <LanguageField id="ss-lang" value={lang} onValue={setLang} />
        </div>
        <ErrorBox error={error} testid="status-subscriber-error" />
        <div class="form-actions">
          <button type="submit" class="btn btn-small" data-testid="status-subscriber-add">
            {t('statusAdmin.subscribe')}
          </button>
        </div>
      </form>
      <ul class="status-admin-list">
        {items?.map((x) => (
          <li key={x.id} data-testid="status-subscriber">
            {x.email} · {x.language}{' '}
            <button type="button" class="btn btn-ghost btn-small" onClick={() => void remove(x.id)}>
              {t('statusAdmin.remove')}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}

function ProbeForm({ component, onDone }: { component: number; onDone: () => void }) {
  const [kind, setKind] = useState<'http' | 'tcp'>('http');
  const [target, setTarget] = useState('');
  const [expectBody, setExpectBody] = useState('');
  const [every, setEvery] = useState('60');
  const [wait, setWait] = useState('10');
  const [retries, setRetries] = useState('1');
  const [error, setError] = useState<unknown>(null);
  const id = `probe-${component}`;
  const add = async (e: Event) => {
    e.preventDefault();
    const body = { kind, target, interval_seconds: Number(every), timeout_seconds: Number(wait), retries: Number(retries), ...(kind === 'http' ? { expect_body: expectBody } : {}) };
    if (await attempt(setError, () => post(`/api/v1/status/components/${component}/probes`, body))) {
      setTarget('');
      onDone();
    }
  };
  const targetError = fieldError(error, 'target');
  const targetHint = t(kind === 'http' ? 'statusAdmin.targetHttp' : 'statusAdmin.targetTcp');
  return (
    <form class="admin-form status-probe-form" onSubmit={add} noValidate data-testid="status-probe-form">
      <div class="admin-form-row">
        <Field id={`${id}-kind`} label={t('statusAdmin.kind')}>
          <select id={`${id}-kind`} value={kind} data-testid="status-probe-kind" onChange={(e) => setKind(value(e) as 'http' | 'tcp')}>
            <option value="http">HTTP(S)</option>
            <option value="tcp">TCP</option>
          </select>
        </Field>
        <Field id={`${id}-target`} label={t('statusAdmin.target')} error={targetError} hint={targetHint}>
          <input id={`${id}-target`} type="text" value={target} data-testid="status-probe-target" {...described(`${id}-target`, targetError, targetHint)}
            onInput={(e) => setTarget(value(e))} />
        </Field>
        {kind === 'http' && (
          <Field id={`${id}-body`} label={t('statusAdmin.expectBody')}>
            <input id={`${id}-body`} type="text" value={expectBody} onInput={(e) => setExpectBody(value(e))} />
          </Field>
        )}
      </div>
      <div class="admin-form-row">
        <Field id={`${id}-interval`} label={t('statusAdmin.interval')} error={fieldError(error, 'interval_seconds')}>
          <input id={`${id}-interval`} type="number" min={10} value={every} onInput={(e) => setEvery(value(e))} />
        </Field>
        <Field id={`${id}-timeout`} label={t('statusAdmin.timeout')} error={fieldError(error, 'timeout_seconds')}>
          <input id={`${id}-timeout`} type="number" min={1} value={wait} onInput={(e) => setWait(value(e))} />
        </Field>
        <Field id={`${id}-retries`} label={t('statusAdmin.retries')} error={fieldError(error, 'retries')}>
          <input id={`${id}-retries`} type="number" min={0} max={5} value={retries} onInput={(e) => setRetries(value(e))} />
        </Field>
      </div>
      <ErrorBox error={error} testid="status-probe-error" />
      <div class="form-actions">
        <button type="submit" class="btn btn-small" data-testid="status-probe-add">
          {t('statusAdmin.addProbe')}
        </button>
      </div>
    </form>
  );
}

function Probes({ component }: { component: number }) {
  const [probes, setProbes] = useState<StatusProbe[] | null>(null);
  const [version, setVersion] = useState(0);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    get<{ items: StatusProbe[] }>(`/api/v1/status/components/${component}/probes`).then((r) => setProbes(r.items), setError);
  }, [component, version]);
  const remove = async (id: number) => {
    if (await attempt(setError, () => del(`/api/v1/status/probes/${id}`))) setVersion((v) => v + 1);
  };
  return (
    <div class="status-probes">
      <ErrorBox error={error} />
      <ul class="status-admin-list">
        {probes?.map((p) => (
          <li key={p.id} data-testid="status-probe">
            <code>{p.kind}</code> <span class="mono">{p.target}</span> ·{' '}
            {t('statusAdmin.every', { seconds: p.interval_seconds, retries: p.retries })} ·{' '}
            <span data-testid="status-probe-last">
              {p.last_sample
                ? t(p.last_sample.up ? 'statusAdmin.lastUp' : 'statusAdmin.lastDown', { when: formatDateTime(p.last_sample.at), error: p.last_sample.error })
                : t('statusAdmin.notChecked')}
            </span>{' '}
            <button type="button" class="btn btn-ghost btn-small" onClick={() => void remove(p.id)}>
              {t('statusAdmin.remove')}
            </button>
          </li>
        ))}
      </ul>
      <ProbeForm component={component} onDone={() => setVersion((v) => v + 1)} />
    </div>
  );
}

function ComponentsSection({ page, onChange }: { page: StatusPage; onChange: () => void }) {
  const [key, setKey] = useState('');
  const [name, setName] = useState('');
  const [lang, setLang] = useState(getLanguage());
  const [error, setError] = useState<unknown>(null);
  const add = async (e: Event) => {
    e.preventDefault();
    const body = { key: key.trim(), names: { [lang]: name }, position: page.components.length + 1 };
    if (await attempt(setError, () => post('/api/v1/status/components', body))) {
      setKey('');
      setName('');
      onChange();
    }
  };
  const remove = async (id: number) => {
    if (await attempt(setError, () => del(`/api/v1/status/components/${id}`))) onChange();
  };
  const keyError = fieldError(error, 'key');
  const nameError = fieldError(error, 'names');
  return (
    <section class="card" aria-labelledby="sa-components" data-testid="status-admin-components">
      <h2 id="sa-components" class="card-title">
        {t('status.components')}
      </h2>
      <ul class="status-admin-list">
        {page.components.map((c) => (
          <li key={c.id} data-testid="status-admin-component" data-key={c.key}>
            <strong>{c.name}</strong> <code>{c.key}</code> <ConditionBadge condition={c.condition} />{' '}
            <button type="button" class="btn btn-ghost btn-small" onClick={() => void remove(c.id)} data-testid="status-component-delete">
              {t('statusAdmin.remove')}
            </button>
            <Probes component={c.id} />
          </li>
        ))}
      </ul>
      <form class="admin-form" onSubmit={add} noValidate data-testid="status-component-form">
        <div class="admin-form-row">
          <TextField id="sc-key" label={t('statusAdmin.key')} error={keyError} hint={t('statusAdmin.keyHint')} value={key} onValue={setKey} testid="status-component-key" />
          <TextField id="sc-name" label={t('statusAdmin.name')} error={nameError} value={name} onValue={setName} testid="status-component-name" />
          <LanguageField id="sc-lang" value={lang} onValue={setLang} />
        </div>
        <ErrorBox error={error} testid="status-component-error" />
        <div class="form-actions">
          <button type="submit" class="btn btn-primary" data-testid="status-component-add">
            {t('statusAdmin.addComponent')}
          </button>
        </div>
      </form>
    </section>
  );
}

export function StatusAdminPage() {
  useTitle(t('nav.status'));
  const admin = currentUser()?.role === 'admin';
  const [page, setPage] = useState<StatusPage | null>(null);
  const [version, setVersion] = useState(0);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    get<StatusPage>('/api/v1/status?days=1').then(setPage, setError);
  }, [version]);
  const reload = () => setVersion((v) => v + 1);
  return (
    <div class="page page-wide status-admin" data-testid="status-admin">
      <h1>{t('nav.status')}</h1>
      <p class="muted">
        {t('statusAdmin.intro')}{' '}
        <a href="/status" data-testid="status-admin-public">
          {t('statusAdmin.viewPublic')}
        </a>
      </p>
      <ErrorBox error={error} />
      {!page ? (
        <Loading />
      ) : (
        <>
          <IncidentsSection page={page} onChange={reload} />
          <MaintenanceSection page={page} onChange={reload} />
          <SubscribersSection />
          {admin ? (
            <ComponentsSection page={page} onChange={reload} />
          ) : (
            <p class="muted" data-testid="status-admins-only">
              {t('statusAdmin.adminsOnly')}
            </p>
          )}
        </>
      )}
    </div>
  );
}
