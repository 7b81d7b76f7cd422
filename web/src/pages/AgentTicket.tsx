// One ticket in the agent console: conversation, composer, properties, requester, history.
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { useServerNow } from '../clock';
import { ServiceLevelCard } from '../components/Sla';
import { LockIcon } from '../components/icons';
import { getAll, patch, post } from '../api';
import { CaseActionsCard, MergeBanner, type MergeAsk } from '../components/CaseActions';
import { Conversation } from '../components/Conversation';
import { LikelyDuplicatesCard } from '../components/LikelyDuplicates';
import { LinkedTickets } from '../components/LinkedTickets';
import { FieldChanges, MacroPicker, hasFieldChanges } from '../components/Macros';
import { ArticleLinkPicker } from '../components/ArticleLinks';
import { draftArticleFromReply } from './HelpEditor';
import { OutcomeCard, ResolutionSelect } from '../components/Outcome';
import { ErrorBox, FilePicker, Loading, PriorityBadge, RelTime, StatusBadge, useNow, useTitle } from '../components/common';
import { useTicketAndMessages } from '../hooks';
import {
  LANGUAGES,
  channelLabel,
  formatDateTime,
  getLanguage,
  kindLabel,
  resolutionLabel,
  statusLabel,
  t,
  tMaybe,
  type MessageKey,
} from '../i18n';
import { Link } from '../router';
import { currentUser, loadAgents, loadCategories, loadGroups, loadPriorities, useList, useOutcomes } from '../state';
import {
  RESOLUTIONS,
  STATUSES,
  type Category,
  type EventChange,
  type Group,
  type MacroFields,
  type MacroPreview,
  type MessageKind,
  type MessagePosted,
  type Resolution,
  type Status,
  type Ticket,
  type TicketEvent,
  type TicketPatch,
  type User,
} from '../types';

export function AgentTicketPage({ number }: { number: string }) {
  const { ticket, messages, error, changed, reload } = useTicketAndMessages(number, { live: true });
  const [historyVersion, setHistoryVersion] = useState(0);
  const [writing, setWriting] = useState(false);
  const [mergeAsk, setMergeAsk] = useState<MergeAsk | null>(null);
  const others = usePresence(number, writing);
  const now = useNow();
  const me = currentUser();
  const priorities = useList(loadPriorities);
  useTitle(ticket ? `#${ticket.number} ${ticket.subject}` : `#${number}`);

  if (error)
    return (
      <div class="page">
        <ErrorBox error={error} />
        <p>
          <Link href="/agent">← {t('ticket.backToQueue')}</Link>
        </p>
      </div>
    );
  if (!ticket || !me) return <Loading />;

  const onPosted = (p: MessagePosted) => {
    changed(p);
    setHistoryVersion((v) => v + 1);
  };
  const onSaved = (tk: Ticket) => {
    changed({ ticket: tk });
    setHistoryVersion((v) => v + 1);
  };

  return (
    <div class="page page-wide ticket-page">
      <nav class="crumbs" aria-label={t('ticket.breadcrumb')}>
        <Link href="/agent">{t('nav.queue')}</Link>
        <span aria-hidden="true"> / </span>
        <span>#{ticket.number}</span>
      </nav>
      <header class="ticket-header">
        <h1 data-testid="ticket-subject">{ticket.subject}</h1>
        <div class="ticket-meta">
          <span class="ticket-number" data-testid="ticket-number">
            #{ticket.number}
          </span>
          <StatusBadge status={ticket.status} testid="ticket-status" />
          <PriorityBadge name={ticket.priority} priorities={priorities} testid="ticket-priority" />
          {ticket.priority_description && <span class="priority-desc">{ticket.priority_description}</span>}
        </div>
        <div class="ticket-meta muted">
          <span>{t('ticket.openedVia', { channel: channelLabel(ticket.channel) })}</span>
          <span aria-hidden="true">·</span>
          <RelTime iso={ticket.created_at} now={now} />
          {ticket.resolution && (
            <>
              <span aria-hidden="true">·</span>
              <span>{t('ticket.resolutionIs', { resolution: resolutionLabel(ticket.resolution) })}</span>
            </>
          )}
        </div>
      </header>
      <MergeBanner ticket={ticket} base="/agent/tickets" />
      {others.length > 0 && (
        <p class="notice presence" role="status" data-testid="presence">
          {others.map((o) => t(o.state === 'replying' ? 'presence.replying' : 'presence.viewing', { name: o.name })).join(' · ')}
        </p>
      )}
      <div class="ticket-layout">
        <section class="ticket-main" aria-label={t('conversation.label')}>
          <OutcomeCard ticket={ticket} customer={false} />
          <Conversation
            messages={messages}
            viewer="agent"
            meId={me.id}
            now={now}
            onMakeArticle={(m) => void draftArticleFromReply(ticket, m.body)}
          />
          <Composer ticket={ticket} onPosted={onPosted} onDraft={setWriting} />
        </section>
        <aside class="ticket-side">
          <LiveServiceLevel ticket={ticket} />
          <TicketForm ticket={ticket} me={me} onSaved={onSaved} />
          <RequesterCard ticket={ticket} />
          <LinkedTickets links={ticket.links} base="/agent/tickets" />
          <LikelyDuplicatesCard ticket={ticket} onMerge={(into) => setMergeAsk({ into, at: Date.now() })} />
          <CaseActionsCard
            ticket={ticket}
            messages={messages}
            ask={mergeAsk}
            onDone={() => {
              reload();
              setHistoryVersion((v) => v + 1);
            }}
          />
          <History ticket={ticket} version={historyVersion} />
        </aside>
      </div>
    </div>
  );
}

