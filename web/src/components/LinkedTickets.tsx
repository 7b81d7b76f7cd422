// Tickets linked to this one: a reply from someone other than the requester, or a reply after
// closing, opens a new ticket that points at the one it answered.
import { t } from '../i18n';
import { Link } from '../router';
import type { TicketLink } from '../types';
import { StatusBadge } from './common';

export function LinkedTickets({ links, base, customer }: { links?: TicketLink[]; base: string; customer?: boolean }) {
  if (!links?.length) return null;
  return (
    <section class="card linked-tickets" data-testid="linked-tickets" aria-label={t('links.title')}>
      <h2 class="card-title">{t('links.title')}</h2>
      <ul class="plain-list">
        {links.map((l) => (
          <li key={l.ticket} data-testid="linked-ticket">
            <Link href={`${base}/${l.ticket}`}>
              #{l.ticket} {l.subject}
            </Link>{' '}
            <StatusBadge status={l.status} customer={customer} />
            <div class="muted small">
              {l.direction === 'from'
                ? t('links.from', { number: String(l.ticket) })
                : l.kind === 'follow_up'
                  ? t('links.followUp', { number: String(l.ticket) })
                  : t('links.to', { number: String(l.ticket) })}
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}
