// The administrators' area (/agent/admin…): people, organizations, groups, API tokens and the
// chatbot's flow.
// Each screen is a list with a search, and a form per record; what the server refuses is
// shown beside the field it names (problem+json `errors`) and as its sentence above the
// buttons. Only administrators see the area; agents reach the same API for contacts and
// organizations from their own screens.
import type { ComponentChildren, JSX } from 'preact';
import { useState } from 'preact/hooks';
import { ApiError } from '../api';
import { useTitle } from '../components/common';
import { LANGUAGES, t } from '../i18n';
import { Link, match, Redirect, setSearch, type Location } from '../router';
import { currentUser } from '../state';
import { AdminGroupPage, AdminGroupsPage } from './AdminGroups';
import { AdminOrganizationPage, AdminOrganizationsPage } from './AdminOrganizations';
import { AdminPeoplePage, AdminPersonPage } from './AdminPeople';
import { AdminTokensPage } from './AdminTokens';
import { AdminBotPage } from './AdminBot';

type Section = 'people' | 'organizations' | 'groups' | 'tokens' | 'bot';

/** The page for an /agent/admin… path, or null when there is none. */
export function adminPage(path: string, loc: Location): JSX.Element | null {
  if (!path.startsWith('/agent/admin')) return null;
  if (currentUser()?.role !== 'admin') return <AdminOnly />;
  if (path === '/agent/admin') return <Redirect to="/agent/admin/people" />;
  if (path === '/agent/admin/people') return <AdminPeoplePage loc={loc} />;
  if (path === '/agent/admin/people/new') {
    const kind = loc.search.get('kind') === 'agent' ? 'agent' : 'customer';
    const org = Number(loc.search.get('organization')) || null;
    return <AdminPersonPage key={`new-${kind}`} kind={kind} id={null} organization={org} />;
  }
  const agent = match('/agent/admin/agents/:id', path);
  if (agent) return <AdminPersonPage key={`a${agent.id}`} kind="agent" id={Number(agent.id)} organization={null} />;
  const contact = match('/agent/admin/contacts/:id', path);
  if (contact) return <AdminPersonPage key={`c${contact.id}`} kind="customer" id={Number(contact.id)} organization={null} />;
  if (path === '/agent/admin/organizations') return <AdminOrganizationsPage loc={loc} />;
  if (path === '/agent/admin/organizations/new') return <AdminOrganizationPage key="new" id={null} />;
  const org = match('/agent/admin/organizations/:id', path);
  if (org) return <AdminOrganizationPage key={org.id} id={Number(org.id)} />;
  if (path === '/agent/admin/groups') return <AdminGroupsPage />;
  if (path === '/agent/admin/groups/new') return <AdminGroupPage key="new" id={null} />;
  const group = match('/agent/admin/groups/:id', path);
  if (group) return <AdminGroupPage key={group.id} id={Number(group.id)} />;
  if (path === '/agent/admin/tokens') return <AdminTokensPage />;
  if (path === '/agent/admin/bot') return <AdminBotPage />;
  return null;
}

function AdminOnly() {
  useTitle(t('admin.title'));
  return (
    <div class="page page-narrow">
      <h1>{t('admin.title')}</h1>
      <p class="muted" data-testid="admin-only">
        {t('admin.onlyAdmins')}
      </p>
    </div>
  );
}

/** The area's frame: its title and the sections as tabs of links. */
export function AdminFrame({ section, children }: { section: Section; children: ComponentChildren }) {
  const sections: { id: Section; label: string }[] = [
    { id: 'people', label: t('admin.people') },
    { id: 'organizations', label: t('admin.organizations') },
    { id: 'groups', label: t('admin.groups') },
    { id: 'tokens', label: t('admin.tokens') },
    { id: 'bot', label: t('admin.bot') },
  ];
  return (
    <div class="page page-wide admin-page">
      <p class="eyebrow">{t('admin.title')}</p>
      <nav class="admin-nav" aria-label={t('admin.sections')}>
        {sections.map((s) => (
          <Link
            key={s.id}
            href={`/agent/admin/${s.id}`}
            class="admin-nav-link"
            data-testid={`admin-nav-${s.id}`}
            aria-current={s.id === section ? 'page' : undefined}
          >
            {s.label}
          </Link>
        ))}
      </nav>
      {children}
    </div>
  );
}

/** A search form that writes `q` into the address (so a list can be linked and reloaded). */
export function SearchForm({ id, value, label, testid }: { id: string; value: string; label: string; testid: string }) {
  const [text, setText] = useState(value);
  return (
    <form
      class="admin-search"
      role="search"
      onSubmit={(e) => {
        e.preventDefault();
        setSearch({ q: text.trim() });
      }}
    >
      <label for={id} class="sr-only">
        {label}
      </label>
      <input
        id={id}
        type="search"
        value={text}
        placeholder={label}
        data-testid={testid}
        onInput={(e) => setText((e.currentTarget as HTMLInputElement).value)}
      />
      <button type="submit" class="btn btn-small">
        {t('admin.search')}
      </button>
    </form>
  );
}

/** What the server said about `field` (or one of its items: `domains[1]`). */
export function fieldError(error: unknown, field: string): string | undefined {
  if (!(error instanceof ApiError)) return undefined;
  return error.errors.find((e) => e.field === field || e.field.startsWith(`${field}[`) || e.field.startsWith(`${field}.`))
    ?.message;
}

/** A labelled control with its server error (linked for screen readers) or its hint. */
export function Field({
  id,
  label,
  error,
  hint,
  children,
}: {
  id: string;
  label: string;
  error?: string;
  hint?: string;
  children: ComponentChildren;
}) {
  return (
    <div class="field">
      <label for={id}>{label}</label>
      {children}
      {error ? (
        <p class="field-error" id={`${id}-error`} data-testid={`${id}-error`}>
          {error}
        </p>
      ) : hint ? (
        <p class="hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
    </div>
  );
}

/** The aria attributes of a control whose Field may show an error. */
export function described(id: string, error?: string, hint?: string) {
  return {
    'aria-invalid': error ? ('true' as const) : undefined,
    'aria-describedby': error ? `${id}-error` : hint ? `${id}-hint` : undefined,
  };
}

export function LanguageOptions() {
  return (
    <>
      {LANGUAGES.map((l) => (
        <option key={l.code} value={l.code} lang={l.code}>
          {l.name}
        </option>
      ))}
    </>
  );
}

/** IANA time zones for a <datalist>, from the browser (any name typed is still sent). */
export function TimeZoneList({ id }: { id: string }) {
  const supported = (Intl as unknown as { supportedValuesOf?: (key: string) => string[] }).supportedValuesOf;
  const zones = supported ? supported('timeZone') : ['UTC'];
  return (
    <datalist id={id}>
      {zones.map((z) => (
        <option key={z} value={z} />
      ))}
    </datalist>
  );
}

export function ActiveBadge({ active }: { active: boolean }) {
  return (
    <span class={`badge ${active ? 'badge-active' : 'badge-inactive'}`} data-testid="active-badge">
      {active ? t('admin.active') : t('admin.inactive')}
    </span>
  );
}
