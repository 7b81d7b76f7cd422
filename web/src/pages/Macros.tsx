// /agent/macros: canned replies. Agents keep their own; administrators also keep the shared
// ones every agent picks from. The body's placeholders are checked by the server on save.
import { useEffect, useState } from 'preact/hooks';
import { del, get, patch, post } from '../api';
import { Empty, ErrorBox, Loading, useTitle } from '../components/common';
import { FieldChanges } from '../components/Macros';
import { statusLabel, t } from '../i18n';
import { currentUser, loadGroups, loadPriorities, useList } from '../state';
import { STATUSES, type Macro, type Status } from '../types';

const PLACEHOLDERS = [
  '{{customer.name}}',
  '{{ticket.number}}',
  '{{ticket.subject}}',
  '{{ticket.priority}}',
  '{{ticket.priority_description}}',
  '{{ticket.due}}',
  '{{agent.name}}',
];

interface Draft {
  id: number | null; // null: a new macro
  name: string;
  body: string;
  shared: boolean;
  status: Status | '';
  priority: string;
  tags: string;
  group_id: string;
}

const EMPTY: Draft = { id: null, name: '', body: '', shared: false, status: '', priority: '', tags: '', group_id: '' };

function draftOf(m: Macro): Draft {
  return {
    id: m.id,
    name: m.name,
    body: m.body,
    shared: m.shared,
    status: m.status ?? '',
    priority: m.priority ?? '',
    tags: m.add_tags.join(', '),
    group_id: m.group_id === null ? '' : String(m.group_id),
  };
}

