// The agent's two lists: the queue (open work, most urgent first) and all tickets.
import { qs } from '../api';
import { useReloadOnClockJump, useServerNow } from '../clock';
import { Empty, ErrorBox, Loading, useTitle } from '../components/common';
import { PinnedViews } from '../components/SavedViews';
import { BulkTicketList } from '../components/BulkActions';
import { AgentTicketList } from '../components/TicketList';
import { usePagedList } from '../hooks';
import { statusLabel, t } from '../i18n';
import { setSearch, type Location } from '../router';
import { loadAgents, loadGroups, loadPriorities, useList } from '../state';
import { STATUSES, type Priority, type Status, type Ticket } from '../types';
import { RefreshIcon } from '../components/icons';
import { LiveListNotice } from '../components/LiveNotice';
import { useRefreshOnLiveEvents } from '../live';

const PAGE = 50;

type View = 'all' | 'mine' | 'unassigned';
type Order = 'priority' | 'due';

export function LoadMore({ list }: { list: { hasMore: boolean; loadingMore: boolean; loadMore: () => void } }) {
  if (!list.hasMore) return null;
  return (
    <div class="load-more">
      <button type="button" class="btn" onClick={list.loadMore} disabled={list.loadingMore} data-testid="load-more">
        {list.loadingMore ? t('common.loading') : t('list.loadMore')}
      </button>
    </div>
  );
}

export function QueuePage({ loc }: { loc: Location }) {
  useTitle(t('queue.title'));
  const now = useServerNow();
  const priorities = useList(loadPriorities);
  const groups = useList(loadGroups);
  const raw = loc.search.get('view');
  const view: View = raw === 'mine' || raw === 'unassigned' ? raw : 'all';
  const order: Order = loc.search.get('order') === 'due' ? 'due' : 'priority';
  const group = loc.search.get('group') ?? '';
  const assignee = view === 'mine' ? 'me' : view === 'unassigned' ? 'none' : undefined;
  const list = usePagedList<Ticket>(
    `/api/v1/queue${qs({ assignee_id: assignee, group_id: group, order: order === 'due' ? 'due' : undefined, limit: PAGE })}`,
  );
  useReloadOnClockJump(list.reload);

  const orders: { id: Order; label: string }[] = [
    { id: 'priority', label: t('queue.orderPriority') },
    { id: 'due', label: t('queue.orderDue') },
  ];

  const tabs: { id: View; label: string }[] = [
    { id: 'all', label: t('queue.all') },
    { id: 'mine', label: t('queue.mine') },
    { id: 'unassigned', label: t('queue.unassigned') },
  ];

  return (
    <div class="page page-wide">
      <div class="page-head">
        <div>
          <h1>{t('queue.title')}</h1>
          <p class="muted">{order === 'due' ? t('queue.subtitleDue') : t('queue.subtitle')}</p>
        </div>
        <button type="button" class="btn btn-ghost btn-small" onClick={list.reload} data-testid="refresh">
          <RefreshIcon /> {t('common.refresh')}
        </button>
      </div>
      <LiveListNotice refresh={list.refresh} />
      <PinnedViews />
      <div class="toolbar">
        <div class="tabs" role="group" aria-label={t('queue.filter')}>
          {tabs.map((tab) => (
            <button
              key={tab.id}
              type="button"
              class="tab"
              aria-pressed={view === tab.id}
              data-testid={`queue-tab-${tab.id}`}
              onClick={() => setSearch({ view: tab.id === 'all' ? null : tab.id })}
            >
              {tab.label}
            </button>
          ))}
        </div>
        <div class="inline-field">
          <label for="group-filter">{t('queue.group')}</label>
          <select
            id="group-filter"
            data-testid="group-filter"
            value={group}
            onChange={(e) => setSearch({ group: (e.currentTarget as HTMLSelectElement).value })}
          >
            <option value="">{t('queue.allGroups')}</option>
            {groups.map((g) => (
              <option key={g.id} value={String(g.id)}>
                {g.name}
              </option>
            ))}
          </select>
        </div>
        <div class="inline-field sort-field">
          <span class="label" id="queue-order-label">
            {t('queue.order')}
          </span>
          <div class="tabs" role="group" aria-labelledby="queue-order-label">
            {orders.map((o) => (
              <button
                key={o.id}
                type="button"
                class="tab"
                aria-pressed={order === o.id}
                data-testid={`queue-order-${o.id}`}
                onClick={() => setSearch({ order: o.id === 'priority' ? null : o.id })}
              >
                {o.label}
              </button>
            ))}
          </div>
        </div>
      </div>
      <ErrorBox error={list.error} />
      {list.loading ? (
        <Loading />
      ) : list.items.length === 0 && !list.error ? (
        <Empty>{view === 'mine' ? t('queue.emptyMine') : t('queue.empty')}</Empty>
      ) : (
        <BulkTicketList items={list.items} priorities={priorities} now={now} onChanged={list.refresh} />
      )}
      {!list.loading && <LoadMore list={list} />}
      {view === 'mine' && <MineWaiting group={group} priorities={priorities} now={now} />}
    </div>
  );
}

