// The agent lists' live notice: "New tickets: 2", "Customer replied on #123". Each event
// refreshes the list (once per burst, in place); the notice says what came and stays until
// dismissed, read out by screen readers as it changes.
import { useRef, useState } from 'preact/hooks';
import { t } from '../i18n';
import { useDebounced, useLiveEvents } from '../live';
import { Link } from '../router';

const MAX_REPLIES = 3; // the latest tickets named; more would crowd the notice

export function LiveListNotice({ refresh }: { refresh: () => void }) {
  const [created, setCreated] = useState(0);
  const [replied, setReplied] = useState<number[]>([]);
  // A new ticket's first message is its description, not a reply.
  const fresh = useRef(new Set<number>());
  const later = useDebounced(refresh, 400);
  useLiveEvents((s) => {
    if (s !== 'reload') {
      if (s.kind === 'ticket.created') {
        fresh.current.add(s.ticket);
        setCreated((n) => n + 1);
      } else if (s.kind === 'message.added' && s.by_customer && s.message_kind === 'customer_message' && !fresh.current.has(s.ticket)) {
        setReplied((r) => [...r.filter((n) => n !== s.ticket), s.ticket].slice(-MAX_REPLIES));
      }
    }
    later();
  });
  const dismiss = () => {
    setCreated(0);
    setReplied([]);
  };
  const shown = created > 0 || replied.length > 0;
  return (
    <div class="live-notice-region" role="status" aria-live="polite" data-testid="live-notice">
      {shown && (
        <div class="live-notice">
          {created > 0 && <span data-testid="live-new">{t('live.newTickets', { count: created })}</span>}
          {replied.map((n) => (
            <Link key={n} href={`/agent/tickets/${n}`} data-testid="live-replied">
              {t('live.customerReplied', { number: n })}
            </Link>
          ))}
          <button type="button" class="btn btn-ghost btn-small" onClick={dismiss} data-testid="live-dismiss">
            {t('live.dismiss')}
          </button>
        </div>
      )}
    </div>
  );
}