// ---- presence ----

interface Present {
  id: number;
  name: string;
  state: 'viewing' | 'replying';
}

/**
 * Tells the server this agent has the ticket open (replying while a reply is being written)
 * every 10 seconds and at once when that changes, and "left" on leaving; returns the other
 * agents who have it open. Quiet when asking fails: it is a courtesy, never in the way.
 */
function usePresence(number: string, writing: boolean): Present[] {
  const [others, setOthers] = useState<Present[]>([]);
  useEffect(() => {
    let live = true;
    const send = (state: string) =>
      post<{ others: Present[] }>(`/api/v1/tickets/${number}/presence`, { state }).then(
        (r) => live && setOthers(r.others),
        () => undefined,
      );
    send(writing ? 'replying' : 'viewing');
    const id = window.setInterval(() => send(writing ? 'replying' : 'viewing'), 10_000);
    return () => {
      live = false;
      window.clearInterval(id);
    };
  }, [number, writing]);
  useEffect(
    () => () => {
      post(`/api/v1/tickets/${number}/presence`, { state: 'left' }).catch(() => undefined);
    },
    [number],
  );
  return others;
}

// ---- service level ----

/** The SLA card re-renders every second on its own, not the whole page. */
function LiveServiceLevel({ ticket }: { ticket: Ticket }) {
  const now = useServerNow();
  return <ServiceLevelCard ticket={ticket} now={now} />;
}

// ---- composer ----

type SubmitAs = 'keep' | 'open' | 'pending_customer' | 'on_hold' | 'solved';
const SUBMIT_AS: SubmitAs[] = ['keep', 'open', 'pending_customer', 'on_hold', 'solved'];

