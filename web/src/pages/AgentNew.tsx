// An agent opens a ticket on behalf of a customer: a phone call, a WhatsApp conversation, a
// walk-in. The contact is named by email (a new address becomes a contact of the
// organization that owns its domain), the channel says how the customer reached us, and the
// SLA clocks run as for any ticket.
import { useRef, useState } from 'preact/hooks';
import { ApiError, post } from '../api';
import { appendDetails, checkDetails, DetailFields, useDetails } from '../components/CategoryDetails';
import { ErrorBox, useTitle } from '../components/common';
import { channelLabel, t } from '../i18n';
import { Link, navigate } from '../router';
import { currentUser, loadCategories, loadGroups, loadPriorities, useList } from '../state';
import type { Channel, Ticket } from '../types';

// How a customer reaches an agent who then records the case (email and the web open tickets
// by themselves; the API is for integrations).
const CHANNELS: Channel[] = ['phone', 'whatsapp', 'chat', 'email', 'web'];

export function AgentNewPage() {
  useTitle(t('agentNew.title'));
  const priorities = useList(loadPriorities);
  const categories = useList(loadCategories);
  const groups = useList(loadGroups);
  const me = currentUser();
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [channel, setChannel] = useState<Channel>('phone');
  const [subject, setSubject] = useState('');
  const [description, setDescription] = useState('');
  const [priority, setPriority] = useState('');
  const [category, setCategory] = useState('');
  const [group, setGroup] = useState('');
  const [mine, setMine] = useState(true);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [missing, setMissing] = useState<Record<string, boolean>>({});
  const emailRef = useRef<HTMLInputElement>(null);
  const detailState = useDetails();
  const details = categories.find((c) => c.key === category)?.details ?? [];

  const serverField = (f: string) => (error instanceof ApiError ? error.fieldMessage(f) : undefined);
  const submit = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    const m = { email: !email.trim(), subject: !subject.trim(), description: !description.trim() };
    setMissing(m);
    const lacking = checkDetails(details, detailState);
    if (m.email || m.subject || m.description) return;
    if (lacking.length) {
      document.getElementById(`agent-new-detail-${lacking[0]}`)?.focus();
      return;
    }
    setBusy(true);
    setError(null);
    const fields: Record<string, string> = {
      subject: subject.trim(),
      description,
      channel,
      ...(priority ? { priority } : {}),
      ...(category ? { category } : {}),
      ...(group ? { group_id: group } : {}),
      ...(mine && me ? { assignee_id: String(me.id) } : {}),
    };
    let payload: unknown;
    if (details.length) {
      // A category's details may include files: a form, as the portal sends.
      const form = new FormData();
      for (const [k, v] of Object.entries(fields)) form.append(k, v);
      form.append('requester_email', email.trim());
      if (name.trim()) form.append('requester_name', name.trim());
      appendDetails(form, details, detailState);
      payload = form;
    } else {
      payload = {
        ...fields,
        requester: { email: email.trim(), ...(name.trim() ? { name: name.trim() } : {}) },
        ...(group ? { group_id: Number(group) } : {}),
        ...(mine && me ? { assignee_id: me.id } : {}),
      };
    }
    try {
      const tk = await post<Ticket>('/api/v1/tickets', payload);
      navigate(`/agent/tickets/${tk.number}`);
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };

  const emailError = missing.email ? t('agentNew.emailRequired') : serverField('requester.email');
  const subjectError = missing.subject ? t('newRequest.subjectRequired') : serverField('subject');
  const descriptionError = missing.description ? t('newRequest.descriptionRequired') : serverField('description');
  const field = (id: string, label: string, control: preact.JSX.Element, err?: string, hint?: string) => (
    <div class="field">
      <label for={id}>{label}</label>
      {control}
      {err ? <p class="field-error">{err}</p> : hint ? <p class="hint">{hint}</p> : null}
    </div>
  );

  return (
    <div class="page page-narrow">
      <nav class="crumbs" aria-label={t('ticket.breadcrumb')}>
        <Link href="/agent">{t('nav.queue')}</Link>
        <span aria-hidden="true"> / </span>
        <span>{t('agentNew.title')}</span>
      </nav>
      <h1>{t('agentNew.title')}</h1>
      <p class="muted">{t('agentNew.subtitle')}</p>
      <form class="card form-card" onSubmit={submit} noValidate data-testid="agent-new-form">
        {field('agent-new-email', t('agentNew.email'),
          <input id="agent-new-email" ref={emailRef} type="email" value={email} data-testid="agent-new-email" aria-invalid={emailError ? 'true' : undefined}
            onInput={(e) => setEmail((e.currentTarget as HTMLInputElement).value)} />, emailError, t('agentNew.emailHint'))}
        {field('agent-new-name', t('agentNew.name'),
          <input id="agent-new-name" type="text" value={name} data-testid="agent-new-name" onInput={(e) => setName((e.currentTarget as HTMLInputElement).value)} />)}
        {field('agent-new-channel', t('agentNew.channel'),
          <select id="agent-new-channel" value={channel} data-testid="agent-new-channel" onChange={(e) => setChannel((e.currentTarget as HTMLSelectElement).value as Channel)}>
            {CHANNELS.map((c) => <option key={c} value={c}>{channelLabel(c)}</option>)}
          </select>, serverField('channel'))}
        {field('agent-new-subject', t('newRequest.subject'),
          <input id="agent-new-subject" type="text" maxLength={250} value={subject} data-testid="agent-new-subject" aria-invalid={subjectError ? 'true' : undefined}
            onInput={(e) => setSubject((e.currentTarget as HTMLInputElement).value)} />, subjectError)}
        {field('agent-new-description', t('agentNew.description'),
          <textarea id="agent-new-description" rows={6} value={description} data-testid="agent-new-description" aria-invalid={descriptionError ? 'true' : undefined}
            onInput={(e) => setDescription((e.currentTarget as HTMLTextAreaElement).value)} />, descriptionError, t('agentNew.descriptionHint'))}
        {field('agent-new-priority', t('list.priority'),
          <select id="agent-new-priority" value={priority} data-testid="agent-new-priority" onChange={(e) => setPriority((e.currentTarget as HTMLSelectElement).value)}>
            <option value="">{t('agentNew.defaultPriority')}</option>
            {priorities.map((p) => <option key={p.name} value={p.name}>{p.name}</option>)}
          </select>, serverField('priority'))}
        {field('agent-new-category', t('newRequest.category'),
          <select id="agent-new-category" value={category} data-testid="agent-new-category" onChange={(e) => setCategory((e.currentTarget as HTMLSelectElement).value)}>
            <option value="">{t('newRequest.chooseCategory')}</option>
            {categories.map((c) => <option key={c.key} value={c.key}>{c.name}</option>)}
          </select>, serverField('category'))}
        <DetailFields idPrefix="agent-new" category={category} details={details} state={detailState} serverField={serverField} disabled={busy} />
        {field('agent-new-group', t('queue.group'),
          <select id="agent-new-group" value={group} data-testid="agent-new-group" onChange={(e) => setGroup((e.currentTarget as HTMLSelectElement).value)}>
            <option value="">{t('agentNew.routed')}</option>
            {groups.map((g) => <option key={g.id} value={String(g.id)}>{g.name}</option>)}
          </select>, serverField('group_id'))}
        <div class="field field-check">
          <label>
            <input type="checkbox" checked={mine} data-testid="agent-new-mine" onChange={(e) => setMine((e.currentTarget as HTMLInputElement).checked)} />{' '}
            {t('agentNew.assignMe')}
          </label>
        </div>
        <ErrorBox error={error} testid="agent-new-error" />
        <div class="form-actions">
          <button type="submit" class="btn btn-primary" disabled={busy} data-testid="agent-new-submit">
            {busy ? t('common.sending') : t('agentNew.submit')}
          </button>
          <Link href="/agent" class="btn btn-ghost">{t('common.cancel')}</Link>
        </div>
      </form>
    </div>
  );
}
