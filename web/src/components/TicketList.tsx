// The rows of the queue, the ticket list and the customer's requests.
import { t } from '../i18n';
import { Link } from '../router';
import type { Priority, Ticket } from '../types';
import { PriorityBadge, RelTime, StatusBadge } from './common';
import { NextDue } from './Sla';

/** Rows to choose for a bulk action (components/BulkActions.tsx): which are chosen, and a toggle. */
export interface RowSelection {
  chosen: Set<number>;
  toggle: (number: number) => void;
}

export function AgentTicketList({ items, priorities, now, selection }: { items: Ticket[]; priorities: Priority[]; now: number; selection?: RowSelection }) {
  return (
    <div class={`tickets tickets-agent${selection ? ' tickets-selectable' : ''}`} data-testid="ticket-list">
      <div class="ticket-head" aria-hidden="true">
        <span>#</span>
        <span>{t('list.subject')}</span>
        <span>{t('list.priority')}</span>
        <span>{t('list.status')}</span>
        <span>{t('list.nextDue')}</span>
        <span>{t('list.group')}</span>
        <span>{t('list.assignee')}</span>
        <span class="right">{t('list.age')}</span>
      </div>
      <ul class="ticket-rows">
        {items.map((tk) => (
          <li key={tk.number} class={`ticket-row status-row-${tk.status}`} data-testid="ticket-row" data-number={tk.number}>
            <span class="cell-number">
              {selection && (
                <input
                  type="checkbox"
                  class="row-check"
                  checked={selection.chosen.has(tk.number)}
                  onChange={() => selection.toggle(tk.number)}
                  aria-label={t('bulk.selectTicket', { number: String(tk.number) })}
                  data-testid="row-check"
                />
              )}
              #{tk.number}
            </span>
            <span class="cell-subject">
              <Link href={`/agent/tickets/${tk.number}`} class="row-link" data-testid="ticket-link">
                {tk.subject}
              </Link>
              {(tk.escalation_level ?? 0) > 0 && (
                <span class="badge badge-escalated" data-testid="escalated" title={t('list.escalatedHint', { level: String(tk.escalation_level) })}>
                  {t('list.escalated', { level: String(tk.escalation_level) })}
                </span>
              )}
              <span class="sub">
                {tk.requester.name}
                {tk.organization?.name ? ` · ${tk.organization.name}` : ''}
              </span>
            </span>
            <span class="cell-priority">
              <span class="cell-label">{t('list.priority')}</span>
              <PriorityBadge name={tk.priority} priorities={priorities} />
            </span>
            <span class="cell-status">
              <span class="cell-label">{t('list.status')}</span>
              <StatusBadge status={tk.status} />
            </span>
            <span class="cell-due">
              <span class="cell-label">{t('list.nextDue')}</span>
              <NextDue clocks={tk.clocks} now={now} />
            </span>
            <span class={`cell-group${tk.group ? '' : ' cell-empty'}`}>
              <span class="cell-label">{t('list.group')}</span>
              {tk.group?.name ?? <span class="muted">—</span>}
            </span>
            <span class="cell-assignee">
              <span class="cell-label">{t('list.assignee')}</span>
              {tk.assignee?.name ?? <span class="muted">{t('list.unassigned')}</span>}
            </span>
            <span class="cell-age">
              <RelTime iso={tk.created_at} now={now} />
            </span>
          </li>
        ))}
      </ul>
    </div>
  );
}