export function MacrosPage() {
  useTitle(t('macros.title'));
  const me = currentUser();
  const priorities = useList(loadPriorities);
  const groups = useList(loadGroups);
  const [items, setItems] = useState<Macro[] | null>(null);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const reload = () =>
    get<{ items: Macro[] }>('/api/v1/macros').then(
      (r) => setItems(r.items),
      (err) => setError(err),
    );
  useEffect(() => void reload(), []);

  const set = <K extends keyof Draft>(k: K, v: Draft[K]) => setDraft((d) => (d ? { ...d, [k]: v } : d));

  const save = async (e: Event) => {
    e.preventDefault();
    if (!draft || busy) return;
    setBusy(true);
    setError(null);
    const body = {
      name: draft.name,
      body: draft.body,
      status: draft.status || null,
      priority: draft.priority || null,
      add_tags: draft.tags
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean),
      group_id: draft.group_id ? Number(draft.group_id) : null,
    };
    try {
      if (draft.id === null) await post<Macro>('/api/v1/macros', { ...body, shared: draft.shared });
      else await patch<Macro>(`/api/v1/macros/${draft.id}`, body);
      setDraft(null);
      await reload();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const remove = async (m: Macro) => {
    if (!window.confirm(t('macros.confirmDelete', { name: m.name }))) return;
    setError(null);
    try {
      await del(`/api/v1/macros/${m.id}`);
      await reload();
    } catch (err) {
      setError(err);
    }
  };

  return (
    <div class="page page-wide" data-testid="macros-page">
      <header class="page-header">
        <h1>{t('macros.title')}</h1>
        <p class="muted">{t('macros.subtitle')}</p>
      </header>
      {!draft && (
        <div class="toolbar">
          <button type="button" class="btn btn-primary" data-testid="macro-new" onClick={() => setDraft({ ...EMPTY })}>
            {t('macros.new')}
          </button>
        </div>
      )}
      <ErrorBox error={error} testid="macro-error" />
      {draft && (
        <form class="card" onSubmit={save} data-testid="macro-form" noValidate>
          <h2 class="card-title">{draft.id === null ? t('macros.new') : t('macros.edit')}</h2>
          <div class="field">
            <label for="macro-name">{t('macros.name')}</label>
            <input id="macro-name" data-testid="macro-name" value={draft.name} maxLength={100} onInput={(e) => set('name', (e.currentTarget as HTMLInputElement).value)} />
          </div>
          <div class="field">
            <label for="macro-body">{t('macros.body')}</label>
            <textarea id="macro-body" data-testid="macro-body" rows={6} value={draft.body} aria-describedby="macro-body-hint" onInput={(e) => set('body', (e.currentTarget as HTMLTextAreaElement).value)} />
            <p id="macro-body-hint" class="hint">
              {t('macros.placeholders')} <code>{PLACEHOLDERS.join(' ')}</code>
            </p>
          </div>
          {draft.id === null && me?.role === 'admin' && (
            <div class="field">
              <label>
                <input type="checkbox" data-testid="macro-shared" checked={draft.shared} onChange={(e) => set('shared', (e.currentTarget as HTMLInputElement).checked)} />{' '}
                {t('macros.sharedLabel')}
              </label>
            </div>
          )}
          <fieldset class="plain">
            <legend>{t('macros.fieldsLegend')}</legend>
            <div class="field">
              <label for="macro-status">{t('field.status')}</label>
              <select id="macro-status" data-testid="macro-status" value={draft.status} onChange={(e) => set('status', (e.currentTarget as HTMLSelectElement).value as Status | '')}>
                <option value="">{t('macros.unchanged')}</option>
                {STATUSES.map((s) => (
                  <option key={s} value={s}>
                    {statusLabel(s)}
                  </option>
                ))}
              </select>
            </div>
            <div class="field">
              <label for="macro-priority">{t('field.priority')}</label>
              <select id="macro-priority" data-testid="macro-priority" value={draft.priority} onChange={(e) => set('priority', (e.currentTarget as HTMLSelectElement).value)}>
                <option value="">{t('macros.unchanged')}</option>
                {priorities.map((p) => (
                  <option key={p.name} value={p.name}>
                    {p.name}
                  </option>
                ))}
              </select>
            </div>
            <div class="field">
              <label for="macro-tags">{t('macros.addTags')}</label>
              <input id="macro-tags" data-testid="macro-tags" value={draft.tags} onInput={(e) => set('tags', (e.currentTarget as HTMLInputElement).value)} />
            </div>
            <div class="field">
              <label for="macro-group">{t('field.group')}</label>
              <select id="macro-group" data-testid="macro-group" value={draft.group_id} onChange={(e) => set('group_id', (e.currentTarget as HTMLSelectElement).value)}>
                <option value="">{t('macros.unchanged')}</option>
                {groups.map((g) => (
                  <option key={g.id} value={String(g.id)}>
                    {g.name}
                  </option>
                ))}
              </select>
            </div>
          </fieldset>
          <div class="form-actions">
            <button type="submit" class="btn btn-primary" disabled={busy} data-testid="macro-save">
              {t('common.save')}
            </button>
            <button type="button" class="btn btn-ghost" onClick={() => setDraft(null)}>
              {t('common.cancel')}
            </button>
          </div>
        </form>
      )}
      {!items && !error && <Loading />}
      {items && items.length === 0 && <Empty>{t('macros.empty')}</Empty>}
      {items && items.length > 0 && (
        <table class="table" data-testid="macro-list">
          <thead>
            <tr>
              <th scope="col">{t('macros.name')}</th>
              <th scope="col">{t('macros.kind')}</th>
              <th scope="col">{t('macros.fieldsLegend')}</th>
              <th scope="col">
                <span class="sr-only">{t('macros.actions')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {items.map((m) => (
              <tr key={m.id} data-testid="macro-row">
                <td>
                  <strong>{m.name}</strong>
                  <p class="muted small pre-wrap">{m.body}</p>
                </td>
                <td>{m.shared ? t('macros.shared') : t('macros.personal')}</td>
                <td>
                  <FieldChanges fields={m} />
                </td>
                <td>
                  {m.editable && (
                    <>
                      <button type="button" class="btn btn-small" data-testid="macro-edit" onClick={() => setDraft(draftOf(m))}>
                        {t('macros.edit')}
                      </button>{' '}
                      <button type="button" class="btn btn-ghost btn-small" data-testid="macro-delete" onClick={() => void remove(m)}>
                        {t('macros.delete')}
                      </button>
                    </>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
