// People: agents (and administrators) and customers, searched by name or email and
// filtered by active; a form to add or change one, and to deactivate or reactivate them.
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { get, getAll, patch, post, qs } from '../api';
import { Empty, ErrorBox, Loading, useTitle } from '../components/common';
import { usePagedList } from '../hooks';
import { getLanguage, LANGUAGES, t } from '../i18n';
import { Link, navigate, setSearch, type Location } from '../router';
import { currentUser, loadGroups, useList } from '../state';
import type { Availability, Group, Organization, User } from '../types';
import { LoadMore } from './AgentLists';
import { ActiveBadge, AdminFrame, described, Field, fieldError, LanguageOptions, SearchForm, TimeZoneList } from './Admin';

type Kind = 'agent' | 'customer';

const loadOrganizations = () => getAll<Organization>('/api/v1/organizations');

export function AdminPeoplePage({ loc }: { loc: Location }) {
  useTitle(t('admin.people'));
  const kind: Kind = loc.search.get('kind') === 'agent' ? 'agent' : 'customer';
  const q = loc.search.get('q') ?? '';
  const active = loc.search.get('active') ?? 'true';
  const base = kind === 'agent' ? '/api/v1/agents' : '/api/v1/contacts';
  const list = usePagedList<User>(`${base}${qs({ q, active: active === 'all' ? undefined : active, limit: 50 })}`);
  const groups = useList(loadGroups);
  const organizations = useList(loadOrganizations);
  const orgName = useMemo(() => new Map(organizations.map((o) => [o.id, o.name])), [organizations]);
  const groupName = useMemo(() => new Map(groups.map((g) => [g.id, g.name])), [groups]);
  const tabs: { id: Kind; label: string }[] = [
    { id: 'customer', label: t('admin.customers') },
    { id: 'agent', label: t('admin.agents') },
  ];

  return (
    <AdminFrame section="people">
      <div class="page-head">
        <h1>{t('admin.people')}</h1>
        <Link href={`/agent/admin/people/new?kind=${kind}`} class="btn btn-primary" data-testid="person-new">
          {kind === 'agent' ? t('admin.newAgent') : t('admin.newCustomer')}
        </Link>
      </div>
      <div class="toolbar">
        <div class="tabs" role="group" aria-label={t('admin.people')}>
          {tabs.map((tab) => (
            <button
              key={tab.id}
              type="button"
              class="tab"
              aria-pressed={kind === tab.id}
              data-testid={`people-tab-${tab.id}`}
              onClick={() => setSearch({ kind: tab.id === 'customer' ? null : tab.id })}
            >
              {tab.label}
            </button>
          ))}
        </div>
        <SearchForm key={`${kind}-${q}`} id="people-search" value={q} label={t('admin.searchPeople')} testid="people-search" />
        <div class="inline-field">
          <label for="people-active">{t('admin.show')}</label>
          <select
            id="people-active"
            data-testid="people-active"
            value={active}
            onChange={(e) => setSearch({ active: (e.currentTarget as HTMLSelectElement).value === 'true' ? null : (e.currentTarget as HTMLSelectElement).value })}
          >
            <option value="true">{t('admin.showActive')}</option>
            <option value="false">{t('admin.showInactive')}</option>
            <option value="all">{t('admin.showAll')}</option>
          </select>
        </div>
      </div>
      <ErrorBox error={list.error} />
      {list.loading ? (
        <Loading />
      ) : list.items.length === 0 ? (
        <Empty>{q ? t('admin.noMatch', { q }) : t('admin.nobody')}</Empty>
      ) : (
        <div class="card table-wrap">
          <table class="table" data-testid="people-table">
            <thead>
              <tr>
                <th scope="col">{t('admin.name')}</th>
                <th scope="col">{t('admin.email')}</th>
                <th scope="col">{kind === 'agent' ? t('admin.groups') : t('admin.organization')}</th>
                <th scope="col">{t('admin.language')}</th>
                <th scope="col">{t('admin.status')}</th>
              </tr>
            </thead>
            <tbody>
              {list.items.map((u) => (
                <tr key={u.id} data-testid="person-row">
                  <td>
                    <Link href={`/agent/admin/${kind === 'agent' ? 'agents' : 'contacts'}/${u.id}`} data-testid="person-link">
                      {u.name || u.email}
                    </Link>
                    {u.role === 'admin' && <span class="muted small"> · {t('admin.roleAdmin')}</span>}
                  </td>
                  <td>{u.email}</td>
                  <td>
                    {kind === 'agent'
                      ? (u.group_ids ?? []).map((g) => groupName.get(g) ?? `#${g}`).join(', ')
                      : u.organization_id
                        ? orgName.get(u.organization_id) ?? `#${u.organization_id}`
                        : ''}
                  </td>
                  <td>{u.language}</td>
                  <td>
                    <ActiveBadge active={u.active} />
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

interface PersonDraft {
  email: string;
  name: string;
  language: string;
  time_zone: string;
  organization_id: string;
  role: 'agent' | 'admin';
  languages: string[];
  group_ids: number[];
  password: string;
}

function draftOf(u: User | null, organization: number | null): PersonDraft {
  return {
    email: u?.email ?? '',
    name: u?.name ?? '',
    language: u?.language ?? getLanguage(),
    time_zone: u?.time_zone ?? Intl.DateTimeFormat().resolvedOptions().timeZone ?? 'UTC',
    organization_id: u?.organization_id ? String(u.organization_id) : organization ? String(organization) : '',
    role: u?.role === 'admin' ? 'admin' : 'agent',
    languages: u?.languages ?? [],
    group_ids: u?.group_ids ?? [],
    password: '',
  };
}

/** Adds (`id` null) or changes an agent or a customer. */
export function AdminPersonPage({ kind, id, organization }: { kind: Kind; id: number | null; organization: number | null }) {
  const agent = kind === 'agent';
  const base = agent ? '/api/v1/agents' : '/api/v1/contacts';
  const [user, setUser] = useState<User | null>(null);
  const [draft, setDraft] = useState<PersonDraft>(() => draftOf(null, organization));
  const [loadError, setLoadError] = useState<unknown>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState(false);
  const groups = useList(loadGroups);
  const organizations = useList(loadOrganizations);
  const me = currentUser();
  const title = id === null ? (agent ? t('admin.newAgent') : t('admin.newCustomer')) : user?.name || user?.email || '';
  useTitle(title);

  useEffect(() => {
    if (id === null) return;
    get<User>(`${base}/${id}`).then(
      (u) => {
        setUser(u);
        setDraft(draftOf(u, null));
      },
      setLoadError,
    );
  }, [base, id]);

  const set = <K extends keyof PersonDraft>(k: K, v: PersonDraft[K]) => {
    setDraft((d) => ({ ...d, [k]: v }));
    setSaved(false);
  };
  // A new customer speaks and lives as their organization does, unless told otherwise.
  const chooseOrganization = (value: string) => {
    const org = organizations.find((o) => String(o.id) === value);
    setDraft((d) => ({
      ...d,
      organization_id: value,
      ...(id === null && org ? { language: org.language, time_zone: org.time_zone } : {}),
    }));
    setSaved(false);
  };
  const preset = useRef(false);
  useEffect(() => {
    if (preset.current || id !== null || !organization || organizations.length === 0) return;
    preset.current = true;
    chooseOrganization(String(organization));
  }, [organizations]);
  const toggle = <T,>(list: T[], v: T, on: boolean) => (on ? [...list.filter((x) => x !== v), v] : list.filter((x) => x !== v));

  const body = () => {
    const b: Record<string, unknown> = {
      email: draft.email.trim(),
      name: draft.name.trim(),
      language: draft.language,
      time_zone: draft.time_zone.trim(),
    };
    if (agent) {
      b.role = draft.role;
      b.languages = draft.languages;
      b.group_ids = draft.group_ids;
    } else {
      b.organization_id = draft.organization_id ? Number(draft.organization_id) : null;
    }
    if (id === null && draft.password) b.password = draft.password;
    return b;
  };

  const submit = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(null);
    setSaved(false);
    try {
      if (id === null) {
        const made = await post<User>(base, body());
        navigate(`/agent/admin/${agent ? 'agents' : 'contacts'}/${made.id}?created=1`);
        return;
      }
      const u = await patch<User>(`${base}/${id}`, body());
      setUser(u);
      setDraft(draftOf(u, null));
      setSaved(true);
    } catch (err) {
      setError(err);
    }
    setBusy(false);
  };

  const setActive = async (active: boolean) => {
    if (busy || id === null) return;
    setBusy(true);
    setError(null);
    try {
      const u = await patch<User>(`${base}/${id}`, { active });
      setUser(u);
      setSaved(false);
    } catch (err) {
      setError(err);
    }
    setBusy(false);
  };

  if (loadError) return <AdminFrame section="people"><ErrorBox error={loadError} /></AdminFrame>;
  if (id !== null && !user) return <AdminFrame section="people"><Loading /></AdminFrame>;

  const err = (f: string) => fieldError(error, f);
  const justCreated = new URLSearchParams(window.location.search).get('created') === '1';
  const self = me?.id === id;
  return (
    <AdminFrame section="people">
      <nav class="crumbs" aria-label={t('ticket.breadcrumb')}>
        <Link href={`/agent/admin/people${agent ? '?kind=agent' : ''}`}>{agent ? t('admin.agents') : t('admin.customers')}</Link>
        <span aria-hidden="true"> / </span>
        <span>{title}</span>
      </nav>
      <div class="page-head">
        <h1 data-testid="person-title">{title}</h1>
        {user && <ActiveBadge active={user.active} />}
      </div>
      {justCreated && !saved && !error && (
        <div class="alert alert-ok" role="status" data-testid="person-created">
          {t('admin.created')}
        </div>
      )}
      <form class="card form-card admin-form" onSubmit={submit} noValidate data-testid="person-form">
        <Field id="person-email" label={t('admin.email')} error={err('email')}>
          <input id="person-email" type="email" autoComplete="off" value={draft.email} data-testid="person-email" {...described('person-email', err('email'))}
            onInput={(e) => set('email', (e.currentTarget as HTMLInputElement).value)} />
        </Field>
        <Field id="person-name" label={t('admin.name')} error={err('name')}>
          <input id="person-name" type="text" value={draft.name} data-testid="person-name" {...described('person-name', err('name'))}
            onInput={(e) => set('name', (e.currentTarget as HTMLInputElement).value)} />
        </Field>
        {agent ? (
          <Field id="person-role" label={t('admin.role')} error={err('role')}>
            <select id="person-role" value={draft.role} data-testid="person-role" disabled={self} {...described('person-role', err('role'))}
              onChange={(e) => set('role', (e.currentTarget as HTMLSelectElement).value as 'agent' | 'admin')}>
              <option value="agent">{t('admin.roleAgent')}</option>
              <option value="admin">{t('admin.roleAdmin')}</option>
            </select>
          </Field>
        ) : (
          <Field id="person-organization" label={t('admin.organization')} error={err('organization_id')} hint={t('admin.organizationHint')}>
            <select id="person-organization" value={draft.organization_id} data-testid="person-organization" {...described('person-organization', err('organization_id'), t('admin.organizationHint'))}
              onChange={(e) => chooseOrganization((e.currentTarget as HTMLSelectElement).value)}>
              <option value="">{t('common.none')}</option>
              {organizations.map((o) => <option key={o.id} value={String(o.id)}>{o.name}</option>)}
            </select>
          </Field>
        )}
        <div class="admin-form-row">
          <Field id="person-language" label={t('admin.language')} error={err('language')}>
            <select id="person-language" value={draft.language} data-testid="person-language" {...described('person-language', err('language'))}
              onChange={(e) => set('language', (e.currentTarget as HTMLSelectElement).value)}>
              <LanguageOptions />
            </select>
          </Field>
          <Field id="person-tz" label={t('admin.timeZone')} error={err('time_zone')}>
            <input id="person-tz" type="text" list="person-tz-list" value={draft.time_zone} data-testid="person-tz" {...described('person-tz', err('time_zone'))}
              onInput={(e) => set('time_zone', (e.currentTarget as HTMLInputElement).value)} />
            <TimeZoneList id="person-tz-list" />
          </Field>
        </div>
        {agent && (
          <>
            <fieldset class="field admin-checks" aria-describedby={err('group_ids') ? 'person-groups-error' : undefined}>
              <legend>{t('admin.groups')}</legend>
              {groups.length === 0 && <p class="muted small">{t('admin.noGroups')}</p>}
              {groups.map((g: Group) => (
                <label key={g.id} class="check">
                  <input type="checkbox" checked={draft.group_ids.includes(g.id)} data-testid="person-group"
                    onChange={(e) => set('group_ids', toggle(draft.group_ids, g.id, (e.currentTarget as HTMLInputElement).checked))} />{' '}
                  {g.name}
                </label>
              ))}
              {err('group_ids') && <p class="field-error" id="person-groups-error">{err('group_ids')}</p>}
            </fieldset>
            <fieldset class="field admin-checks" aria-describedby={err('languages') ? 'person-languages-error' : 'person-languages-hint'}>
              <legend>{t('admin.answersIn')}</legend>
              {LANGUAGES.map((l) => (
                <label key={l.code} class="check">
                  <input type="checkbox" checked={draft.languages.includes(l.code)}
                    onChange={(e) => set('languages', toggle(draft.languages, l.code, (e.currentTarget as HTMLInputElement).checked))} />{' '}
                  <span lang={l.code}>{l.name}</span>
                </label>
              ))}
              {err('languages') ? <p class="field-error" id="person-languages-error">{err('languages')}</p> : <p class="hint" id="person-languages-hint">{t('admin.answersInHint')}</p>}
            </fieldset>
          </>
        )}
        {id === null && (
          <Field id="person-password" label={t('admin.password')} error={err('password')} hint={t('admin.passwordHint')}>
            <input id="person-password" type="password" autoComplete="new-password" value={draft.password} data-testid="person-password" {...described('person-password', err('password'), t('admin.passwordHint'))}
              onInput={(e) => set('password', (e.currentTarget as HTMLInputElement).value)} />
          </Field>
        )}
        <ErrorBox error={error} testid="person-error" />
        {saved && (
          <div class="alert alert-ok" role="status" data-testid="person-saved">
            {t('admin.saved')}
          </div>
        )}
        <div class="form-actions">
          <button type="submit" class="btn btn-primary" disabled={busy} data-testid="person-save">
            {busy ? t('common.saving') : id === null ? t('admin.create') : t('common.save')}
          </button>
          {user && !self && (
            user.active ? (
              <button type="button" class="btn btn-danger" disabled={busy} data-testid="person-deactivate" onClick={() => void setActive(false)}>
                {t('admin.deactivate')}
              </button>
            ) : (
              <button type="button" class="btn" disabled={busy} data-testid="person-reactivate" onClick={() => void setActive(true)}>
                {t('admin.reactivate')}
              </button>
            )
          )}
        </div>
        {user && !self && <p class="hint">{user.active ? t('admin.deactivateHint') : t('admin.inactiveHint')}</p>}
      </form>
      {agent && user && <AgentRouting id={user.id} />}
    </AdminFrame>
  );
}

// Routing's view of an agent (docs/routing.md): away or available, their own capacity (open
// tickets; empty: their group's in the policy) and their open work now.
function AgentRouting({ id }: { id: number }) {
  const path = `/api/v1/agents/${id}/availability`;
  const [state, setState] = useState<Availability | null>(null);
  const [capacity, setCapacity] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState(false);
  const show = (a: Availability) => {
    setState(a);
    setCapacity(a.capacity === null ? '' : String(a.capacity));
  };
  useEffect(() => {
    get<Availability>(path).then(show, setError);
  }, [path]);
  if (!state) return error ? <ErrorBox error={error} /> : null;
  const save = async (body: { away?: boolean; capacity?: number | null }) => {
    setBusy(true);
    setError(null);
    setSaved(false);
    try {
      show(await patch<Availability>(path, body));
      setSaved(true);
    } catch (err) {
      setError(err);
    }
    setBusy(false);
  };
  const submit = (e: Event) => {
    e.preventDefault();
    void save({ capacity: capacity.trim() === '' ? null : Number(capacity) });
  };
  const err = fieldError(error, 'capacity');
  return (
    <form class="card form-card admin-form" onSubmit={submit} noValidate data-testid="agent-routing" aria-labelledby="agent-routing-title">
      <h2 class="card-title" id="agent-routing-title">
        {t('admin.routing')}
      </h2>
      <p class="small" data-testid="agent-routing-state">
        {state.away ? t('availability.away') : t('availability.available')} · {t('admin.openWork', { n: state.open })}
      </p>
      <Field id="agent-capacity" label={t('admin.capacity')} error={err} hint={t('admin.capacityHint')}>
        <input id="agent-capacity" type="number" min={0} max={10000} inputMode="numeric" value={capacity} data-testid="agent-capacity"
          {...described('agent-capacity', err, t('admin.capacityHint'))}
          onInput={(e) => { setCapacity((e.currentTarget as HTMLInputElement).value); setSaved(false); }} />
      </Field>
      <ErrorBox error={err ? null : error} />
      {saved && (
        <div class="alert alert-ok" role="status" data-testid="agent-routing-saved">
          {t('admin.saved')}
        </div>
      )}
      <div class="form-actions">
        <button type="submit" class="btn" disabled={busy} data-testid="agent-capacity-save">
          {busy ? t('common.saving') : t('common.save')}
        </button>
        <button type="button" class="btn btn-ghost" disabled={busy} data-testid="agent-away-toggle" onClick={() => void save({ away: !state.away })}>
          {state.away ? t('admin.markAvailable') : t('admin.markAway')}
        </button>
      </div>
    </form>
  );
}
