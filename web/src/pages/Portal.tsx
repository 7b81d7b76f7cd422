// The customer portal: my requests, a new request, and one request.
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, get, patch, post, qs } from '../api';
import { BotPanel } from '../components/BotPanel';
import { appendDetails, checkDetails, DetailFields, useDetails } from '../components/CategoryDetails';
import { MergeBanner } from '../components/CaseActions';
import { Conversation } from '../components/Conversation';
import { LinkedTickets } from '../components/LinkedTickets';
import { OutcomeCard } from '../components/Outcome';
import { Empty, ErrorBox, FilePicker, Loading, RelTime, StatusBadge, useNow, useTitle } from '../components/common';
import { usePagedList, useTicketAndMessages } from '../hooks';
import { useRefreshOnLiveEvents } from '../live';
import { formatDateTime, t, type MessageKey } from '../i18n';
import { Link, navigate, setSearch, useLocation } from '../router';
import { currentUser, loadCategories, useLanguage, useList } from '../state';
import type { EscalationPosted, HelpArticle, HelpSearchHit, MessagePosted, SimilarTicket, Ticket } from '../types';
import { ArticleBody, useHelpSuggestions } from './Help';
import { LoadMore } from './AgentLists';
import { CheckIcon, PlusIcon } from '../components/icons';

export function PortalHome() {
  useTitle(t('portal.title'));
  const now = useNow();
  const [helping, setHelping] = useState(false);
  const list = usePagedList<Ticket>(`/api/v1/tickets${qs({ limit: 25 })}`);
  // The stream tells a customer only of their own (or their organization's) tickets.
  useRefreshOnLiveEvents(list.refresh);
  const solved = useLocation().search.get('solved') === '1';
  const lang = useLanguage();
  return (
    <div class="page">
      {solved && (
        <p class="notice" role="status" data-testid="help-solved-notice">
          {t('help.solvedNotice')}
        </p>
      )}
      <div class="page-head">
        <div>
          <h1>{t('portal.title')}</h1>
          <p class="muted">{t('portal.subtitle')}</p>
        </div>
        <div class="page-actions">
          <Link href={`/help/${lang}`} class="btn btn-ghost" data-testid="portal-help">
            {t('nav.helpCenter')}
          </Link>
          <button type="button" class="btn" aria-expanded={helping} onClick={() => setHelping(!helping)} data-testid="bot-open">
            {t('bot.getHelp')}
          </button>
          <Link href="/portal/new" class="btn btn-primary" data-testid="new-request">
            <PlusIcon /> {t('nav.newRequest')}
          </Link>
        </div>
      </div>
      {helping && <BotPanel onClose={() => setHelping(false)} />}
      <ErrorBox error={list.error} />
      {list.loading ? (
        <Loading />
      ) : list.items.length === 0 && !list.error ? (
        <Empty>
          <p>{t('portal.empty')}</p>
          <Link href="/portal/new" class="btn btn-primary">
            {t('portal.firstRequest')}
          </Link>
        </Empty>
      ) : (
        <PortalList items={list.items} now={now} />
      )}
      {!list.loading && <LoadMore list={list} />}
    </div>
  );
}

function PortalList({ items, now }: { items: Ticket[]; now: number }) {
  return (
    <div class="tickets tickets-portal" data-testid="ticket-list">
      <ul class="ticket-rows">
        {items.map((tk) => (
          <li key={tk.number} class="ticket-row" data-testid="ticket-row" data-number={tk.number}>
            <span class="cell-number">#{tk.number}</span>
            <span class="cell-subject">
              <Link href={`/portal/tickets/${tk.number}`} class="row-link" data-testid="ticket-link">
                {tk.subject}
              </Link>
              <span class="sub">
                {t('list.openedBy', { name: tk.requester.name })} · <RelTime iso={tk.created_at} now={now} />
              </span>
            </span>
            <span class="cell-status">
              <StatusBadge status={tk.status} customer />
            </span>
            <span class="cell-age">
              <span class="cell-label">{t('list.updated')}</span> <RelTime iso={tk.updated_at} now={now} />
            </span>
          </li>
        ))}
      </ul>
    </div>
  );
}