function Composer({ ticket, onPosted, onDraft }: { ticket: Ticket; onPosted: (p: MessagePosted) => void; onDraft: (writing: boolean) => void }) {
  const [kind, setKind] = useState<'public_reply' | 'internal_note'>('public_reply');
  const [body, setBody] = useState('');
  const writing = body.trim() !== '';
  useEffect(() => onDraft(writing), [writing]);
  const [files, setFiles] = useState<File[]>([]);
  const [submitAs, setSubmitAs] = useState<SubmitAs>('keep');
  const outcomes = useOutcomes();
  const [resolution, setResolution] = useState<Resolution | ''>('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [emptyBody, setEmptyBody] = useState(false);
  const [noResolution, setNoResolution] = useState(false);
  const [sent, setSent] = useState<MessageKey | ''>('');
  // A canned reply's field changes other than the status (which the status select above
  // takes): set through PATCH once the reply is sent.
  const [pending, setPending] = useState<MacroFields | null>(null);
  const textarea = useRef<HTMLTextAreaElement>(null);

  if (ticket.status === 'closed')
    return (
      <div class="notice" data-testid="composer-closed">
        {t('composer.closed')}
      </div>
    );

  const picked = (p: MacroPreview) => {
    setBody((b) => (b.trim() ? `${b.replace(/\s+$/, '')}\n\n${p.text}` : p.text));
    const fields = { ...p.fields };
    if (fields.status && (SUBMIT_AS as string[]).includes(fields.status)) {
      setSubmitAs(fields.status as SubmitAs);
      fields.status = null;
    }
    setPending(hasFieldChanges(fields) ? fields : null);
    setSent('');
    setEmptyBody(false);
    textarea.current?.focus();
  };

  // At the cursor, or after the text when the box never had the focus.
  const insertLink = (link: string) => {
    const el = textarea.current;
    const at = el && document.activeElement === el ? el.selectionStart : body.length;
    setBody((b) => b.slice(0, at) + (at > 0 && !/\s$/.test(b.slice(0, at)) ? ' ' : '') + link + b.slice(at));
    setSent('');
    setEmptyBody(false);
    el?.focus();
  };

  const submit = async (e?: Event) => {
    e?.preventDefault();
    if (busy) return;
    setError(null);
    setSent('');
    if (!body.trim()) {
      setEmptyBody(true);
      textarea.current?.focus();
      return;
    }
    setEmptyBody(false);
    const status = submitAs === 'keep' ? undefined : submitAs;
    const res = status === 'solved' && resolution ? resolution : undefined;
    setNoResolution(status === 'solved' && !!outcomes?.required && !res);
    if (status === 'solved' && outcomes?.required && !res) {
      document.getElementById('composer-resolution')?.focus();
      return;
    }
    setBusy(true);
    let payload: unknown;
    if (files.length) {
      const form = new FormData();
      form.append('body', body);
      form.append('kind', kind);
      if (status) form.append('status', status);
      if (res) form.append('resolution', res);
      for (const f of files) form.append('attachments', f, f.name);
      payload = form;
    } else {
      payload = { body, kind, ...(status ? { status } : {}), ...(res ? { resolution: res } : {}) };
    }
    try {
      const posted = await post<MessagePosted>(`/api/v1/tickets/${ticket.number}/messages`, payload);
      onPosted(posted);
      setBody('');
      setFiles([]);
      setSubmitAs('keep');
      setResolution('');
      setSent(kind === 'internal_note' ? 'composer.noteAdded' : 'composer.replySent');
      if (pending) {
        const changes: TicketPatch = {
          ...(pending.status ? { status: pending.status } : {}),
          ...(pending.priority ? { priority: pending.priority } : {}),
          ...(pending.add_tags.length ? { add_tags: pending.add_tags } : {}),
          ...(pending.group_id !== null ? { group_id: pending.group_id } : {}),
        };
        setPending(null);
        onPosted({ ...posted, ticket: await patch<Ticket>(`/api/v1/tickets/${ticket.number}`, changes) });
      }
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const note = kind === 'internal_note';
  return (
    <form class={`composer${note ? ' composer-note' : ''}`} onSubmit={submit} data-testid="composer" noValidate>
      <div
        class="composer-tabs"
        role="tablist"
        aria-label={t('composer.kind')}
        onKeyDown={(e) => {
          if (e.key !== 'ArrowLeft' && e.key !== 'ArrowRight') return;
          const next = kind === 'public_reply' ? 'internal_note' : 'public_reply';
          setKind(next);
          document.getElementById(`composer-tab-${next}`)?.focus();
        }}
      >
        {(['public_reply', 'internal_note'] as const).map((k) => (
          <button
            key={k}
            type="button"
            role="tab"
            id={`composer-tab-${k}`}
            aria-selected={kind === k}
            tabIndex={kind === k ? 0 : -1}
            aria-controls="composer-panel"
            class={`composer-tab tab-${k}`}
            data-testid={k === 'public_reply' ? 'composer-tab-public' : 'composer-tab-note'}
            onClick={() => setKind(k)}
          >
            {k === 'internal_note' && <LockIcon />}
            {kindLabel(k as MessageKind)}
          </button>
        ))}
      </div>
      <div id="composer-panel" role="tabpanel" aria-labelledby={`composer-tab-${kind}`} class="composer-panel">
        <label for="composer-body" class="sr-only">
          {note ? t('composer.noteLabel') : t('composer.replyLabel')}
        </label>
        <textarea
          id="composer-body"
          ref={textarea}
          rows={5}
          value={body}
          data-testid="composer-body"
          placeholder={note ? t('composer.notePlaceholder') : t('composer.replyPlaceholder', { name: ticket.requester.name })}
          aria-invalid={emptyBody ? 'true' : undefined}
          aria-describedby="composer-hint"
          onInput={(e) => {
            setBody((e.currentTarget as HTMLTextAreaElement).value);
            setSent('');
            setEmptyBody(false);
          }}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) void submit();
          }}
        />
        <p id="composer-hint" class="hint">
          {note ? t('composer.noteHint') : submitAs === 'solved' ? t('outcome.replyIsSummary') : t('composer.replyHint')}
        </p>
        <FilePicker id="composer-files" files={files} onChange={setFiles} testid="composer-files" disabled={busy} />
        <MacroPicker number={ticket.number} onPicked={picked} onError={setError} />
        <ArticleLinkPicker language={ticket.language || getLanguage()} onInsert={insertLink} />
        {pending && (
          <p class="hint" data-testid="macro-pending">
            {t('macros.onSend')} <FieldChanges fields={pending} />{' '}
            <button type="button" class="btn btn-ghost btn-small" data-testid="macro-pending-clear" onClick={() => setPending(null)}>
              {t('macros.keepFields')}
            </button>
          </p>
        )}
        <div class="composer-actions">
          <div class="inline-field">
            <label for="composer-status">{t('composer.submitAs')}</label>
            <select
              id="composer-status"
              data-testid="composer-status"
              value={submitAs}
              onChange={(e) => setSubmitAs((e.currentTarget as HTMLSelectElement).value as SubmitAs)}
            >
              {SUBMIT_AS.map((s) => (
                <option key={s} value={s}>
                  {s === 'keep' ? t('composer.keepStatus', { status: statusLabel(ticket.status) }) : statusLabel(s)}
                </option>
              ))}
            </select>
          </div>
          {submitAs === 'solved' && (
            <div class="inline-field">
              <label for="composer-resolution">{t('field.resolution')}</label>
              <ResolutionSelect
                id="composer-resolution"
                testid="composer-resolution"
                value={resolution}
                outcomes={outcomes}
                onChange={(r) => {
                  setResolution(r);
                  setNoResolution(false);
                }}
              />
            </div>
          )}
          <button type="submit" class={`btn ${note ? 'btn-note' : 'btn-primary'}`} disabled={busy} data-testid="composer-submit">
            {busy ? t('common.sending') : note ? t('composer.addNote') : t('composer.sendReply')}
          </button>
        </div>
        {emptyBody && (
          <div class="alert alert-error" role="alert" data-testid="composer-error">
            {t('composer.empty')}
          </div>
        )}
        {noResolution && (
          <div class="alert alert-error" role="alert" data-testid="composer-error">
            {t('outcome.chooseFirst')}
          </div>
        )}
        <ErrorBox error={error} testid="composer-error" />
        {sent && (
          <div class="alert alert-ok" role="status" data-testid="composer-sent">
            {t(sent)}
          </div>
        )}
      </div>
    </form>
  );
}

