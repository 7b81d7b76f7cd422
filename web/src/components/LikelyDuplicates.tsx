// The open tickets of the same customer that read like this one (GET /tickets/{n}/similar, the
// search's similar-ticket hint), so an agent sees a likely duplicate before working it twice,
// and can merge this ticket into one of them through the merge card (CaseActions.tsx).
import { useEffect, useState } from 'preact/hooks';
import { get } from '../api';
import { t } from '../i18n';
import { Link } from '../router';
import type { SimilarTicket, Ticket } from '../types';
import { StatusBadge } from './common';

/** Silent when there is none, or when asking fails: it is a hint, never in the way. */
export function LikelyDuplicatesCard({ ticket, onMerge }: { ticket: Ticket; onMerge: (into: number) => void }) {
  const [items, setItems] = useState<SimilarTicket[]>([]);
  const active = ticket.status !== 'closed' && ticket.status !== 'solved';
  useEffect(() => {
    if (!active) {
      setItems([]);
      return;
    }
    let live = true;
    get<{ items: SimilarTicket[] }>(`/api/v1/tickets/${ticket.number}/similar`).then(
      (r) => live && setItems(r.items),
      () => live && setItems([]),
    );
    return () => {
      live = false;
    };
  }, [ticket.number, active]);
  // A ticket just merged or solved shows no hint, also before the effect above empties it.
  if (!active || items.length === 0) return null;
  return (
    <section class="card likely-duplicates" data-testid="likely-duplicates" aria-labelledby="likely-duplicates-title">
      <h2 class="card-title" id="likely-duplicates-title">
        {t('duplicates.title')}
      </h2>
      <p class="muted small">{t('duplicates.hint')}</p>
      <ul class="plain-list">
        {items.map(({ ticket: other, score, likely }) => (
          <li key={other.number} data-testid="duplicate" data-number={other.number}>
            <Link href={`/agent/tickets/${other.number}`}>
              #{other.number} {other.subject}
            </Link>{' '}
            <StatusBadge status={other.status} />
            <div class="muted small" data-testid="duplicate-likelihood">
              {t(likely ? 'duplicates.likely' : 'duplicates.possible', { percent: Math.round(score * 100) })}
            </div>
            <button type="button" class="btn btn-small" onClick={() => onMerge(other.number)} data-testid="duplicate-merge">
              {t('duplicates.merge', { number: other.number })}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