export function PortalNew() {
  useTitle(t('newRequest.title'));
  const categories = useList(loadCategories);
  const [subject, setSubject] = useState('');
  const [description, setDescription] = useState('');
  const [category, setCategory] = useState('');
  const [files, setFiles] = useState<File[]>([]);
  const detailState = useDetails();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [missing, setMissing] = useState<{ subject?: boolean; description?: boolean }>({});
  const subjectRef = useRef<HTMLInputElement>(null);
  const descriptionRef = useRef<HTMLTextAreaElement>(null);
  const details = categories.find((c) => c.key === category)?.details ?? [];

  const serverField = (f: string) => (error instanceof ApiError ? error.fieldMessage(f) : undefined);

  const submit = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    const m = { subject: !subject.trim(), description: !description.trim() };
    setMissing(m);
    const lacking = checkDetails(details, detailState);
    if (m.subject || m.description) {
      (m.subject ? subjectRef.current : descriptionRef.current)?.focus();
      return;
    }
    if (lacking.length) {
      document.getElementById(`new-detail-${lacking[0]}`)?.focus();
      return;
    }
    setBusy(true);
    setError(null);
    let payload: unknown;
    if (files.length || details.length) {
      const form = new FormData();
      form.append('subject', subject.trim());
      form.append('description', description);
      if (category) form.append('category', category);
      for (const f of files) form.append('attachments', f, f.name);
      appendDetails(form, details, detailState);
      payload = form;
    } else {
      payload = { subject: subject.trim(), description, ...(category ? { category } : {}) };
    }
    try {
      const tk = await post<Ticket>('/api/v1/tickets', payload);
      navigate(`/portal/tickets/${tk.number}?created=1`);
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };

  const subjectError = missing.subject ? t('newRequest.subjectRequired') : serverField('subject');
  const descriptionError = missing.description ? t('newRequest.descriptionRequired') : serverField('description');
  const categoryError = serverField('category');

  return (
    <div class="page page-narrow">
      <nav class="crumbs" aria-label={t('ticket.breadcrumb')}>
        <Link href="/portal">{t('nav.myRequests')}</Link>
        <span aria-hidden="true"> / </span>
        <span>{t('nav.newRequest')}</span>
      </nav>
      <h1>{t('newRequest.title')}</h1>
      <p class="muted">{t('newRequest.subtitle')}</p>
      <form class="card form-card" onSubmit={submit} noValidate data-testid="new-request-form">
        <div class="field">
          <label for="new-subject">{t('newRequest.subject')}</label>
          <input
            id="new-subject"
            ref={subjectRef}
            type="text"
            maxLength={250}
            required
            value={subject}
            data-testid="new-subject"
            aria-invalid={subjectError ? 'true' : undefined}
            aria-describedby={subjectError ? 'new-subject-error' : 'new-subject-hint'}
            onInput={(e) => setSubject((e.currentTarget as HTMLInputElement).value)}
          />
          {subjectError ? (
            <p id="new-subject-error" class="field-error">
              {subjectError}
            </p>
          ) : (
            <p id="new-subject-hint" class="hint">
              {t('newRequest.subjectHint')}
            </p>
          )}
        </div>
        <HelpSuggestions subject={subject} />
        <div class="field">
          <label for="new-category">{t('newRequest.category')}</label>
          <select
            id="new-category"
            data-testid="new-category"
            value={category}
            aria-invalid={categoryError ? 'true' : undefined}
            onChange={(e) => setCategory((e.currentTarget as HTMLSelectElement).value)}
          >
            <option value="">{t('newRequest.chooseCategory')}</option>
            {categories.map((c) => (
              <option key={c.key} value={c.key}>
                {c.name}
              </option>
            ))}
          </select>
          {categoryError && <p class="field-error">{categoryError}</p>}
        </div>
        <DetailFields idPrefix="new" category={category} details={details} state={detailState} serverField={serverField} disabled={busy} />
        <div class="field">
          <label for="new-description">{t('newRequest.description')}</label>
          <textarea
            id="new-description"
            ref={descriptionRef}
            rows={8}
            required
            value={description}
            data-testid="new-description"
            aria-invalid={descriptionError ? 'true' : undefined}
            aria-describedby={descriptionError ? 'new-description-error' : 'new-description-hint'}
            onInput={(e) => setDescription((e.currentTarget as HTMLTextAreaElement).value)}
          />
          {descriptionError ? (
            <p id="new-description-error" class="field-error">
              {descriptionError}
            </p>
          ) : (
            <p id="new-description-hint" class="hint">
              {t('newRequest.descriptionHint')}
            </p>
          )}
        </div>
        <SimilarHint subject={subject} description={description} />
        <div class="field">
          <span class="label">{t('attachments.label')}</span>
          <FilePicker id="new-files" files={files} onChange={setFiles} testid="new-files" disabled={busy} />
        </div>
        <ErrorBox error={error} testid="new-error" />
        <div class="form-actions">
          <button type="submit" class="btn btn-primary" disabled={busy} data-testid="new-submit">
            {busy ? t('common.sending') : t('newRequest.submit')}
          </button>
          <Link href="/portal" class="btn btn-ghost">
            {t('common.cancel')}
          </Link>
        </div>
      </form>
    </div>
  );
}

