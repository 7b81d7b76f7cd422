// What the live-chat console shows of a WhatsApp conversation (docs/whatsapp.md): a badge with
// the customer's number, the 24-hour window (open until when, or closed), the template form
// the closed window leaves, and each agent message's delivery (sent, delivered, read, failed
// with Meta's title). The server's `whatsapp` object of GET /api/v1/conversations/{id}.
import { useState } from 'preact/hooks';
import { post } from '../api';
import { ErrorBox } from './common';
import { formatDateTime, t } from '../i18n';

export interface WhatsappDelivery {
  status: 'received' | 'queued' | 'sent' | 'delivered' | 'read' | 'failed';
  error: string | null;
}

export interface WhatsappState {
  number: string;
  profile_name: string;
  window_open: boolean;
  window_closes_at: string | null;
  deliveries: Record<string, WhatsappDelivery>;
}

export function WhatsappBadge({ number }: { number: string }) {
  return (
    <span class="badge badge-whatsapp" data-testid="chat-whatsapp">
      {t('chats.whatsapp.badge')} +{number}
    </span>
  );
}

export function DeliveryMark({ delivery }: { delivery: WhatsappDelivery | undefined }) {
  if (!delivery || delivery.status === 'received') return null;
  const label = t(`chats.whatsapp.delivery.${delivery.status}` as 'chats.whatsapp.delivery.sent');
  return (
    <span class={`muted delivery delivery-${delivery.status}`} data-testid="chat-delivery" data-status={delivery.status}>
      {' '}
      · {delivery.status === 'failed' && delivery.error ? t('chats.whatsapp.failed', { error: delivery.error }) : label}
    </span>
  );
}

// The window's state and, once it closed, the template form.
export function WhatsappWindow({ conversationId, state, onSent }: { conversationId: number; state: WhatsappState; onSent: () => void }) {
  const [name, setName] = useState('');
  const [language, setLanguage] = useState('');
  const [parameters, setParameters] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const send = async (e: Event) => {
    e.preventDefault();
    setError(null);
    setBusy(true);
    try {
      const list = parameters.split('\n').map((p) => p.trim()).filter((p) => p !== '');
      await post(`/api/v1/conversations/${conversationId}/whatsapp/template`, { name: name.trim(), language: language.trim(), parameters: list });
      setName('');
      setParameters('');
      onSent();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  if (state.window_open)
    return (
      <p class="muted" data-testid="chat-whatsapp-window" data-open="true">
        {t('chats.whatsapp.windowOpen', { time: formatDateTime(state.window_closes_at) })}
      </p>
    );
  return (
    <div class="whatsapp-closed">
      <p class="alert alert-error" data-testid="chat-whatsapp-window" data-open="false">
        {t('chats.whatsapp.windowClosed')}
      </p>
      <form class="stack" onSubmit={send} data-testid="chat-whatsapp-template">
        <strong>{t('chats.whatsapp.template')}</strong>
        <label>
          {t('chats.whatsapp.templateName')}
          <input required value={name} data-testid="chat-template-name" placeholder="order_update" onInput={(e) => setName((e.target as HTMLInputElement).value)} />
        </label>
        <label>
          {t('chats.whatsapp.templateLanguage')}
          <input required value={language} data-testid="chat-template-language" placeholder="pt_BR" onInput={(e) => setLanguage((e.target as HTMLInputElement).value)} />
        </label>
        <label>
          {t('chats.whatsapp.templateParameters')}
          <textarea rows={2} value={parameters} data-testid="chat-template-parameters" onInput={(e) => setParameters((e.target as HTMLTextAreaElement).value)} />
        </label>
        {error !== null && <ErrorBox error={error} />}
        <button type="submit" class="btn btn-primary" disabled={busy} data-testid="chat-template-send">
          {t('chats.whatsapp.templateSend')}
        </button>
      </form>
    </div>
  );
}
