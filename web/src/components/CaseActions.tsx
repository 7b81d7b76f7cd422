// One case = one ticket (docs/merge.md): the banner a merged ticket and its survivor show, and
// the agent's card to merge a ticket into another, undo that, or split chosen messages into a
// new ticket.
import { useEffect, useRef, useState } from 'preact/hooks';
import { getAll, post, qs } from '../api';
import { formatDateTime, t } from '../i18n';
import { Link, navigate } from '../router';
import type { MergeResult, Message, SplitResult, Ticket } from '../types';
import { ErrorBox } from './common';

/** "Merged into #A" on a merged ticket, "#B was merged into this ticket" on its survivor. */
export function MergeBanner({ ticket, base }: { ticket: Ticket; base: string }) {
  const from = ticket.merged_from ?? [];
  if (!ticket.merged_into && from.length === 0) return null;
  return (
    <div class="notice merge-banner" role="status" data-testid="merge-banner">
      {ticket.merged_into ? (
        <span data-testid="merged-into">
          {t('merge.mergedIntoBanner')}{' '}
          <Link href={`${base}/${ticket.merged_into}`}>#{ticket.merged_into}</Link>
        </span>
      ) : (
        <span data-testid="merged-from">
          {t('merge.mergedFromBanner')}{' '}
          {from.map((n, i) => (
            <span key={n}>
              {i > 0 && ', '}
              <Link href={`${base}/${n}`}>#{n}</Link>
            </span>
          ))}
        </span>
      )}
    </div>
  );
}

const ACTIVE = 'new,open,pending_customer,on_hold';

type Mode = 'idle' | 'merge' | 'split';

/** A merge asked for elsewhere on the page (a likely duplicate's button): `at` tells two asks apart. */
export interface MergeAsk {
  into: number;
  at: number;
}

/**
 * The agent's merge, undo and split actions; `onDone` reloads the page's ticket. `ask` opens
 * the merge at its confirmation, with the ticket to merge into already chosen.
 */