/**
 * While a subject is typed: help-center articles that may answer it (deflection). One opens
 * in place; "This solved my problem" counts it for the article (POST .../deflections) and
 * leaves the form; the other button goes back to it, with what was typed.
 */
function HelpSuggestions({ subject }: { subject: string }) {
  const lang = useLanguage();
  const items = useHelpSuggestions(subject, lang);
  const [open, setOpen] = useState<HelpArticle | null>(null);
  const [error, setError] = useState<unknown>(null);
  const show = (h: HelpSearchHit) => {
    setError(null);
    get<HelpArticle>(`/api/v1/help/articles/${encodeURIComponent(h.key)}${qs({ language: lang })}`).then(setOpen, setError);
  };
  const solved = () => {
    if (!open) return;
    post(`/api/v1/help/articles/${encodeURIComponent(open.key)}/deflections`, { language: open.language }).then(
      () => navigate('/portal?solved=1'),
      setError,
    );
  };
  if (open)
    return (
      <aside class="card help-suggestion-open" data-testid="help-suggestion-article" lang={open.language}>
        <h2>{open.title}</h2>
        <ArticleBody html={open.html} />
        <ErrorBox error={error} />
        <div class="form-actions">
          <button type="button" class="btn btn-primary" data-testid="help-solved" onClick={solved}>
            <CheckIcon /> {t('help.solved')}
          </button>
          <button type="button" class="btn btn-ghost" data-testid="help-not-solved" onClick={() => setOpen(null)}>
            {t('help.notSolved')}
          </button>
        </div>
      </aside>
    );
  return (
    <div aria-live="polite">
      {items.length > 0 && (
        <aside class="help-suggestions" data-testid="help-suggestions">
          <p class="similar-hint-title">{t('help.suggestTitle')}</p>
          <ul>
            {items.map((h) => (
              <li key={`${h.key}-${h.language}`}>
                <button type="button" class="link-button" data-testid="help-suggestion" data-key={h.key} onClick={() => show(h)}>
                  {h.title}
                </button>{' '}
                <span class="muted">
                  {h.product} › {h.module}
                </span>
              </li>
            ))}
          </ul>
          <ErrorBox error={error} />
        </aside>
      )}
    </div>
  );
}

