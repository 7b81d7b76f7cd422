// Groups of agents: their name and description, and their members. A member is an agent
// whose group_ids hold the group, so adding or removing one changes that agent.
import { useEffect, useState } from 'preact/hooks';
import { get, getAll, patch, post } from '../api';
import { Empty, ErrorBox, Loading, useTitle } from '../components/common';
import { t } from '../i18n';
import { Link, navigate } from '../router';
import { refreshGroupCaches } from '../state';
import type { Group, User } from '../types';
import { ActiveBadge, AdminFrame, described, Field, fieldError } from './Admin';

export function AdminGroupsPage() {
  useTitle(t('admin.groups'));
  const [groups, setGroups] = useState<Group[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    getAll<Group>('/api/v1/groups').then(setGroups, setError);
  }, []);
  return (
    <AdminFrame section="groups">
      <div class="page-head">
        <h1>{t('admin.groups')}</h1>
        <Link href="/agent/admin/groups/new" class="btn btn-primary" data-testid="group-new">
          {t('admin.newGroup')}
        </Link>
      </div>
      <ErrorBox error={error} />
      {!groups ? (
        !error && <Loading />
      ) : groups.length === 0 ? (
        <Empty>{t('admin.noGroups')}</Empty>
      ) : (
        <div class="card table-wrap">
          <table class="table" data-testid="group-table">
            <thead>
              <tr>
                <th scope="col">{t('admin.name')}</th>
                <th scope="col">{t('admin.description')}</th>
                <th scope="col">{t('admin.members')}</th>
              </tr>
            </thead>
            <tbody>
              {groups.map((g) => (
                <tr key={g.id} data-testid="group-row">
                  <td>
                    <Link href={`/agent/admin/groups/${g.id}`} data-testid="group-link">
                      {g.name}
                    </Link>
                  </td>
                  <td>{g.description}</td>
                  <td>{g.member_ids?.length ?? 0}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </AdminFrame>
  );
}

export function AdminGroupPage({ id }: { id: number | null }) {
  const [group, setGroup] = useState<Group | null>(null);
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [loadError, setLoadError] = useState<unknown>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState(false);
  const title = id === null ? t('admin.newGroup') : group?.name ?? '';
  useTitle(title);

  useEffect(() => {
    if (id === null) return;
    get<Group>(`/api/v1/groups/${id}`).then((g) => {
      setGroup(g);
      setName(g.name);
      setDescription(g.description);
    }, setLoadError);
  }, [id]);

  const submit = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(null);
    setSaved(false);
    const body = { name: name.trim(), description: description.trim() };
    try {
      if (id === null) {
        const made = await post<Group>('/api/v1/groups', body);
        refreshGroupCaches();
        navigate(`/agent/admin/groups/${made.id}`);
        return;
      }
      const g = await patch<Group>(`/api/v1/groups/${id}`, body);
      refreshGroupCaches();
      setGroup((old) => ({ ...g, member_ids: old?.member_ids }));
      setSaved(true);
    } catch (err) {
      setError(err);
    }
    setBusy(false);
  };

  if (loadError) return <AdminFrame section="groups"><ErrorBox error={loadError} /></AdminFrame>;
  if (id !== null && !group) return <AdminFrame section="groups"><Loading /></AdminFrame>;
  const err = (f: string) => fieldError(error, f);
  return (
    <AdminFrame section="groups">
      <nav class="crumbs" aria-label={t('ticket.breadcrumb')}>
        <Link href="/agent/admin/groups">{t('admin.groups')}</Link>
        <span aria-hidden="true"> / </span>
        <span>{title}</span>
      </nav>
      <h1 data-testid="group-title">{title}</h1>
      <div class="admin-columns">
        <form class="card form-card admin-form" onSubmit={submit} noValidate data-testid="group-form">
          <Field id="group-name" label={t('admin.name')} error={err('name')}>
            <input id="group-name" type="text" value={name} data-testid="group-name" {...described('group-name', err('name'))}
              onInput={(e) => { setName((e.currentTarget as HTMLInputElement).value); setSaved(false); }} />
          </Field>
          <Field id="group-description" label={t('admin.description')} error={err('description')}>
            <textarea id="group-description" rows={3} value={description} data-testid="group-description" {...described('group-description', err('description'))}
              onInput={(e) => { setDescription((e.currentTarget as HTMLTextAreaElement).value); setSaved(false); }} />
          </Field>
          <ErrorBox error={error} testid="group-error" />
          {saved && (
            <div class="alert alert-ok" role="status" data-testid="group-saved">
              {t('admin.saved')}
            </div>
          )}
          <div class="form-actions">
            <button type="submit" class="btn btn-primary" disabled={busy} data-testid="group-save">
              {busy ? t('common.saving') : id === null ? t('admin.create') : t('common.save')}
            </button>
          </div>
        </form>
        {group && <GroupMembers group={group} />}
      </div>
    </AdminFrame>
  );
}

function GroupMembers({ group }: { group: Group }) {
  const [agents, setAgents] = useState<User[] | null>(null);
  const [adding, setAdding] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [version, setVersion] = useState(0);

  useEffect(() => {
    getAll<User>('/api/v1/agents').then(setAgents, setError);
  }, [version]);

  // The agent as the server has it now, so the change keeps groups someone else just gave them.
  const change = async (agentId: number, member: boolean) => {
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      const fresh = await get<User>(`/api/v1/agents/${agentId}`);
      const others = (fresh.group_ids ?? []).filter((g) => g !== group.id);
      await patch<User>(`/api/v1/agents/${agentId}`, { group_ids: member ? [...others, group.id] : others });
      refreshGroupCaches();
      setAdding('');
      setVersion((v) => v + 1);
    } catch (e) {
      setError(e);
    }
    setBusy(false);
  };

  const members = (agents ?? []).filter((a) => a.group_ids?.includes(group.id));
  const others = (agents ?? []).filter((a) => a.active && !a.group_ids?.includes(group.id));
  return (
    <section class="card" aria-labelledby="group-members-title" data-testid="group-members">
      <h2 class="card-title" id="group-members-title">
        {t('admin.members')}
      </h2>
      <ErrorBox error={error} testid="group-members-error" />
      {!agents ? (
        !error && <Loading />
      ) : members.length === 0 ? (
        <p class="muted small">{t('admin.noMembers')}</p>
      ) : (
        <ul class="plain-list">
          {members.map((a) => (
            <li key={a.id} class="member" data-testid="group-member">
              <span>
                <Link href={`/agent/admin/agents/${a.id}`}>{a.name || a.email}</Link> <span class="muted small">{a.email}</span>{' '}
                {!a.active && <ActiveBadge active={false} />}
              </span>
              <button type="button" class="btn btn-ghost btn-small" disabled={busy} data-testid="group-member-remove"
                aria-label={t('admin.removeMember', { name: a.name || a.email })} onClick={() => void change(a.id, false)}>
                {t('admin.remove')}
              </button>
            </li>
          ))}
        </ul>
      )}
      {agents && others.length > 0 && (
        <form class="admin-add-member" onSubmit={(e) => { e.preventDefault(); if (adding) void change(Number(adding), true); }}>
          <label for="group-add-member">{t('admin.addMember')}</label>
          <div class="admin-inline">
            <select id="group-add-member" value={adding} data-testid="group-add-member" onChange={(e) => setAdding((e.currentTarget as HTMLSelectElement).value)}>
              <option value="">{t('admin.chooseAgent')}</option>
              {others.map((a) => <option key={a.id} value={String(a.id)}>{a.name ? `${a.name} <${a.email}>` : a.email}</option>)}
            </select>
            <button type="submit" class="btn btn-small" disabled={busy || !adding} data-testid="group-add-member-submit">
              {t('admin.add')}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