export function CaseActionsCard({ ticket, messages, onDone, ask }: { ticket: Ticket; messages: Message[]; onDone: () => void; ask?: MergeAsk | null }) {
  const [mode, setMode] = useState<Mode>('idle');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const card = useRef<HTMLElement>(null);
  useEffect(() => {
    if (!ask) return;
    setMode('merge');
    card.current?.scrollIntoView({ block: 'nearest' });
  }, [ask?.at]);

  const undo = async () => {
    setBusy(true);
    setError(null);
    try {
      await post<MergeResult>(`/api/v1/tickets/${ticket.number}/unmerge`);
      onDone();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  if (ticket.merged_into)
    return (
      <section class="card case-actions" data-testid="case-actions" aria-labelledby="case-actions-title">
        <h2 class="card-title" id="case-actions-title">
          {t('merge.title')}
        </h2>
        <p class="muted">{t('merge.undoHint', { number: String(ticket.merged_into) })}</p>
        <ErrorBox error={error} />
        <button type="button" class="btn" onClick={undo} disabled={busy} data-testid="unmerge">
          {t('merge.undo')}
        </button>
      </section>
    );
  if (ticket.status === 'closed') return null;

  return (
    <section class="card case-actions" data-testid="case-actions" aria-labelledby="case-actions-title" ref={card}>
      <h2 class="card-title" id="case-actions-title">
        {t('merge.title')}
      </h2>
      <div class="form-actions">
        <button type="button" class="btn btn-small" aria-expanded={mode === 'merge'} onClick={() => setMode(mode === 'merge' ? 'idle' : 'merge')} data-testid="merge-open">
          {t('merge.mergeInto')}
        </button>
        <button type="button" class="btn btn-small" aria-expanded={mode === 'split'} onClick={() => setMode(mode === 'split' ? 'idle' : 'split')} data-testid="split-open">
          {t('merge.split')}
        </button>
      </div>
      {mode === 'merge' && (
        <MergeForm key={ask?.at ?? 0} ticket={ticket} preset={ask?.into ?? null} onDone={onDone} onCancel={() => setMode('idle')} />
      )}
      {mode === 'split' && <SplitForm ticket={ticket} messages={messages} onCancel={() => setMode('idle')} />}
    </section>
  );
}

function MergeForm({ ticket, preset, onDone, onCancel }: { ticket: Ticket; preset: number | null; onDone: () => void; onCancel: () => void }) {
  const [candidates, setCandidates] = useState<Ticket[]>([]);
  const [typed, setTyped] = useState('');
  const [chosen, setChosen] = useState<number | null>(preset);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [badNumber, setBadNumber] = useState(false);

  useEffect(() => {
    let live = true;
    const scope = ticket.organization ? { organization_id: ticket.organization.id } : { requester_id: ticket.requester.id };
    getAll<Ticket>(`/api/v1/tickets${qs({ ...scope, status: ACTIVE, limit: 100 })}`, 100, 1).then(
      (items) => live && setCandidates(items.filter((c) => c.number !== ticket.number)),
      (err) => live && setError(err),
    );
    return () => {
      live = false;
    };
  }, [ticket.number]);

  const pickTyped = (e: Event) => {
    e.preventDefault();
    const n = Number(typed.trim().replace(/^#/, ''));
    const ok = Number.isInteger(n) && n > 0;
    setBadNumber(!ok);
    if (ok) setChosen(n);
  };

  const confirm = async () => {
    if (chosen === null) return;
    setBusy(true);
    setError(null);
    try {
      await post<MergeResult>(`/api/v1/tickets/${ticket.number}/merge`, { into: chosen });
      onDone();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  if (chosen !== null)
    return (
      <div class="merge-confirm" data-testid="merge-confirm-box">
        <p>{t('merge.confirmText', { number: String(ticket.number), into: String(chosen) })}</p>
        <ErrorBox error={error} />
        <div class="form-actions">
          <button type="button" class="btn btn-primary btn-small" onClick={confirm} disabled={busy} data-testid="merge-confirm">
            {t('merge.confirm', { into: String(chosen) })}
          </button>
          <button type="button" class="btn btn-ghost btn-small" onClick={() => setChosen(null)} disabled={busy}>
            {t('common.cancel')}
          </button>
        </div>
      </div>
    );

  return (
    <div class="merge-form" data-testid="merge-form">
      <form onSubmit={pickTyped} class="inline-field" noValidate>
        <label for="merge-into-number">{t('merge.byNumber')}</label>
        <input
          id="merge-into-number"
          inputMode="numeric"
          value={typed}
          data-testid="merge-into-number"
          aria-invalid={badNumber ? 'true' : undefined}
          aria-describedby={badNumber ? 'merge-into-error' : undefined}
          onInput={(e) => setTyped((e.currentTarget as HTMLInputElement).value)}
        />
        <button type="submit" class="btn btn-small" data-testid="merge-into-pick">
          {t('merge.choose')}
        </button>
      </form>
      {badNumber && (
        <p id="merge-into-error" class="field-error">
          {t('merge.badNumber')}
        </p>
      )}
      <p class="muted small">{t('merge.candidatesHint')}</p>
      <ErrorBox error={error} />
      {candidates.length === 0 ? (
        <p class="muted small" data-testid="merge-no-candidates">
          {t('merge.noCandidates')}
        </p>
      ) : (
        <ul class="plain-list merge-candidates">
          {candidates.map((c) => (
            <li key={c.number}>
              <button type="button" class="btn btn-ghost btn-small" onClick={() => setChosen(c.number)} data-testid="merge-candidate" data-number={c.number}>
                #{c.number} {c.subject}
              </button>
            </li>
          ))}
        </ul>
      )}
      <button type="button" class="btn btn-ghost btn-small" onClick={onCancel}>
        {t('common.cancel')}
      </button>
    </div>
  );
}

function SplitForm({ ticket, messages, onCancel }: { ticket: Ticket; messages: Message[]; onCancel: () => void }) {
  const [chosen, setChosen] = useState<number[]>([]);
  const [subject, setSubject] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const toggle = (id: number) => setChosen((c) => (c.includes(id) ? c.filter((x) => x !== id) : [...c, id]));

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const r = await post<SplitResult>(`/api/v1/tickets/${ticket.number}/split`, { message_ids: chosen, ...(subject.trim() ? { subject } : {}) });
      navigate(`/agent/tickets/${r.ticket.number}`);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="split-form" onSubmit={submit} data-testid="split-form" noValidate>
      <fieldset>
        <legend>{t('merge.splitChoose')}</legend>
        <ul class="plain-list split-messages">
          {messages.map((m) => (
            <li key={m.id}>
              <label>
                <input type="checkbox" checked={chosen.includes(m.id)} onChange={() => toggle(m.id)} data-testid="split-message" data-id={m.id} />{' '}
                <span class="muted small">{formatDateTime(m.created_at)}</span> {m.body.length > 80 ? `${m.body.slice(0, 80)}…` : m.body}
              </label>
            </li>
          ))}
        </ul>
      </fieldset>
      <label for="split-subject">{t('merge.splitSubject')}</label>
      <input id="split-subject" value={subject} placeholder={ticket.subject} data-testid="split-subject" onInput={(e) => setSubject((e.currentTarget as HTMLInputElement).value)} />
      <ErrorBox error={error} />
      <div class="form-actions">
        <button type="submit" class="btn btn-primary btn-small" disabled={busy || chosen.length === 0} data-testid="split-confirm">
          {t('merge.splitConfirm', { count: String(chosen.length) })}
        </button>
        <button type="button" class="btn btn-ghost btn-small" onClick={onCancel}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}