/**
 * While a request is typed: the customer's open requests that look like the same case, each
 * a link (in a new tab, so the form keeps what was typed). Silent when there is none, or
 * when asking fails: it is a hint, never in the way.
 */
function SimilarHint({ subject, description }: { subject: string; description: string }) {
  const [items, setItems] = useState<SimilarTicket[]>([]);
  useEffect(() => {
    if (subject.trim().length < 3) {
      setItems([]);
      return;
    }
    let live = true;
    const timer = window.setTimeout(() => {
      post<{ items: SimilarTicket[] }>('/api/v1/tickets/similar', { subject: subject.trim(), description }).then(
        (r) => live && setItems(r.items.filter((i) => i.likely)),
        () => live && setItems([]),
      );
    }, 400);
    return () => {
      live = false;
      window.clearTimeout(timer);
    };
  }, [subject, description]);
  return (
    <div aria-live="polite">
      {items.length > 0 && (
        <aside class="similar-hint" data-testid="similar-hint">
          <p class="similar-hint-title">{t('similar.title')}</p>
          <ul>
            {items.map(({ ticket }) => (
              <li key={ticket.number}>
                <a href={`/portal/tickets/${ticket.number}`} target="_blank" rel="noopener" data-testid="similar-link" data-number={ticket.number}>
                  #{ticket.number} {ticket.subject}
                  <span class="sr-only"> {t('similar.newTab')}</span>
                </a>{' '}
                <StatusBadge status={ticket.status} customer />
              </li>
            ))}
          </ul>
          <p class="hint">{t('similar.hint')}</p>
        </aside>
      )}
    </div>
  );
}