// ---- properties ----

interface FormState {
  status: Status;
  resolution: Resolution | '';
  summary: string;
  priority: string;
  group: string;
  assignee: string;
  tags: string;
  category: string;
}

function formOf(tk: Ticket): FormState {
  return {
    status: tk.status,
    resolution: tk.resolution ?? '',
    summary: tk.resolution_summary ?? '',
    priority: tk.priority,
    group: tk.group ? String(tk.group.id) : '',
    assignee: tk.assignee?.id ? String(tk.assignee.id) : '',
    tags: tk.tags.join(', '),
    category: tk.category ?? '',
  };
}

function parseTags(s: string): string[] {
  return s
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);
}

function sameList(a: string[], b: string[]): boolean {
  const x = [...a].sort();
  const y = [...b].sort();
  return x.length === y.length && x.every((v, i) => v === y[i]);
}

function diff(tk: Ticket, f: FormState): TicketPatch {
  const p: TicketPatch = {};
  const before = formOf(tk);
  if (f.status !== before.status) p.status = f.status;
  if (f.priority !== before.priority) p.priority = f.priority;
  if (f.group !== before.group) p.group_id = f.group ? Number(f.group) : null;
  if (f.assignee !== before.assignee) p.assignee_id = f.assignee ? Number(f.assignee) : null;
  if (!sameList(parseTags(f.tags), tk.tags)) p.tags = parseTags(f.tags);
  if (f.category !== before.category) p.category = f.category || null;
  const solvedish = f.status === 'solved' || f.status === 'closed';
  if (solvedish && f.resolution && f.resolution !== before.resolution) p.resolution = f.resolution;
  if (solvedish && f.summary !== before.summary) p.resolution_summary = f.summary;
  return p;
}

