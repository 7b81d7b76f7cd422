// The chatbot in the customer portal ("Get help"): the conversation with the desk's flow
// (docs/chatbot.md) through POST /api/v1/bot/sessions and .../messages. Options are buttons,
// the words of a search, a ticket's question and an email address are typed; articles link to
// the help center, an opened ticket to its page. The signed-in customer's credentials hold
// the session, so its token is not needed here. When the flow hands the customer to a person,
// the desk continues in a live conversation carrying these turns (docs/chat.md): the panel then
// shows the live chat's frame (the widget's, same origin) on that conversation.
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, post } from '../api';
import { getLanguage, t } from '../i18n';
import { Link } from '../router';
import type { BotSession, BotTurn } from '../types';
import { ErrorBox } from './common';

/** The live conversation a hand-off continues in, and the token that holds it. */
interface LiveChat {
  id: number;
  chat_id: string;
  status: string;
  token: string;
}

export function BotPanel({ onClose }: { onClose: () => void }) {
  const [session, setSession] = useState<BotSession | null>(null);
  const [turns, setTurns] = useState<BotTurn[]>([]);
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [live, setLive] = useState<LiveChat | null>(null);
  const log = useRef<HTMLOListElement>(null);
  const input = useRef<HTMLInputElement>(null);

  const start = () => {
    setBusy(true);
    setError(null);
    post<BotSession>('/api/v1/bot/sessions', { language: getLanguage() }).then(
      (s) => {
        setSession(s);
        setTurns(s.turns);
        setBusy(false);
      },
      (err) => {
        setError(err);
        setBusy(false);
      },
    );
  };
  useEffect(start, []);
  useEffect(() => {
    log.current?.lastElementChild?.scrollIntoView?.({ block: 'nearest' });
    if (session && session.awaiting !== 'nothing' && !busy) input.current?.focus();
  }, [turns.length, busy]);

  const send = async (answer: { option: string } | { text: string }) => {
    if (!session || busy) return;
    setBusy(true);
    setError(null);
    try {
      const r = await post<BotSession & { conversation?: LiveChat }>(`/api/v1/bot/sessions/${session.id}/messages`, answer);
      setSession(r);
      setTurns((prev) => [...prev, ...r.turns]);
      if (r.conversation) {
        // The widget's frame keeps its conversation here (web/public/widget/chat.js).
        try {
          localStorage.setItem('chamado-chat', JSON.stringify({ id: r.conversation.id, token: r.conversation.token, newest: 0 }));
          setLive(r.conversation);
        } catch {
          setLive(null); // storage refused (private mode): the waiting notice stays
        }
      }
      // Only the text sent is cleared: what was typed meanwhile is kept.
      if ('text' in answer) setText('');
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const last = turns[turns.length - 1];
  const open = session !== null && !['ended', 'ticket_opened', 'expired'].includes(session.status);
  const offersOptions = open && last?.author === 'bot' && last.options.length > 0;
  const expired = error instanceof ApiError && error.status === 409;
  const placeholder =
    session?.awaiting === 'words'
      ? t('bot.placeholderWords')
      : session?.awaiting === 'email'
        ? t('bot.placeholderEmail')
        : session?.awaiting === 'description'
          ? t('bot.placeholderQuestion')
          : t('bot.placeholder');

  return (
    <section class="card bot-panel" aria-labelledby="bot-title" data-testid="bot-panel">
      <div class="bot-head">
        <h2 id="bot-title" class="card-title">
          {t('bot.title')}
        </h2>
        <button type="button" class="btn btn-ghost btn-small" onClick={onClose} data-testid="bot-close">
          {t('bot.close')}
        </button>
      </div>
      <ol class="bot-log" ref={log} aria-live="polite" data-testid="bot-log">
        {turns.map((turn, i) => (
          <li key={turn.seq} class={`bot-turn bot-turn-${turn.author}`} data-testid={`bot-turn-${turn.author}`}>
            <span class="sr-only">{turn.author === 'bot' ? t('bot.assistantSays') : t('bot.youSaid')}</span>
            <p class="bot-text">{turn.text}</p>
            {turn.articles.length > 0 && (
              <ul class="bot-articles" data-testid="bot-articles">
                {turn.articles.map((a) => (
                  <li key={a.key}>
                    <a href={a.url} target="_blank" rel="noopener" data-testid="bot-article">
                      {a.title}
                    </a>
                  </li>
                ))}
              </ul>
            )}
            {turn.ticket && (
              <p>
                <Link href={`/portal/tickets/${turn.ticket.number}`} class="btn btn-small" data-testid="bot-ticket-link">
                  {t('bot.seeTicket', { number: turn.ticket.number })}
                </Link>
              </p>
            )}
            {i === turns.length - 1 && offersOptions && (
              <div class="bot-options" role="group" aria-label={t('bot.options')}>
                {turn.options.map((o) => (
                  <button
                    key={o.id}
                    type="button"
                    class="btn btn-small"
                    disabled={busy}
                    data-testid="bot-option"
                    onClick={() => send({ option: o.id })}
                  >
                    {o.label}
                  </button>
                ))}
              </div>
            )}
          </li>
        ))}
      </ol>
      {session?.status === 'waiting_for_agent' && !live && (
        <p class="bot-state" role="status" data-testid="bot-waiting">
          {t('bot.waiting')}
        </p>
      )}
      {live && (
        <iframe
          class="bot-live-chat"
          src={`/widget/chat.html?lang=${encodeURIComponent(getLanguage())}`}
          title={t('bot.liveChat', { id: live.chat_id })}
          data-testid="bot-live-chat"
        />
      )}
      {session && !open && (
        <p class="bot-state" data-testid="bot-finished">
          {session.status === 'expired' ? t('bot.expired') : t('bot.finished')}{' '}
          <button type="button" class="link-button" onClick={start} data-testid="bot-restart">
            {t('bot.restart')}
          </button>
        </p>
      )}
      <ErrorBox error={error} title={t('bot.failed')} testid="bot-error" />
      {expired && (
        <button type="button" class="btn btn-small" onClick={start} data-testid="bot-restart-after-error">
          {t('bot.restart')}
        </button>
      )}
      {session && open && session.awaiting !== 'nothing' && (
        <form
          class="bot-input"
          onSubmit={(e) => {
            e.preventDefault();
            if (text.trim()) send({ text: text.trim() });
          }}
        >
          <label for="bot-text" class="sr-only">
            {t('bot.yourAnswer')}
          </label>
          <input
            id="bot-text"
            ref={input}
            type={session.awaiting === 'email' ? 'email' : 'text'}
            value={text}
            maxLength={2000}
            placeholder={placeholder}
            autocomplete={session.awaiting === 'email' ? 'email' : 'off'}
            data-testid="bot-text"
            onInput={(e) => setText((e.currentTarget as HTMLInputElement).value)}
          />
          <button type="submit" class="btn btn-primary btn-small" disabled={busy || !text.trim()} data-testid="bot-send">
            {t('bot.send')}
          </button>
        </form>
      )}
    </section>
  );
}