export function PortalTicket({
  number,
  justCreated,
  followUpOf,
}: {
  number: string;
  justCreated: boolean;
  /** The closed request whose reply opened this one (?follow_up_of=), to say so once. */
  followUpOf: string | null;
}) {
  const { ticket, messages, error, changed, reload } = useTicketAndMessages(number);
  const [body, setBody] = useState('');
  const [files, setFiles] = useState<File[]>([]);
  const [busy, setBusy] = useState(false);
  const [replyError, setReplyError] = useState<unknown>(null);
  const [emptyReply, setEmptyReply] = useState(false);
  const [solving, setSolving] = useState(false);
  const [solveError, setSolveError] = useState<unknown>(null);
  const [notice, setNotice] = useState<MessageKey | ''>(justCreated ? 'request.created' : '');
  const [followUpNotice] = useState(followUpOf && /^\d+$/.test(followUpOf) ? followUpOf : '');
  useEffect(() => {
    if (justCreated) setSearch({ created: null });
    if (followUpOf) setSearch({ follow_up_of: null });
  }, [justCreated, followUpOf]);
  const now = useNow();
  const me = currentUser();
  useTitle(ticket ? ticket.subject : `#${number}`);

  const [escalating, setEscalating] = useState(false);

  if (error)
    return (
      <div class="page">
        <ErrorBox error={error} />
        <p>
          <Link href="/portal">← {t('nav.myRequests')}</Link>
        </p>
      </div>
    );
  if (!ticket || !me) return <Loading />;

  const onEscalated = (p: EscalationPosted) => {
    setEscalating(false);
    changed({ message: p.message });
    setNotice('request.escalated');
    reload(); // the whole conversation and the ticket, as the server has them now
  };

  const reply = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    if (!body.trim()) {
      setEmptyReply(true);
      return;
    }
    setEmptyReply(false);
    setBusy(true);
    setReplyError(null);
    setNotice('');
    let payload: unknown;
    if (files.length) {
      const form = new FormData();
      form.append('body', body);
      for (const f of files) form.append('attachments', f, f.name);
      payload = form;
    } else {
      payload = { body };
    }
    try {
      const wasSolved = ticket.status === 'solved';
      const posted = await post<MessagePosted>(`/api/v1/tickets/${ticket.number}/messages`, payload);
      if (posted.follow_up_of != null) {
        navigate(`/portal/tickets/${posted.ticket.number}?follow_up_of=${posted.follow_up_of}`);
        return;
      }
      changed(posted);
      setBody('');
      setFiles([]);
      setNotice(wasSolved && posted.ticket.status !== 'solved' ? 'request.reopened' : 'request.replySent');
    } catch (err) {
      setReplyError(err);
    } finally {
      setBusy(false);
    }
  };

  const markSolved = async () => {
    setSolving(true);
    setSolveError(null);
    setNotice('');
    try {
      const tk = await patch<Ticket>(`/api/v1/tickets/${ticket.number}`, { status: 'solved' });
      changed({ ticket: tk });
      setNotice('request.markedSolved');
    } catch (err) {
      setSolveError(err);
    } finally {
      setSolving(false);
    }
  };

  // A closed request takes a reply as a follow-up; a merged one sends people to where it continues.
  const closed = ticket.status === 'closed' && ticket.merged_into != null;
  const followsUp = ticket.status === 'closed' && !closed;
  const solved = ticket.status === 'solved';

  return (
    <div class="page page-medium">
      <nav class="crumbs" aria-label={t('ticket.breadcrumb')}>
        <Link href="/portal">{t('nav.myRequests')}</Link>
        <span aria-hidden="true"> / </span>
        <span>#{ticket.number}</span>
      </nav>
      <header class="ticket-header">
        <h1 data-testid="ticket-subject">{ticket.subject}</h1>
        <div class="ticket-meta">
          <span class="ticket-number" data-testid="ticket-number">
            #{ticket.number}
          </span>
          <StatusBadge status={ticket.status} customer testid="ticket-status" />
          {ticket.with_specialists && (ticket.status === 'new' || ticket.status === 'open') && (
            <span class="badge badge-info" data-testid="with-specialists" title={t('request.withSpecialistsHint')}>
              {t('request.withSpecialists')}
            </span>
          )}
          <span class="muted">
            {t('request.openedOn', { date: formatDateTime(ticket.created_at), name: ticket.requester.name })}
          </span>
        </div>
      </header>
      {notice && (
        <div class="alert alert-ok" role="status" data-testid="request-notice">
          {t(notice)}
        </div>
      )}
      {followUpNotice && !notice && (
        <div class="alert alert-ok" role="status" data-testid="follow-up-notice">
          {t('request.followUpOpened', { closed: followUpNotice })}
        </div>
      )}
      <MergeBanner ticket={ticket} base="/portal/tickets" />
      <div class="card priority-card" data-testid="ticket-priority">
        <div>
          <span class="priority-card-label">{t('request.priority', { priority: ticket.priority })}</span>
          {ticket.priority_description && <span class="muted"> {ticket.priority_description}</span>}
        </div>
        {ticket.expected_resolution_at && (
          <div class="expected-resolution" data-testid="expected-resolution">
            {t('request.expectedResolution', { date: formatDateTime(ticket.expected_resolution_at) })}
          </div>
        )}
        {ticket.can_request_escalation && !escalating && (
          <div class="escalation-action">
            <button type="button" class="btn btn-small" data-testid="escalate-open" onClick={() => setEscalating(true)}>
              {t('escalation.open')}
            </button>
          </div>
        )}
        {escalating && <EscalationForm number={ticket.number} onDone={onEscalated} onCancel={() => setEscalating(false)} />}
      </div>
      <OutcomeCard ticket={ticket} customer />
      <Conversation messages={messages} viewer="customer" meId={me.id} now={now} />
      <LinkedTickets links={ticket.links} base="/portal/tickets" customer />

      {closed ? (
        <div class="notice" data-testid="request-closed">
          {t('request.closed')} <Link href="/portal/new">{t('nav.newRequest')}</Link>
        </div>
      ) : (
        <form class="composer" onSubmit={reply} noValidate data-testid="reply-form">
          <h2 class="composer-title">{t('request.replyTitle')}</h2>
          {solved && <p class="hint">{t('request.solvedHint')}</p>}
          {followsUp && (
            <p class="hint" data-testid="follow-up-hint">
              {t('request.closedFollowUpHint')}
            </p>
          )}
          <label for="reply-body" class="sr-only">
            {t('request.replyLabel')}
          </label>
          <textarea
            id="reply-body"
            rows={4}
            value={body}
            data-testid="reply-body"
            placeholder={t('request.replyPlaceholder')}
            aria-invalid={emptyReply ? 'true' : undefined}
            onInput={(e) => setBody((e.currentTarget as HTMLTextAreaElement).value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) void reply(e);
            }}
          />
          <FilePicker id="reply-files" files={files} onChange={setFiles} testid="reply-files" disabled={busy} />
          {emptyReply && (
            <div class="alert alert-error" role="alert" data-testid="reply-error">
              {t('composer.empty')}
            </div>
          )}
          <ErrorBox error={replyError} testid="reply-error" />
          <ErrorBox error={solveError} testid="solve-error" />
          <div class="composer-actions">
            {!solved && !followsUp && (
              <button type="button" class="btn" onClick={markSolved} disabled={solving} data-testid="mark-solved">
                <CheckIcon /> {t('request.markSolved')}
              </button>
            )}
            <button type="submit" class="btn btn-primary" disabled={busy} data-testid="reply-submit">
              {busy ? t('common.sending') : t('request.send')}
            </button>
          </div>
        </form>
      )}
    </div>
  );
}