function TicketForm({ ticket, me, onSaved }: { ticket: Ticket; me: User; onSaved: (t: Ticket) => void }) {
  const priorities = useList(loadPriorities);
  const groups = useList(loadGroups);
  const agents = useList(loadAgents);
  const categories = useList(loadCategories);
  const outcomes = useOutcomes();
  const [form, setForm] = useState<FormState>(() => formOf(ticket));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);

  // When the ticket changes (a save, or a reply that changed its status), take the new values
  // but keep what the agent is still editing.
  const base = useRef(formOf(ticket));
  useEffect(() => {
    const before = base.current;
    const now = formOf(ticket);
    base.current = now;
    setForm((f) => {
      const merged = { ...now };
      for (const k of Object.keys(now) as (keyof FormState)[]) if (f[k] !== before[k]) (merged as Record<string, string>)[k] = f[k];
      return merged;
    });
  }, [ticket]);

  const changes = useMemo(() => diff(ticket, form), [ticket, form]);
  const dirty = Object.keys(changes).length > 0;
  const set = <K extends keyof FormState>(k: K, v: FormState[K]) => {
    setSaved(false);
    setError(null);
    setForm((f) => ({ ...f, [k]: v }));
  };
  const selectedPriority = priorities.find((p) => p.name === form.priority);
  const activeAgents = agents.filter((a) => a.active || String(a.id) === form.assignee);
  // A ticket's current group, assignee or category stays selectable even if the lists lack it.
  const groupOptions: Pick<Group, 'id' | 'name'>[] = [...groups];
  if (ticket.group && !groups.some((g) => g.id === ticket.group!.id)) groupOptions.push(ticket.group);
  const agentOptions: { id: number; name: string }[] = activeAgents.map((a) => ({ id: a.id, name: a.name || a.email }));
  if (ticket.assignee?.id && !agentOptions.some((a) => a.id === ticket.assignee!.id))
    agentOptions.push({ id: ticket.assignee.id, name: ticket.assignee.name });
  const categoryOptions: Pick<Category, 'key' | 'name'>[] = [...categories];
  if (ticket.category && !categories.some((c) => c.key === ticket.category)) categoryOptions.push({ key: ticket.category, name: ticket.category });

  const submit = async (e: Event) => {
    e.preventDefault();
    if (!dirty || busy) return;
    setBusy(true);
    setError(null);
    setSaved(false);
    try {
      const tk = await patch<Ticket>(`/api/v1/tickets/${ticket.number}`, changes);
      // Show what the server stored (tags come back normalized).
      base.current = formOf(tk);
      setForm(formOf(tk));
      onSaved(tk);
      setSaved(true);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="card side-form" onSubmit={submit} data-testid="ticket-form" noValidate>
      <h2 class="card-title">{t('ticket.properties')}</h2>
      {ticket.status === 'closed' && <p class="hint closed-hint">{t('ticket.closedReadOnly')}</p>}
      <fieldset class="plain" disabled={ticket.status === 'closed' || busy}>
      <div class="field">
        <label for="field-status">{t('field.status')}</label>
        <select id="field-status" data-testid="field-status" value={form.status} onChange={(e) => set('status', (e.currentTarget as HTMLSelectElement).value as Status)}>
          {STATUSES.map((s) => (
            <option key={s} value={s}>
              {statusLabel(s)}
            </option>
          ))}
        </select>
      </div>
      {(form.status === 'solved' || form.status === 'closed') && (
        <div class="field">
          <label for="field-resolution">{t('field.resolution')}</label>
          <ResolutionSelect id="field-resolution" testid="field-resolution" value={form.resolution} outcomes={outcomes} onChange={(r) => set('resolution', r)} />
        </div>
      )}
      {(form.status === 'solved' || form.status === 'closed') && (
        <div class="field">
          <label for="field-resolution-summary">{t('outcome.summary')}</label>
          <textarea
            id="field-resolution-summary"
            data-testid="field-resolution-summary"
            rows={3}
            value={form.summary}
            aria-describedby="field-resolution-summary-hint"
            onInput={(e) => set('summary', (e.currentTarget as HTMLTextAreaElement).value)}
          />
          <p id="field-resolution-summary-hint" class="hint">
            {t('outcome.summaryHint')}
          </p>
        </div>
      )}
      <div class="field">
        <label for="field-priority">{t('field.priority')}</label>
        <select
          id="field-priority"
          data-testid="field-priority"
          value={form.priority}
          aria-describedby="field-priority-desc"
          onChange={(e) => set('priority', (e.currentTarget as HTMLSelectElement).value)}
        >
          {!priorities.some((p) => p.name === form.priority) && <option value={form.priority}>{form.priority}</option>}
          {priorities.map((p) => (
            <option key={p.name} value={p.name}>
              {p.name}
            </option>
          ))}
        </select>
        <p id="field-priority-desc" class="hint" data-testid="field-priority-description">
          {selectedPriority?.description ?? ticket.priority_description ?? ''}
        </p>
      </div>
      <div class="field">
        <label for="field-group">{t('field.group')}</label>
        <select id="field-group" data-testid="field-group" value={form.group} onChange={(e) => set('group', (e.currentTarget as HTMLSelectElement).value)}>
          <option value="">{t('common.none')}</option>
          {groupOptions.map((g) => (
            <option key={g.id} value={String(g.id)}>
              {g.name}
            </option>
          ))}
        </select>
      </div>
      <div class="field">
        <div class="label-row">
          <label for="field-assignee">{t('field.assignee')}</label>
          {form.assignee !== String(me.id) && (
            <button type="button" class="link-button" data-testid="assign-me" onClick={() => set('assignee', String(me.id))}>
              {t('ticket.assignToMe')}
            </button>
          )}
        </div>
        <select
          id="field-assignee"
          data-testid="field-assignee"
          value={form.assignee}
          onChange={(e) => set('assignee', (e.currentTarget as HTMLSelectElement).value)}
        >
          <option value="">{t('list.unassigned')}</option>
          {agentOptions.map((a) => (
            <option key={a.id} value={String(a.id)}>
              {a.name}
            </option>
          ))}
        </select>
      </div>
      <div class="field">
        <label for="field-tags">{t('field.tags')}</label>
        <input
          id="field-tags"
          type="text"
          data-testid="field-tags"
          value={form.tags}
          aria-describedby="field-tags-hint"
          autocomplete="off"
          spellcheck={false}
          onInput={(e) => set('tags', (e.currentTarget as HTMLInputElement).value)}
        />
        <p id="field-tags-hint" class="hint">
          {t('ticket.tagsHint')}
        </p>
      </div>
      <div class="field">
        <label for="field-category">{t('field.category')}</label>
        <select
          id="field-category"
          data-testid="field-category"
          value={form.category}
          onChange={(e) => set('category', (e.currentTarget as HTMLSelectElement).value)}
        >
          <option value="">{t('common.none')}</option>
          {categoryOptions.map((c) => (
            <option key={c.key} value={c.key}>
              {c.name}
            </option>
          ))}
        </select>
      </div>
      </fieldset>
      <ErrorBox error={error} title={t('ticket.notSaved')} testid="ticket-form-error" />
      {saved && !dirty && (
        <div class="alert alert-ok" role="status" data-testid="ticket-form-saved">
          {t('ticket.saved')}
        </div>
      )}
      <div class="form-actions">
        <button type="submit" class="btn btn-primary" disabled={!dirty || busy || ticket.status === 'closed'} data-testid="ticket-save">
          {busy ? t('common.saving') : t('common.save')}
        </button>
        {dirty && (
          <button
            type="button"
            class="btn btn-ghost"
            onClick={() => {
              setForm(formOf(ticket));
              setError(null);
            }}
          >
            {t('common.reset')}
          </button>
        )}
      </div>
    </form>
  );
}

