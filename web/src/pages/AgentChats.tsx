// /agent/chats: the live-chat console (docs/chat.md). The queue of open conversations with
// their wait, accept, and several conversations open side by side, each on its WebSocket:
// messages in sequence order (a dropped socket reconnects and resumes after the newest one
// held), typing, read marks, canned replies from the agent's macros, transfer to an agent or a
// group, close, convert to the one ticket, and the customer's other tickets beside it. Files
// go with a reply over HTTP (multipart); both sides' files show on their messages. Each
// conversation's SLA clocks (first and next response, from the hand-off) count down in the
// queue and in its panel.
// A WhatsApp conversation shows its number, its 24-hour window and its deliveries (Whatsapp.tsx).
import { useEffect, useRef, useState } from 'preact/hooks';
import { get, post } from '../api';
import { AttachmentList, Empty, ErrorBox, FilePicker, Loading, useNow, useTitle } from '../components/common';
import { ClockBadge, countdownText, NextDue } from '../components/Sla';
import { t, targetLabel } from '../i18n';
import { Link } from '../router';
import { currentUser, loadAgents, loadGroups, useList } from '../state';
import type { Attachment, Clock, Macro, Ticket } from '../types';
import { DeliveryMark, WhatsappBadge, WhatsappWindow, type WhatsappState } from '../components/Whatsapp';

interface Conversation {
  id: number;
  chat_id: string;
  status: 'bot' | 'waiting' | 'active' | 'waiting_on_customer' | 'closed';
  channel: 'chat' | 'whatsapp';
  subject: string;
  contact_id: number | null;
  email: string;
  agent_id: number | null;
  ticket_number: number | null;
  handed_off_at: string | null;
  wait_seconds: number | null;
  contact_name?: string;
  contact_email?: string;
  organization_name?: string;
  agent_name?: string;
  /** Agents' list only: first and next response, from the hand-off. */
  clocks?: Clock[];
  whatsapp?: WhatsappState;
}

interface ChatMessage {
  seq: number;
  author: 'customer' | 'agent' | 'bot' | 'system';
  text: string;
  at: string;
  client_id: string | null;
  attachments: Attachment[];
}

const STATUS_KEYS = {
  bot: 'chats.status.bot',
  waiting: 'chats.status.waiting',
  active: 'chats.status.active',
  waiting_on_customer: 'chats.status.waitingOnCustomer',
  closed: 'chats.status.closed',
} as const;

// Who the customer is for canned replies: the contact, or a WhatsApp profile's name.
function customerName(c: Conversation | undefined): string {
  return c?.contact_name || c?.whatsapp?.profile_name || '';
}

function minutes(seconds: number): number {
  return Math.max(0, Math.floor(seconds / 60));
}

