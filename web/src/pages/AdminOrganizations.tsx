// Organizations: searched by name or domain; a form for the plan (from the policy in
// effect), mail domains, language, time zone and notes; deactivating and reactivating (its
// people are locked out, its tickets stay); and the organization's customers.
import { useEffect, useState } from 'preact/hooks';
import { get, getAll, patch, post, put, qs } from '../api';
import { Empty, ErrorBox, Loading, useTitle } from '../components/common';
import { usePagedList } from '../hooks';
import { getLanguage, t } from '../i18n';
import { Link, navigate, type Location } from '../router';
import type { Organization, Policy, User } from '../types';
import { LoadMore } from './AgentLists';
import { ActiveBadge, AdminFrame, described, Field, fieldError, LanguageOptions, SearchForm, TimeZoneList } from './Admin';

export function AdminOrganizationsPage({ loc }: { loc: Location }) {
  useTitle(t('admin.organizations'));
  const q = loc.search.get('q') ?? '';
  const list = usePagedList<Organization>(`/api/v1/organizations${qs({ q, limit: 50 })}`);
  return (
    <AdminFrame section="organizations">
      <div class="page-head">
        <h1>{t('admin.organizations')}</h1>
        <Link href="/agent/admin/organizations/new" class="btn btn-primary" data-testid="organization-new">
          {t('admin.newOrganization')}
        </Link>
      </div>
      <div class="toolbar">
        <SearchForm key={q} id="organization-search" value={q} label={t('admin.searchOrganizations')} testid="organization-search" />
      </div>
      <ErrorBox error={list.error} />
      {list.loading ? (
        <Loading />
      ) : list.items.length === 0 ? (
        <Empty>{q ? t('admin.noMatch', { q }) : t('admin.noOrganizations')}</Empty>
      ) : (
        <div class="card table-wrap">
          <table class="table" data-testid="organization-table">
            <thead>
              <tr>
                <th scope="col">{t('admin.name')}</th>
                <th scope="col">{t('admin.plan')}</th>
                <th scope="col">{t('admin.domains')}</th>
                <th scope="col">{t('admin.language')}</th>
                <th scope="col">{t('admin.timeZone')}</th>
                <th scope="col">{t('admin.status')}</th>
              </tr>
            </thead>
            <tbody>
              {list.items.map((o) => (
                <tr key={o.id} data-testid="organization-row">
                  <td>
                    <Link href={`/agent/admin/organizations/${o.id}`} data-testid="organization-link">
                      {o.name}
                    </Link>
                  </td>
                  <td>{o.plan || <span class="muted">{t('admin.noPlan')}</span>}</td>
                  <td>{o.domains.join(', ')}</td>
                  <td>{o.language}</td>
                  <td>{o.time_zone}</td>
                  <td>
                    <ActiveBadge active={o.active} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <LoadMore list={list} />
    </AdminFrame>
  );
}

interface OrganizationDraft {
  name: string;
  plan: string;
  domains: string;
  language: string;
  time_zone: string;
  notes: string;
}

function draftOf(o: Organization | null): OrganizationDraft {
  return {
    name: o?.name ?? '',
    plan: o?.plan ?? '',
    domains: o?.domains.join(', ') ?? '',
    language: o?.language ?? getLanguage(),
    time_zone: o?.time_zone ?? Intl.DateTimeFormat().resolvedOptions().timeZone ?? 'UTC',
    notes: o?.notes ?? '',
  };
}

/** "acme.com, acme.com.br" or one per line, as the list the API takes. */
export function splitDomains(text: string): string[] {
  return text
    .split(/[\s,;]+/)
    .map((d) => d.trim())
    .filter(Boolean);
}

export function AdminOrganizationPage({ id }: { id: number | null }) {
  const [org, setOrg] = useState<Organization | null>(null);
  const [draft, setDraft] = useState<OrganizationDraft>(() => draftOf(null));
  const [plans, setPlans] = useState<Policy['plans']>([]);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState(false);
  const title = id === null ? t('admin.newOrganization') : org?.name ?? '';
  useTitle(title);

  useEffect(() => {
    get<Policy>('/api/v1/policy').then((p) => setPlans(p.plans), () => setPlans([]));
    if (id === null) return;
    get<Organization>(`/api/v1/organizations/${id}`).then((o) => {
      setOrg(o);
      setDraft(draftOf(o));
    }, setLoadError);
  }, [id]);

  const setActive = async (active: boolean) => {
    if (busy || id === null) return;
    setBusy(true);
    setError(null);
    try {
      setOrg(await patch<Organization>(`/api/v1/organizations/${id}`, { active }));
      setSaved(false);
    } catch (err) {
      setError(err);
    }
    setBusy(false);
  };

  const set = <K extends keyof OrganizationDraft>(k: K, v: OrganizationDraft[K]) => {
    setDraft((d) => ({ ...d, [k]: v }));
    setSaved(false);
  };

  const submit = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(null);
    setSaved(false);
    const body = {
      name: draft.name.trim(),
      plan: draft.plan,
      domains: splitDomains(draft.domains),
      language: draft.language,
      time_zone: draft.time_zone.trim(),
      notes: draft.notes,
    };
    try {
      if (id === null) {
        const made = await post<Organization>('/api/v1/organizations', body);
        navigate(`/agent/admin/organizations/${made.id}`);
        return;
      }
      const o = await patch<Organization>(`/api/v1/organizations/${id}`, body);
      setOrg(o);
      setDraft(draftOf(o));
      setSaved(true);
    } catch (err) {
      setError(err);
    }
    setBusy(false);
  };

  if (loadError) return <AdminFrame section="organizations"><ErrorBox error={loadError} /></AdminFrame>;
  if (id !== null && !org) return <AdminFrame section="organizations"><Loading /></AdminFrame>;
  const err = (f: string) => fieldError(error, f);
  // A plan the policy no longer has stays choosable, so saving other fields keeps it.
  const planOptions = draft.plan && !plans.some((p) => p.key === draft.plan) ? [...plans, { key: draft.plan, name: draft.plan }] : plans;

  return (
    <AdminFrame section="organizations">
      <nav class="crumbs" aria-label={t('ticket.breadcrumb')}>
        <Link href="/agent/admin/organizations">{t('admin.organizations')}</Link>
        <span aria-hidden="true"> / </span>
        <span>{title}</span>
      </nav>
      <div class="page-head">
        <h1 data-testid="organization-title">{title}</h1>
        {org && <ActiveBadge active={org.active} />}
      </div>
      <div class="admin-columns">
        <form class="card form-card admin-form" onSubmit={submit} noValidate data-testid="organization-form">
          <Field id="organization-name" label={t('admin.name')} error={err('name')}>
            <input id="organization-name" type="text" value={draft.name} data-testid="organization-name" {...described('organization-name', err('name'))}
              onInput={(e) => set('name', (e.currentTarget as HTMLInputElement).value)} />
          </Field>
          <Field id="organization-plan" label={t('admin.plan')} error={err('plan')} hint={t('admin.planHint')}>
            <select id="organization-plan" value={draft.plan} data-testid="organization-plan" {...described('organization-plan', err('plan'), t('admin.planHint'))}
              onChange={(e) => set('plan', (e.currentTarget as HTMLSelectElement).value)}>
              <option value="">{t('admin.noPlan')}</option>
              {planOptions.map((p) => <option key={p.key} value={p.key}>{p.name === p.key ? p.key : `${p.name} (${p.key})`}</option>)}
            </select>
          </Field>
          <Field id="organization-domains" label={t('admin.domains')} error={err('domains')} hint={t('admin.domainsHint')}>
            <input id="organization-domains" type="text" value={draft.domains} data-testid="organization-domains" {...described('organization-domains', err('domains'), t('admin.domainsHint'))}
              onInput={(e) => set('domains', (e.currentTarget as HTMLInputElement).value)} />
          </Field>
          <div class="admin-form-row">
            <Field id="organization-language" label={t('admin.language')} error={err('language')} hint={t('admin.orgLanguageHint')}>
              <select id="organization-language" value={draft.language} data-testid="organization-language" {...described('organization-language', err('language'), t('admin.orgLanguageHint'))}
                onChange={(e) => set('language', (e.currentTarget as HTMLSelectElement).value)}>
                <LanguageOptions />
              </select>
            </Field>
            <Field id="organization-tz" label={t('admin.timeZone')} error={err('time_zone')}>
              <input id="organization-tz" type="text" list="organization-tz-list" value={draft.time_zone} data-testid="organization-tz" {...described('organization-tz', err('time_zone'))}
                onInput={(e) => set('time_zone', (e.currentTarget as HTMLInputElement).value)} />
              <TimeZoneList id="organization-tz-list" />
            </Field>
          </div>
          <Field id="organization-notes" label={t('admin.notes')} error={err('notes')} hint={t('admin.notesHint')}>
            <textarea id="organization-notes" rows={4} value={draft.notes} data-testid="organization-notes" {...described('organization-notes', err('notes'), t('admin.notesHint'))}
              onInput={(e) => set('notes', (e.currentTarget as HTMLTextAreaElement).value)} />
          </Field>
          <ErrorBox error={error} testid="organization-error" />
          {saved && (
            <div class="alert alert-ok" role="status" data-testid="organization-saved">
              {t('admin.saved')}
            </div>
          )}
          <div class="form-actions">
            <button type="submit" class="btn btn-primary" disabled={busy} data-testid="organization-save">
              {busy ? t('common.saving') : id === null ? t('admin.create') : t('common.save')}
            </button>
            {org && (
              org.active ? (
                <button type="button" class="btn btn-danger" disabled={busy} data-testid="organization-deactivate" onClick={() => void setActive(false)}>
                  {t('admin.deactivate')}
                </button>
              ) : (
                <button type="button" class="btn" disabled={busy} data-testid="organization-reactivate" onClick={() => void setActive(true)}>
                  {t('admin.reactivate')}
                </button>
              )
            )}
          </div>
          {org && <p class="hint" data-testid="organization-active-hint">{org.active ? t('admin.orgDeactivateHint') : t('admin.orgInactiveHint')}</p>}
        </form>
        {org && (
          <div class="admin-side">
            <OrganizationTam org={org} plans={plans} />
            <OrganizationContacts org={org} />
          </div>
        )}
      </div>
    </AdminFrame>
  );
}

interface Tam {
  tam_id: number | null;
  tam_backup_id: number | null;
}

// The organization's technical account manager and backup (docs/routing.md): new tickets go
// to them first when the organization's plan has the tam feature.
function OrganizationTam({ org, plans }: { org: Organization; plans: Policy['plans'] }) {
  const [tam, setTam] = useState<Tam | null>(null);
  const [agents, setAgents] = useState<User[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState(false);
  const path = `/api/v1/organizations/${org.id}/tam`;
  useEffect(() => {
    get<Tam>(path).then(setTam, setError);
    getAll<User>(`/api/v1/agents${qs({ active: 'true' })}`).then(setAgents, () => setAgents([]));
  }, [path]);
  if (!tam) return error ? <ErrorBox error={error} /> : null;
  const planHasTam = plans.find((p) => p.key === org.plan)?.features.includes('tam') ?? false;
  const choose = (k: keyof Tam, v: string) => {
    setTam({ ...tam, [k]: v ? Number(v) : null });
    setSaved(false);
  };
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      setTam(await put<Tam>(path, tam));
      setSaved(true);
    } catch (err) {
      setError(err);
    }
    setBusy(false);
  };
  const err = (f: string) => fieldError(error, f);
  const select = (k: keyof Tam, id: string, label: string) => (
    <Field id={id} label={label} error={err(k)}>
      <select id={id} data-testid={id} value={tam[k] ?? ''} {...described(id, err(k))}
        onChange={(e) => choose(k, (e.currentTarget as HTMLSelectElement).value)}>
        <option value="">{t('common.none')}</option>
        {agents.map((a) => <option key={a.id} value={a.id}>{a.name || a.email}</option>)}
      </select>
    </Field>
  );
  return (
    <form class="card form-card" onSubmit={submit} noValidate data-testid="organization-tam" aria-labelledby="organization-tam-title">
      <h2 class="card-title" id="organization-tam-title">
        {t('admin.tam')}
      </h2>
      <p class="muted small">{planHasTam ? t('admin.tamHint') : t('admin.tamPlanHint')}</p>
      {select('tam_id', 'organization-tam-id', t('admin.tamAgent'))}
      {select('tam_backup_id', 'organization-tam-backup', t('admin.tamBackup'))}
      <ErrorBox error={error} />
      {saved && (
        <div class="alert alert-ok" role="status" data-testid="organization-tam-saved">
          {t('admin.saved')}
        </div>
      )}
      <div class="form-actions">
        <button type="submit" class="btn" disabled={busy} data-testid="organization-tam-save">
          {busy ? t('common.saving') : t('common.save')}
        </button>
      </div>
    </form>
  );
}

function OrganizationContacts({ org }: { org: Organization }) {
  const list = usePagedList<User>(`/api/v1/contacts${qs({ organization_id: org.id, limit: 50 })}`);
  return (
    <section class="card" aria-labelledby="organization-contacts-title" data-testid="organization-contacts">
      <div class="card-head">
        <h2 class="card-title" id="organization-contacts-title">
          {t('admin.customers')}
        </h2>
        <Link href={`/agent/admin/people/new?kind=customer&organization=${org.id}`} class="btn btn-small" data-testid="organization-add-contact">
          {t('admin.newCustomer')}
        </Link>
      </div>
      <ErrorBox error={list.error} />
      {list.loading ? (
        <Loading />
      ) : list.items.length === 0 ? (
        <p class="muted small">{t('admin.noCustomers')}</p>
      ) : (
        <ul class="plain-list">
          {list.items.map((u) => (
            <li key={u.id} data-testid="organization-contact">
              <Link href={`/agent/admin/contacts/${u.id}`}>{u.name || u.email}</Link> <span class="muted small">{u.email}</span>{' '}
              {!u.active && <ActiveBadge active={false} />}
            </li>
          ))}
        </ul>
      )}
      <LoadMore list={list} />
    </section>
  );
}