// ---- requester ----

function RequesterCard({ ticket }: { ticket: Ticket }) {
  const r = ticket.requester;
  return (
    <section class="card" data-testid="requester-card" aria-labelledby="requester-title">
      <h2 class="card-title" id="requester-title">
        {t('ticket.requester')}
      </h2>
      <p class="person-name">
        <Link href={`/agent/contacts/${r.id}`} data-testid="requester-link">
          {r.name}
        </Link>
      </p>
      {r.email && (
        <p>
          <a href={`mailto:${r.email}`}>{r.email}</a>
        </p>
      )}
      <p class="muted">{ticket.organization?.name ?? t('ticket.noOrganization')}</p>
      <dl class="facts">
        <dt>{t('ticket.created')}</dt>
        <dd>{formatDateTime(ticket.created_at)}</dd>
        <dt>{t('ticket.updated')}</dt>
        <dd>{formatDateTime(ticket.updated_at)}</dd>
        <dt>{t('ticket.firstResponse')}</dt>
        <dd>{ticket.first_response_at ? formatDateTime(ticket.first_response_at) : '—'}</dd>
        {ticket.language && (
          <>
            <dt>{t('ticket.language')}</dt>
            <dd data-testid="ticket-language" lang={ticket.language}>
              {LANGUAGES.find((l) => l.code === ticket.language)?.name ?? ticket.language}
            </dd>
          </>
        )}
        {ticket.solved_at && (
          <>
            <dt>{t('ticket.solvedAt')}</dt>
            <dd>{formatDateTime(ticket.solved_at)}</dd>
          </>
        )}
      </dl>
    </section>
  );
}

