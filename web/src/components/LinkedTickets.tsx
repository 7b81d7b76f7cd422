// Tickets linked to this one: a reply from someone other than the requester, or a reply after
// closing, opens a new ticket that points at the one it answered; a merged ticket points at its
// survivor, a split-off one at its original.
import { t } from '../i18n';
import { Link } from '../router';
import type { TicketLink } from '../types';
import { StatusBadge } from './common';

function linkText(l: TicketLink): string {
  const number = String(l.ticket);
  if (l.kind === 'merged') return t(l.direction === 'to' ? 'links.mergedInto' : 'links.mergedFrom', { number });
  if (l.kind === 'split') return t(l.direction === 'to' ? 'links.splitFrom' : 'links.splitInto', { number });
  if (l.direction === 'from') return t('links.from', { number });
  return l.kind === 'follow_up' ? t('links.followUp', { number }) : t('links.to', { number });
}

export function LinkedTickets({ links, base, customer }: { links?: TicketLink[]; base: string; customer?: boolean }) {
  if (!links?.length) return null;
  return (
    <section class="card linked-tickets" data-testid="linked-tickets" aria-label={t('links.title')}>
      <h2 class="card-title">{t('links.title')}</h2>
      <ul class="plain-list">
        {links.map((l) => (
          <li key={l.ticket} data-testid="linked-ticket" data-kind={l.kind}>
            <Link href={`${base}/${l.ticket}`}>
              #{l.ticket} {l.subject}
            </Link>{' '}
            <StatusBadge status={l.status} customer={customer} />
            <div class="muted small">
              {linkText(l)}
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}