export function AgentChatsPage() {
  useTitle(t('chats.title'));
  const [queue, setQueue] = useState<Conversation[] | null>(null);
  const [limit, setLimit] = useState({ held: 0, max: 0 });
  const [open, setOpen] = useState<number[]>([]);
  const [error, setError] = useState<unknown>(null);
  const now = useNow(15_000);

  const reload = () =>
    get<{ items: Conversation[]; held: number; max_per_agent: number }>('/api/v1/conversations').then(
      (r) => {
        setQueue(r.items);
        setLimit({ held: r.held, max: r.max_per_agent });
      },
      (err) => setError(err),
    );
  useEffect(() => {
    void reload();
    const timer = window.setInterval(() => void reload(), 5000);
    return () => window.clearInterval(timer);
  }, []);

  const show = (id: number) => setOpen((o) => (o.includes(id) ? o : [...o, id]));
  const accept = async (c: Conversation) => {
    setError(null);
    try {
      await post(`/api/v1/conversations/${c.id}/accept`);
      show(c.id);
      void reload();
    } catch (err) {
      setError(err);
    }
  };

  return (
    <div class="page chats" data-testid="chats-page">
      <h1>{t('chats.title')}</h1>
      {limit.max > 0 && <p class="muted" data-testid="chats-held">{t('chats.held', { held: limit.held, max: limit.max })}</p>}
      {error !== null && <ErrorBox error={error} />}
      <div class="chats-layout">
        <section class="chats-queue" aria-label={t('chats.queue')}>
          <h2>{t('chats.queue')}</h2>
          {queue === null ? (
            <Loading />
          ) : queue.length === 0 ? (
            <Empty>{t('chats.none')}</Empty>
          ) : (
            <ul class="list-plain">
              {queue.map((c) => (
                <li key={c.id} class="chats-row" data-testid={`chat-row-${c.chat_id}`}>
                  <strong>{c.contact_name || c.email || c.whatsapp?.profile_name || t('chats.visitor')}</strong> <span class="muted">{c.chat_id}</span>
                  {c.whatsapp && <> <WhatsappBadge number={c.whatsapp.number} /></>}
                  <div class="muted">{c.subject}</div>
                  <div>
                    <span class="badge">{t(STATUS_KEYS[c.status])}</span>{' '}
                    {c.wait_seconds !== null && (
                      <span data-testid="chat-wait">{t('chats.waiting', { minutes: minutes(c.wait_seconds) })}</span>
                    )}
                    {c.agent_name && <span class="muted"> · {c.agent_name}</span>}{' '}
                    <NextDue clocks={c.clocks} now={now} />
                  </div>
                  {c.status === 'waiting' ? (
                    <button type="button" class="btn btn-primary" data-testid="chat-accept" onClick={() => void accept(c)}>
                      {t('chats.accept')}
                    </button>
                  ) : (
                    <button type="button" class="btn" data-testid="chat-open" onClick={() => show(c.id)}>
                      {t('chats.open')}
                    </button>
                  )}
                </li>
              ))}
            </ul>
          )}
        </section>
        <div class="chats-open">
          {open.map((id) => (
            <ChatPanel
              key={id}
              id={id}
              contactName={customerName(queue?.find((c) => c.id === id))}
              clocks={queue?.find((c) => c.id === id)?.clocks ?? []}
              onClose={() => setOpen((o) => o.filter((x) => x !== id))} onChange={() => void reload()} />
          ))}
        </div>
      </div>
    </div>
  );
}