// ---- history ----

function History({ ticket, version }: { ticket: Ticket; version: number }) {
  const [open, setOpen] = useState(false);
  const [events, setEvents] = useState<TicketEvent[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const groups = useList(loadGroups);
  const agents = useList(loadAgents);
  const categories = useList(loadCategories);

  useEffect(() => {
    if (!open) return;
    let live = true;
    setError(null);
    getAll<TicketEvent>(`/api/v1/tickets/${ticket.number}/events`).then(
      (ev) => live && setEvents(ev),
      (err) => live && setError(err),
    );
    return () => {
      live = false;
    };
  }, [open, version, ticket.number]);

  const value = (field: string, v: string | null): string => {
    if (v === null || v === '') return '—';
    switch (field) {
      case 'status':
        return (STATUSES as string[]).includes(v) ? statusLabel(v as Status) : v;
      case 'resolution':
        return (RESOLUTIONS as string[]).includes(v) ? resolutionLabel(v as Resolution) : v;
      case 'channel':
        return tMaybe(`channel.${v}`, v);
      case 'kind':
        return tMaybe(`kind.${v}`, v);
      case 'group':
        return groups.find((g) => String(g.id) === v)?.name ?? `#${v}`;
      case 'assignee':
        return agents.find((a) => String(a.id) === v)?.name ?? `#${v}`;
      case 'category':
        return categories.find((c) => c.key === v)?.name ?? v;
      case 'rule':
        return tMaybe(`automation.${v}`, v);
      case 'on':
        return tMaybe(`ruleOn.${v}`, v);
      case 'first_response_at':
      case 'solved_at':
      case 'closed_at':
      case 'close_at':
        return formatDateTime(v);
      default:
        return v;
    }
  };
  const fieldName = (f: string) => (f.startsWith('custom_fields.') ? f.slice('custom_fields.'.length) : tMaybe(`field.${f}`, f));
  const summary = (e: TicketEvent): string => {
    if (e.kind === 'message.added') {
      const k = e.changes.find((c) => c.field === 'kind')?.after ?? '';
      return t('history.messageAdded', { kind: tMaybe(`kind.${k}`, k) });
    }
    return tMaybe(`history.${e.kind}`, e.kind);
  };

  return (
    <details
      class="card history"
      data-testid="history"
      onToggle={(e) => setOpen((e.currentTarget as HTMLDetailsElement).open)}
    >
      <summary class="card-title">{t('ticket.history')}</summary>
      <ErrorBox error={error} />
      {open && !events && !error && <Loading />}
      {events && (
        <ol class="events">
          {events.map((e) => (
            <li key={e.id} data-testid="history-item">
              <div class="event-head">
                <strong>{e.actor.name}</strong> <span>{summary(e)}</span>
              </div>
              <time class="muted small" dateTime={e.at}>
                {formatDateTime(e.at)}
              </time>
              {e.kind !== 'message.added' && e.changes.length > 0 && (
                <ul class="changes">
                  {e.changes.map((c: EventChange, i) => (
                    <li key={i}>
                      <span class="change-field">{fieldName(c.field)}</span>{' '}
                      {c.before !== null && (
                        <>
                          <span class="change-before">{value(c.field, c.before)}</span> →{' '}
                        </>
                      )}
                      <span class="change-after">{value(c.field, c.after)}</span>
                    </li>
                  ))}
                </ul>
              )}
            </li>
          ))}
        </ol>
      )}
    </details>
  );
}
