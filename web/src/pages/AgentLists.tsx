// The agent's two lists: the queue (open work, most urgent first) and all tickets.
import { qs } from '../api';
import { useReloadOnClockJump, useServerNow } from '../clock';
import { Empty, ErrorBox, Loading, useTitle } from '../components/common';
import { PinnedViews } from '../components/SavedViews';
import { AgentTicketList } from '../components/TicketList';
import { usePagedList } from '../hooks';
import { statusLabel, t } from '../i18n';
import { setSearch, type Location } from '../router';
import { loadGroups, loadPriorities, useList } from '../state';
import { STATUSES, type Status, type Ticket } from '../types';
import { RefreshIcon } from '../components/icons';

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
        <Empty>{t('queue.empty')}</Empty>
      ) : (
        <AgentTicketList items={list.items} priorities={priorities} now={now} />
      )}
      {!list.loading && <LoadMore list={list} />}
    </div>
  );
}

export function TicketsPage({ loc }: { loc: Location }) {
  useTitle(t('tickets.title'));
  const now = useServerNow();
  const priorities = useList(loadPriorities);
  const selected = (loc.search.get('status') ?? '')
    .split(',')
    .filter((s): s is Status => (STATUSES as string[]).includes(s));
  const list = usePagedList<Ticket>(`/api/v1/tickets${qs({ status: selected.join(','), limit: PAGE })}`);
  useReloadOnClockJump(list.reload);

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
      <ErrorBox error={list.error} />
      {list.loading ? (
        <Loading />
      ) : list.items.length === 0 && !list.error ? (
        <Empty>{t('tickets.empty')}</Empty>
      ) : (
        <AgentTicketList items={list.items} priorities={priorities} now={now} />
      )}
      {!list.loading && <LoadMore list={list} />}
    </div>
  );
}