// The agent's own tickets that are out of the queue for now (waiting on the customer, on
// hold): still theirs, so "Mine" shows them below the work that is due.
function MineWaiting({ group, priorities, now }: { group: string; priorities: Priority[]; now: number }) {
  const list = usePagedList<Ticket>(
    `/api/v1/tickets${qs({ assignee_id: 'me', status: 'pending_customer,on_hold', group_id: group, limit: PAGE })}`,
  );
  useReloadOnClockJump(list.reload);
  // A customer's answer brings a waiting ticket back to the queue above.
  useRefreshOnLiveEvents(list.refresh);
  if (list.loading || (list.items.length === 0 && !list.error)) return null;
  return (
    <section class="mine-waiting" data-testid="mine-waiting">
      <h2>{t('queue.mineWaiting')}</h2>
      <p class="muted">{t('queue.mineWaitingHint')}</p>
      <ErrorBox error={list.error} />
      <AgentTicketList items={list.items} priorities={priorities} now={now} />
      <LoadMore list={list} />
    </section>
  );
}

export function TicketsPage({ loc }: { loc: Location }) {
  useTitle(t('tickets.title'));
  const now = useServerNow();
  const priorities = useList(loadPriorities);
  const groups = useList(loadGroups);
  const agents = useList(loadAgents);
  const selected = (loc.search.get('status') ?? '')
    .split(',')
    .filter((s): s is Status => (STATUSES as string[]).includes(s));
  const assignee = loc.search.get('assignee') ?? '';
  const group = loc.search.get('group') ?? '';
  const priority = loc.search.get('priority') ?? '';
  const list = usePagedList<Ticket>(
    `/api/v1/tickets${qs({ status: selected.join(','), assignee_id: assignee, group_id: group, priority, limit: PAGE })}`,
  );
  useReloadOnClockJump(list.reload);
  const select = (id: string, label: string, value: string, key: string, options: { value: string; label: string }[], any: string) => (
    <div class="inline-field">
      <label for={id}>{label}</label>
      <select id={id} data-testid={id} value={value} onChange={(e) => setSearch({ [key]: (e.currentTarget as HTMLSelectElement).value || null })}>
        <option value="">{any}</option>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );

  const toggle = (s: Status) => {
    const nextSel = selected.includes(s) ? selected.filter((x) => x !== s) : [...selected, s];
    const ordered = STATUSES.filter((x) => nextSel.includes(x));
    setSearch({ status: ordered.join(',') });
  };

  return (
    <div class="page page-wide">
      <div class="page-head">
        <div>
          <h1>{t('tickets.title')}</h1>
          <p class="muted">{t('tickets.subtitle')}</p>
        </div>
        <button type="button" class="btn btn-ghost btn-small" onClick={list.reload}>
          <RefreshIcon /> {t('common.refresh')}
        </button>
      </div>
      <LiveListNotice refresh={list.refresh} />
      <div class="toolbar">
        <div class="chips" role="group" aria-label={t('tickets.filter')}>
          <button
            type="button"
            class="chip"
            aria-pressed={selected.length === 0}
            data-testid="status-chip-all"
            onClick={() => setSearch({ status: null })}
          >
            {t('tickets.anyStatus')}
          </button>
          {STATUSES.map((s) => (
            <button
              key={s}
              type="button"
              class={`chip chip-${s}`}
              aria-pressed={selected.includes(s)}
              data-testid={`status-chip-${s}`}
              onClick={() => toggle(s)}
            >
              <span class={`dot status-${s}`} aria-hidden="true" />
              {statusLabel(s)}
            </button>
          ))}
        </div>
      </div>
      <div class="toolbar">
        {select('tickets-assignee', t('tickets.assignee'), assignee, 'assignee',
          [{ value: 'me', label: t('tickets.assigneeMe') }, { value: 'none', label: t('tickets.assigneeNone') },
            ...agents.map((a) => ({ value: String(a.id), label: a.name || a.email }))], t('tickets.anyone'))}
        {select('tickets-group', t('queue.group'), group, 'group', groups.map((g) => ({ value: String(g.id), label: g.name })), t('queue.allGroups'))}
        {select('tickets-priority', t('tickets.priority'), priority, 'priority', priorities.map((p) => ({ value: p.name, label: p.name })), t('tickets.anyPriority'))}
      </div>
      <ErrorBox error={list.error} />
      {list.loading ? (
        <Loading />
      ) : list.items.length === 0 && !list.error ? (
        <Empty>{t('tickets.empty')}</Empty>
      ) : (
        <BulkTicketList items={list.items} priorities={priorities} now={now} onChanged={list.refresh} />
      )}
      {!list.loading && <LoadMore list={list} />}
    </div>
  );
}