function ChatPanel({
  id,
  contactName,
  clocks,
  onClose,
  onChange,
}: {
  id: number;
  contactName: string;
  clocks: Clock[];
  onClose: () => void;
  onChange: () => void;
}) {
  const me = currentUser();
  const agents = useList(loadAgents);
  const groups = useList(loadGroups);
  const [conversation, setConversation] = useState<Conversation | null>(null);
  const [messages, setMessages] = useState<ChatMessage[]>([]);
  const [typing, setTyping] = useState(false);
  const [readSeq, setReadSeq] = useState(0);
  const [draft, setDraft] = useState('');
  const [files, setFiles] = useState<File[]>([]);
  const [macros, setMacros] = useState<Macro[]>([]);
  const [tickets, setTickets] = useState<Ticket[]>([]);
  const [transferTo, setTransferTo] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [whatsapp, setWhatsapp] = useState<WhatsappState | null>(null);
  const [deliveryChanged, setDeliveryChanged] = useState(0);
  const socket = useRef<WebSocket | null>(null);
  const newest = useRef(0);
  const sent = useRef(0);
  const now = useNow(15_000);

  // The socket, reconnected after a drop with the newest seq held.
  useEffect(() => {
    let stopped = false;
    let retry = 0;
    const connect = () => {
      const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws';
      const ws = new WebSocket(`${scheme}://${window.location.host}/api/v1/conversations/${id}/socket`);
      socket.current = ws;
      ws.onopen = () => ws.send(JSON.stringify({ type: 'hello', after: newest.current }));
      ws.onmessage = (e) => {
        const f = JSON.parse(String(e.data));
        if (f.type === 'welcome' || f.type === 'conversation') setConversation(f.conversation);
        if (f.type === 'message' && f.message.seq > newest.current) {
          newest.current = f.message.seq;
          setMessages((m) => [...m, f.message]);
          if (f.message.author === 'customer') setTyping(false);
        }
        if (f.type === 'typing') {
          setTyping(true);
          window.setTimeout(() => setTyping(false), 4000);
        }
        if (f.type === 'read' && f.by === 'customer') setReadSeq(f.seq);
        if (f.type === 'delivery') setDeliveryChanged((n) => n + 1);
        if (f.type === 'error') setError(new Error(f.detail));
      };
      ws.onclose = () => {
        if (stopped) return;
        retry = Math.min(retry + 1, 5);
        window.setTimeout(connect, 500 * retry);
      };
    };
    connect();
    return () => {
      stopped = true;
      socket.current?.close();
    };
  }, [id]);

  useEffect(() => {
    if (conversation?.channel !== 'whatsapp') return;
    get<{ whatsapp?: WhatsappState }>(`/api/v1/conversations/${id}?after=${newest.current}`).then(
      (r) => setWhatsapp(r.whatsapp ?? null),
      () => setWhatsapp(null),
    );
  }, [conversation?.channel, messages.length, deliveryChanged]);
  useEffect(() => {
    get<{ items: Macro[] }>('/api/v1/macros').then((r) => setMacros(r.items), () => setMacros([]));
  }, []);
  useEffect(() => {
    if (!conversation?.contact_id) return;
    get<{ items: Ticket[] }>(`/api/v1/tickets?requester_id=${conversation.contact_id}&limit=10`).then(
      (r) => setTickets(r.items),
      () => setTickets([]),
    );
  }, [conversation?.contact_id, conversation?.ticket_number]);
  useEffect(() => {
    const last = messages[messages.length - 1];
    if (last && socket.current?.readyState === WebSocket.OPEN) socket.current.send(JSON.stringify({ type: 'read', seq: last.seq }));
  }, [messages.length]);

  const send = async (e: Event) => {
    e.preventDefault();
    const text = draft.trim();
    sent.current += 1;
    const clientId = `agent-${id}-${Date.now()}-${sent.current}`;
    if (files.length) {
      // The stored message comes back on the socket like any other.
      const form = new FormData();
      form.append('text', text);
      form.append('client_id', clientId);
      for (const f of files) form.append('attachments', f, f.name);
      setError(null);
      try {
        await post(`/api/v1/conversations/${id}/messages`, form);
        setDraft('');
        setFiles([]);
        onChange();
      } catch (err) {
        setError(err);
      }
      return;
    }
    if (!text || socket.current?.readyState !== WebSocket.OPEN) return;
    socket.current.send(JSON.stringify({ type: 'send', client_id: clientId, text }));
    setDraft('');
    onChange();
  };
  const act = async (what: string, body?: unknown) => {
    setError(null);
    try {
      const r = await post<{ conversation: Conversation; ticket_number?: number }>(`/api/v1/conversations/${id}/${what}`, body);
      setConversation(r.conversation);
      onChange();
    } catch (err) {
      setError(err);
    }
  };
  const transfer = () => {
    if (!transferTo) return;
    const [kind, value] = transferTo.split(':');
    void act('transfer', kind === 'agent' ? { agent_id: Number(value) } : { group_id: Number(value) });
    setTransferTo('');
  };
  const canned = (macroId: string) => {
    const m = macros.find((x) => String(x.id) === macroId);
    if (!m) return;
    const filled = m.body
      .replaceAll('{{customer.name}}', contactName)
      .replaceAll('{{agent.name}}', me?.name ?? '');
    setDraft((d) => (d ? `${d}\n${filled}` : filled));
  };

  if (!conversation) return <section class="chat-panel"><Loading /></section>;
  const closed = conversation.status === 'closed';
  const others = tickets.filter((x) => x.number !== conversation.ticket_number);
  return (
    <section class="chat-panel card" data-testid={`chat-panel-${conversation.chat_id}`} aria-label={conversation.chat_id}>
      <header class="chat-panel-head">
        <strong>{conversation.chat_id}</strong> <span class="badge" data-testid="chat-status">{t(STATUS_KEYS[conversation.status])}</span>
        {whatsapp && <> <WhatsappBadge number={whatsapp.number} /></>}
        <button type="button" class="btn btn-small" onClick={onClose} aria-label={t('chats.hide')}>
          ×
        </button>
      </header>
      {error !== null && <ErrorBox error={error} />}
      {!closed && clocks.length > 0 && (
        <ul class="chat-clocks list-plain" data-testid="chat-clocks" aria-label={t('sla.title')}>
          {clocks.map((k) => (
            <li key={k.target} data-testid={`chat-clock-${k.target}`}>
              {targetLabel(k.target)} <ClockBadge clock={k} now={now} /> <span class="muted">{countdownText(k, now)}</span>
            </li>
          ))}
        </ul>
      )}
      <ol class="chat-messages list-plain" data-testid="chat-messages">
        {messages.map((m) => (
          <li key={m.seq} class={`chat-message chat-${m.author}`} data-seq={m.seq}>
            <span class="muted">{t(`chats.author.${m.author}` as 'chats.author.customer')}</span> {m.text}
            <AttachmentList items={m.attachments ?? []} />
            {whatsapp && m.author === 'agent' && <DeliveryMark delivery={whatsapp.deliveries[String(m.seq)]} />}
          </li>
        ))}
      </ol>
      {typing && <p class="muted" data-testid="chat-typing">{t('chats.typing')}</p>}
      {readSeq > 0 && readSeq >= newest.current && <p class="muted" data-testid="chat-read">{t('chats.read')}</p>}
      {conversation.ticket_number !== null && (
        <p data-testid="chat-ticket">
          <Link href={`/agent/tickets/${conversation.ticket_number}`}>{t('chats.ticket', { number: conversation.ticket_number })}</Link>
        </p>
      )}
      {whatsapp && !closed && <WhatsappWindow conversationId={id} state={whatsapp} onSent={onChange} />}
      {!closed && (
        <form onSubmit={(e) => void send(e)} class="chat-reply">
          {(whatsapp === null || whatsapp.window_open) && (<>
          <label class="sr-only" for={`chat-reply-${id}`}>
            {t('chats.reply')}
          </label>
          <textarea
            id={`chat-reply-${id}`}
            data-testid="chat-reply"
            rows={2}
            value={draft}
            onInput={(e) => {
              setDraft((e.target as HTMLTextAreaElement).value);
              if (socket.current?.readyState === WebSocket.OPEN) socket.current.send(JSON.stringify({ type: 'typing' }));
            }}
          />
          {!whatsapp && <FilePicker id={`chat-files-${id}`} files={files} onChange={setFiles} testid="chat-files" />}
          <div class="row">
            <button type="submit" class="btn btn-primary" data-testid="chat-send">
              {t('chats.send')}
            </button>
            {macros.length > 0 && (
              <select aria-label={t('chats.canned')} data-testid="chat-canned" value="" onChange={(e) => canned((e.target as HTMLSelectElement).value)}>
                <option value="">{t('chats.canned')}</option>
                {macros.map((m) => (
                  <option key={m.id} value={String(m.id)}>
                    {m.name}
                  </option>
                ))}
              </select>
            )}
          </div>
          </>)}
          <div class="row">
            <select aria-label={t('chats.transferTo')} data-testid="chat-transfer-to" value={transferTo} onChange={(e) => setTransferTo((e.target as HTMLSelectElement).value)}>
              <option value="">{t('chats.transferTo')}</option>
              {agents
                .filter((a) => a.id !== me?.id)
                .map((a) => (
                  <option key={`a${a.id}`} value={`agent:${a.id}`}>
                    {a.name}
                  </option>
                ))}
              {groups.map((g) => (
                <option key={`g${g.id}`} value={`group:${g.id}`}>
                  {g.name}
                </option>
              ))}
            </select>
            <button type="button" class="btn" data-testid="chat-transfer" onClick={transfer}>
              {t('chats.transfer')}
            </button>
            <button type="button" class="btn" data-testid="chat-convert" onClick={() => void act('convert')}>
              {t('chats.convert')}
            </button>
            <button type="button" class="btn" data-testid="chat-close" onClick={() => void act('close')}>
              {t('chats.close')}
            </button>
          </div>
        </form>
      )}
      <aside class="chat-tickets" aria-label={t('chats.otherTickets')}>
        <h3>{t('chats.otherTickets')}</h3>
        {others.length === 0 ? (
          <p class="muted">{t('chats.noOtherTickets')}</p>
        ) : (
          <ul class="list-plain" data-testid="chat-other-tickets">
            {others.map((x) => (
              <li key={x.number}>
                <Link href={`/agent/tickets/${x.number}`}>
                  #{x.number} {x.subject}
                </Link>
              </li>
            ))}
          </ul>
        )}
      </aside>
    </section>
  );
}
