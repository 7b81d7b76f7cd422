// The agent's lists with checkboxes and a bulk action bar: assign (agent or group), set the
// status or priority, add or remove a tag, or merge the chosen tickets into one of them, all
// through POST /api/v1/tickets/bulk, which reports each ticket's outcome (shown below the bar).
import { useState } from 'preact/hooks';
import { post } from '../api';
import { statusLabel, t, type MessageKey } from '../i18n';
import { loadAgents, loadGroups, useList } from '../state';
import { STATUSES, type BulkResult, type Priority, type Ticket } from '../types';
import { ErrorBox } from './common';
import { AgentTicketList } from './TicketList';

type Action = 'assignee' | 'group' | 'status' | 'priority' | 'add_tag' | 'remove_tag' | 'merge';
const ACTIONS: Record<Action, MessageKey> = {
  assignee: 'bulk.actionAssignee',
  group: 'bulk.actionGroup',
  status: 'bulk.actionStatus',
  priority: 'bulk.actionPriority',
  add_tag: 'bulk.actionAddTag',
  remove_tag: 'bulk.actionRemoveTag',
  merge: 'bulk.actionMerge',
};

export function BulkTicketList({ items, priorities, now, onChanged }: { items: Ticket[]; priorities: Priority[]; now: number; onChanged: () => void }) {
  const [chosen, setChosen] = useState<Set<number>>(new Set());
  const [action, setAction] = useState<Action>('assignee');
  const [value, setValue] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [report, setReport] = useState<BulkResult | null>(null);
  const agents = useList(loadAgents);
  const groups = useList(loadGroups);
  const shown = items.map((i) => i.number);
  const selected = shown.filter((n) => chosen.has(n));
  const all = selected.length === shown.length && shown.length > 0;

  const toggle = (n: number) =>
    setChosen((c) => {
      const next = new Set(c);
      if (next.has(n)) next.delete(n);
      else next.add(n);
      return next;
    });
  const toggleAll = () => setChosen(all ? new Set() : new Set(shown));

  const change = (): Record<string, unknown> | null => {
    if (value === '') return null;
    switch (action) {
      case 'assignee': return { assignee_id: value === 'none' ? null : Number(value) };
      case 'group': return { group_id: value === 'none' ? null : Number(value) };
      case 'status': return { status: value };
      case 'priority': return { priority: value };
      case 'add_tag': return { add_tags: [value.trim()] };
      case 'remove_tag': return { remove_tags: [value.trim()] };
      case 'merge': return { merge_into: Number(value) };
    }
  };

  const apply = async (e: Event) => {
    e.preventDefault();
    const body = change();
    if (!body || selected.length === 0) return;
    setBusy(true);
    setError(null);
    setReport(null);
    try {
      const r = await post<BulkResult>('/api/v1/tickets/bulk', { tickets: selected, ...body });
      setReport(r);
      setChosen(new Set(r.results.filter((x) => !x.ok).map((x) => x.ticket)));
      onChanged();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const valueField = () => {
    const common = { id: 'bulk-value', 'data-testid': 'bulk-value', value, onChange: (e: Event) => setValue((e.currentTarget as HTMLSelectElement).value) };
    const choose = <option value="">{t('bulk.choose')}</option>;
    switch (action) {
      case 'assignee':
        return (
          <select {...common}>
            {choose}
            <option value="none">{t('list.unassigned')}</option>
            {agents.map((a) => <option key={a.id} value={String(a.id)}>{a.name || a.email}</option>)}
          </select>
        );
      case 'group':
        return (
          <select {...common}>
            {choose}
            <option value="none">{t('common.none')}</option>
            {groups.map((g) => <option key={g.id} value={String(g.id)}>{g.name}</option>)}
          </select>
        );
      case 'status':
        return (
          <select {...common}>
            {choose}
            {STATUSES.filter((s) => s !== 'new').map((s) => <option key={s} value={s}>{statusLabel(s)}</option>)}
          </select>
        );
      case 'priority':
        return (
          <select {...common}>
            {choose}
            {priorities.map((p) => <option key={p.name} value={p.name}>{p.name}</option>)}
          </select>
        );
      case 'merge':
        return (
          <select {...common}>
            {choose}
            {selected.map((n) => <option key={n} value={String(n)}>#{n} {items.find((i) => i.number === n)?.subject ?? ''}</option>)}
          </select>
        );
      default:
        return <input {...common} onInput={(e) => setValue((e.currentTarget as HTMLInputElement).value)} placeholder={t('bulk.tagPlaceholder')} />;
    }
  };

  const failures = report?.results.filter((r) => !r.ok) ?? [];
  return (
    <>
      <form class="bulk-bar" onSubmit={apply} data-testid="bulk-bar" aria-label={t('bulk.label')} noValidate>
        <label>
          <input type="checkbox" checked={all} onChange={toggleAll} data-testid="select-all" /> {t('bulk.selectAll')}
        </label>
        <span class="muted" data-testid="bulk-count">
          {t('bulk.selected', { count: String(selected.length) })}
        </span>
        {selected.length > 0 && (
          <>
            <label for="bulk-action" class="sr-only">
              {t('bulk.action')}
            </label>
            <select
              id="bulk-action"
              data-testid="bulk-action"
              value={action}
              onChange={(e) => {
                setAction((e.currentTarget as HTMLSelectElement).value as Action);
                setValue('');
              }}
            >
              {(Object.keys(ACTIONS) as Action[]).map((a) => <option key={a} value={a}>{t(ACTIONS[a])}</option>)}
            </select>
            <label for="bulk-value" class="sr-only">
              {t('bulk.value')}
            </label>
            {valueField()}
            <button type="submit" class="btn btn-primary btn-small" disabled={busy || value === ''} data-testid="bulk-apply">
              {t('bulk.apply', { count: String(selected.length) })}
            </button>
          </>
        )}
      </form>
      <ErrorBox error={error} />
      {report && (
        <div class="notice bulk-report" role="status" data-testid="bulk-report">
          {t('bulk.report', { succeeded: String(report.succeeded), failed: String(report.failed) })}
          {failures.length > 0 && (
            <ul class="plain-list">
              {failures.map((f) => (
                <li key={f.ticket} data-testid="bulk-failure">
                  #{f.ticket}: {f.problem?.detail}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
      <AgentTicketList items={items} priorities={priorities} now={now} selection={{ chosen, toggle }} />
    </>
  );
}