/** The customer asks for escalation: what the problem blocks, for how many, since when. */
function EscalationForm({ number, onDone, onCancel }: { number: number; onDone: (p: EscalationPosted) => void; onCancel: () => void }) {
  const [impact, setImpact] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [tooShort, setTooShort] = useState(false);
  const textarea = useRef<HTMLTextAreaElement>(null);
  useEffect(() => textarea.current?.focus(), []);

  const submit = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    setError(null);
    // Only an empty text is caught here; the server judges the rest and says why in `detail`.
    if (!impact.trim()) {
      setTooShort(true);
      textarea.current?.focus();
      return;
    }
    setTooShort(false);
    setBusy(true);
    try {
      onDone(await post<EscalationPosted>(`/api/v1/tickets/${number}/escalation`, { impact: impact.trim() }));
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };

  const fieldError = tooShort ? t('escalation.tooShort') : error instanceof ApiError ? error.fieldMessage('impact') : undefined;
  return (
    <form class="escalation-form" onSubmit={submit} noValidate data-testid="escalation-form">
      <h2 class="composer-title">{t('escalation.title')}</h2>
      <p class="hint escalation-intro">{t('escalation.intro')}</p>
      <div class="field">
        <label for="escalation-impact">{t('escalation.impact')}</label>
        <textarea
          id="escalation-impact"
          ref={textarea}
          rows={4}
          value={impact}
          data-testid="escalation-impact"
          aria-invalid={fieldError ? 'true' : undefined}
          aria-describedby="escalation-impact-hint"
          onInput={(e) => {
            setImpact((e.currentTarget as HTMLTextAreaElement).value);
            setTooShort(false);
          }}
        />
        <p id="escalation-impact-hint" class="hint">
          {t('escalation.hint')}
        </p>
        {tooShort && (
          <p class="field-error" role="alert" data-testid="escalation-error">
            {t('escalation.tooShort')}
          </p>
        )}
      </div>
      <ErrorBox error={error} testid="escalation-error" />
      <div class="form-actions">
        <button type="submit" class="btn btn-primary" disabled={busy} data-testid="escalate-submit">
          {busy ? t('common.sending') : t('escalation.submit')}
        </button>
        <button type="button" class="btn btn-ghost" onClick={onCancel} disabled={busy}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}
