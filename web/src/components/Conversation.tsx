// The messages of a ticket, oldest first. Customer messages, public replies and
// internal notes look different so nobody mistakes a note for something the customer saw.
import { channelLabel, formatDateTime, kindLabel, t } from '../i18n';
import type { Message } from '../types';
import { AttachmentList, Avatar, Empty, RelTime } from './common';
import { LockIcon } from './icons';

export function Conversation({
  messages,
  viewer,
  meId,
  now,
  onMakeArticle,
}: {
  messages: Message[];
  viewer: 'agent' | 'customer';
  meId: number;
  now: number;
  /** Agents: turn a sent public reply into a draft help-center article. */
  onMakeArticle?: (m: Message) => void;
}) {
  if (!messages.length) return <Empty>{t('conversation.empty')}</Empty>;
  return (
    <ol class="conversation" data-testid="conversation" aria-label={t('conversation.label')}>
      {messages.map((m) => (
        <MessageItem key={m.id} m={m} viewer={viewer} mine={m.author.id === meId} now={now} onMakeArticle={onMakeArticle} />
      ))}
    </ol>
  );
}

function MessageItem({
  m,
  viewer,
  mine,
  now,
  onMakeArticle,
}: {
  m: Message;
  viewer: 'agent' | 'customer';
  mine: boolean;
  now: number;
  onMakeArticle?: (m: Message) => void;
}) {
  const fromStaff = m.author.role === 'agent' || m.author.role === 'admin';
  let label: string;
  if (viewer === 'customer') {
    label = mine ? t('conversation.you') : fromStaff ? t('conversation.support') : m.author.role === 'system' ? kindLabel('system_notice') : '';
  } else {
    label = kindLabel(m.kind);
  }
  const tone = m.kind === 'internal_note' ? 'avatar-note' : fromStaff ? 'avatar-staff' : m.author.role === 'system' ? 'avatar-system' : 'avatar-customer';
  return (
    <li class={`msg msg-${m.kind}${mine ? ' msg-mine' : ''}`} data-testid="message" data-kind={m.kind} data-id={m.id}>
      <Avatar name={m.author.name} tone={tone} />
      <article class="msg-card" aria-label={`${m.author.name} — ${label}`}>
        <header class="msg-head">
          <span class="msg-author">{m.author.name}</span>
          {label && (
            <span class={`msg-kind kind-${m.kind}`} data-testid="message-kind">
              {m.kind === 'internal_note' && (
                <LockIcon />
              )}
              {label}
            </span>
          )}
          <span class="msg-meta">
            <RelTime iso={m.created_at} now={now} />
            {viewer === 'agent' && m.channel !== 'web' && <span class="muted"> · {t('conversation.via', { channel: channelLabel(m.channel) })}</span>}
          </span>
        </header>
        {m.automatic && (
          <p class="msg-automatic muted" data-testid="message-automatic">
            {t('conversation.automatic')}
          </p>
        )}
        {m.label === 'escalation_requested' && (
          <p class="msg-label" data-testid="message-label">
            {t('conversation.label.escalation_requested')}
          </p>
        )}
        <MessageBody m={m} />
        {m.masked && (
          <p class="msg-masked muted" data-testid="message-masked">
            {t('conversation.masked')}
          </p>
        )}
        <AttachmentList items={m.attachments} />
        {viewer === 'agent' && m.channel === 'email' && (
          <a class="msg-original" href={`/api/v1/messages/${m.id}/original`} download data-testid="message-original">
            {t('conversation.original')}
          </a>
        )}
        {onMakeArticle && m.kind === 'public_reply' && fromStaff && (
          <button type="button" class="btn btn-ghost btn-small msg-make-article" data-testid="message-make-article" onClick={() => onMakeArticle(m)}>
            {t('helpEditor.makeDraft')}
          </button>
        )}
        <span class="sr-only">{formatDateTime(m.created_at)}</span>
      </article>
    </li>
  );
}

/** The text; quoted history (an earlier mail the sender's client quoted) is kept but folded. */
function MessageBody({ m }: { m: Message }) {
  const at = m.quote_start ?? -1;
  if (at <= 0 || at >= m.body.length) {
    return (
      <div class="msg-body" data-testid="message-body">
        {m.body}
      </div>
    );
  }
  return (
    <div class="msg-body" data-testid="message-body">
      {m.body.slice(0, at).trimEnd()}
      <details class="msg-quote" data-testid="message-quote">
        <summary>{t('conversation.quoted')}</summary>
        <div class="msg-quote-text">{m.body.slice(at)}</div>
      </details>
    </div>
  );
}
