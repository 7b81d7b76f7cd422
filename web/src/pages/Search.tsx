// /agent/search and /portal/search: the results of a search typed in the top bar, its filters
// as chips, and (agents) saving it as a view.
import { useEffect, useState } from 'preact/hooks';
import { qs } from '../api';
import { Empty, ErrorBox, Loading, PriorityBadge, RelTime, StatusBadge, useNow, useTitle } from '../components/common';
import { LockIcon } from '../components/icons';
import { SaveView } from '../components/SavedViews';
import { Marked, resultCount, searchPath } from '../components/Search';
import { usePagedList } from '../hooks';
import { formatDateTime, kindLabel, t } from '../i18n';
import { Link, navigate, type Location } from '../router';
import { findFilter, queryFilters, toggleFilter, withoutFilter } from '../search';
import { loadPriorities, useList } from '../state';
import type { Priority, TicketSearchHit, TicketSearchPage } from '../types';
import { LoadMore } from './AgentLists';

const PAGE = 25;

export function SearchPage({ loc, staff }: { loc: Location; staff: boolean }) {
  const q = (loc.search.get('q') ?? '').trim();
  useTitle(q ? t('search.titleFor', { q }) : t('search.title'));
  const [draft, setDraft] = useState(q);
  useEffect(() => setDraft(q), [q]);
  const priorities = useList(loadPriorities);
  const now = useNow();
  const list = usePagedList<TicketSearchHit, TicketSearchPage>(q ? `/api/v1/search/tickets${qs({ q, limit: PAGE })}` : null, {
    cursor: 'offset',
  });
  const go = (next: string) => navigate(searchPath(staff, next.trim()));

  // The most urgent priority of the policy, for the quick chip (P1 in the default policy).
  const top = priorities.find((p) => p.rank === 0)?.name ?? 'P1';
  const quick = staff
    ? [
        { id: 'open', filter: 'status:open', label: t('search.quickOpen') },
        { id: 'mine', filter: 'assignee:me', label: t('search.quickMine') },
        { id: 'priority', filter: `priority:${top}`, label: top },
        { id: 'unassigned', filter: 'assignee:none', label: t('search.quickUnassigned') },
      ]
    : [];
  const filters = queryFilters(q);

  return (
    <div class="page page-medium search-page">
      <h1>{t('search.title')}</h1>
      <form
        class="search-form"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          go(draft);
        }}
      >
        <label for="search-query" class="sr-only">
          {staff ? t('search.label') : t('search.labelPortal')}
        </label>
        <input
          id="search-query"
          type="search"
          value={draft}
          data-testid="search-query"
          aria-describedby="search-syntax"
          onInput={(e) => setDraft((e.currentTarget as HTMLInputElement).value)}
        />
        <button type="submit" class="btn btn-primary">
          {t('search.submit')}
        </button>
      </form>
      <p id="search-syntax" class="hint">
        {staff ? t('search.syntax') : t('search.syntaxPortal')}
      </p>
      {(filters.length > 0 || quick.length > 0) && (
        <div class="search-chips">
          {filters.length > 0 && (
            <ul class="chips" aria-label={t('search.filters')} data-testid="search-filters">
              {filters.map((f) => (
                <li key={`${f.start}-${f.text}`} class="chip chip-filter" data-testid="search-chip" data-filter={f.text}>
                  <span>{f.text}</span>
                  <button
                    type="button"
                    class="chip-remove"
                    aria-label={t('search.removeFilter', { filter: f.text })}
                    data-testid="search-chip-remove"
                    onClick={() => go(withoutFilter(q, f))}
                  >
                    ×
                  </button>
                </li>
              ))}
            </ul>
          )}
          {quick.length > 0 && (
            <div class="chips" role="group" aria-label={t('search.quick')}>
              {quick.map((c) => (
                <button
                  key={c.id}
                  type="button"
                  class="chip chip-quick"
                  aria-pressed={findFilter(q, c.filter) !== undefined}
                  data-testid={`quick-chip-${c.id}`}
                  title={c.filter}
                  onClick={() => go(toggleFilter(q, c.filter))}
                >
                  {c.label}
                </button>
              ))}
            </div>
          )}
        </div>
      )}
      {staff && q && <SaveView q={q} />}
      {!q ? (
        <Empty>{t('search.prompt')}</Empty>
      ) : (
        <>
          <ErrorBox error={list.error} testid="search-error" />
          {list.loading ? (
            <Loading />
          ) : list.error ? null : list.items.length === 0 ? (
            <Empty>
              <p data-testid="search-empty">{staff ? t('search.empty', { q }) : t('search.emptyPortal', { q })}</p>
              <p>{t('search.emptyHint')}</p>
            </Empty>
          ) : (
            <>
              <p class="search-summary muted" role="status" data-testid="search-count">
                {list.last && resultCount(list.last)}
              </p>
              {list.last?.ranked_recent && (
                <p class="notice" data-testid="search-ranked-recent">
                  {t('search.rankedRecent')}
                </p>
              )}
              <ul class="search-results" data-testid="search-results">
                {list.items.map((hit) => (
                  <SearchResult key={hit.ticket.number} hit={hit} staff={staff} priorities={priorities} now={now} />
                ))}
              </ul>
            </>
          )}
          {!list.loading && <LoadMore list={list} />}
        </>
      )}
    </div>
  );
}

function SearchResult({ hit, staff, priorities, now }: { hit: TicketSearchHit; staff: boolean; priorities: Priority[]; now: number }) {
  const tk = hit.ticket;
  const kind = hit.message?.kind;
  return (
    <li class="search-result" data-testid="search-result" data-number={tk.number}>
      <div class="search-result-head">
        <span class="cell-number">#{tk.number}</span>
        <Link href={`${staff ? '/agent' : '/portal'}/tickets/${tk.number}`} class="search-result-link" data-testid="search-result-link">
          <Marked html={hit.subject} />
        </Link>
        <span class="search-result-badges">
          <StatusBadge status={tk.status} customer={!staff} />
          {staff && <PriorityBadge name={tk.priority} priorities={priorities} />}
        </span>
      </div>
      <div class="sub">
        {tk.requester.name}
        {tk.organization?.name ? ` · ${tk.organization.name}` : ''} · <RelTime iso={tk.created_at} now={now} />
      </div>
      {hit.snippet && (
        <p class={`search-snippet${kind === 'internal_note' ? ' search-snippet-note' : ''}`} data-testid="search-snippet" data-kind={kind}>
          {kind && hit.message && (
            <span class="search-snippet-meta">
              <span class={`msg-kind kind-${kind}`}>
                {kind === 'internal_note' && <LockIcon size={11} />} {kindLabel(kind)}
              </span>{' '}
              <time dateTime={hit.message.created_at}>{formatDateTime(hit.message.created_at)}</time>
            </span>
          )}
          <span class="search-snippet-text">
            <Marked html={hit.snippet} />
          </span>
        </p>
      )}
    </li>
  );
}
