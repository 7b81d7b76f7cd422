// API tokens: every token with its owner and last use; a new one for anybody active, whose
// secret is shown once, right after it is made; revoking one after a confirmation.
import { useEffect, useRef, useState } from 'preact/hooks';
import { del, get, post } from '../api';
import { Empty, ErrorBox, Loading, RelTime, useTitle } from '../components/common';
import { t } from '../i18n';
import { currentUser, loadAgents, useList } from '../state';
import type { ApiToken } from '../types';
import { AdminFrame, described, Field, fieldError } from './Admin';

type Order = 'newest' | 'name' | 'last_used';

// The confirmation takes the place (and the keyboard focus) of the button that asked for it.
const focused = new WeakSet<HTMLElement>();
function focusOnce(el: HTMLElement | null) {
  if (el && !focused.has(el)) {
    focused.add(el);
    el.focus();
  }
}

/** The server lists newest first; by name, or most recently used first (never used last). */
function sorted(tokens: ApiToken[], order: Order): ApiToken[] {
  if (order === 'newest') return tokens;
  const out = [...tokens];
  if (order === 'name') out.sort((a, b) => a.name.localeCompare(b.name));
  else out.sort((a, b) => (b.last_used_at ?? '').localeCompare(a.last_used_at ?? ''));
  return out;
}

export function AdminTokensPage() {
  useTitle(t('admin.tokens'));
  const me = currentUser();
  const agents = useList(loadAgents);
  const [tokens, setTokens] = useState<ApiToken[] | null>(null);
  const [listError, setListError] = useState<unknown>(null);
  const [version, setVersion] = useState(0);
  const [name, setName] = useState('');
  const [owner, setOwner] = useState(me ? String(me.id) : '');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [made, setMade] = useState<ApiToken | null>(null);
  const [confirming, setConfirming] = useState<number | null>(null);
  const [order, setOrder] = useState<Order>('newest');
  const secretRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    get<{ items: ApiToken[] }>('/api/v1/tokens').then((r) => setTokens(r.items), setListError);
  }, [version]);
  useEffect(() => {
    if (made) secretRef.current?.select();
  }, [made]);

  const create = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(null);
    setMade(null);
    try {
      const tk = await post<ApiToken>('/api/v1/tokens', { name: name.trim(), ...(owner ? { user_id: Number(owner) } : {}) });
      setMade(tk);
      setName('');
      setVersion((v) => v + 1);
    } catch (err) {
      setError(err);
    }
    setBusy(false);
  };

  const revoke = async (id: number) => {
    setBusy(true);
    setListError(null);
    try {
      await del(`/api/v1/tokens/${id}`);
      if (made?.id === id) setMade(null);
      setConfirming(null);
      setVersion((v) => v + 1);
    } catch (err) {
      setListError(err);
    }
    setBusy(false);
  };

  const nameError = fieldError(error, 'name');
  const ownerError = fieldError(error, 'user_id');
  return (
    <AdminFrame section="tokens">
      <h1>{t('admin.tokens')}</h1>
      <p class="muted">{t('admin.tokensIntro')}</p>
      <form class="card form-card admin-form" onSubmit={create} noValidate data-testid="token-form">
        <h2 class="card-title">{t('admin.newToken')}</h2>
        <div class="admin-form-row">
          <Field id="token-name" label={t('admin.tokenName')} error={nameError} hint={t('admin.tokenNameHint')}>
            <input id="token-name" type="text" maxLength={100} value={name} data-testid="token-name" {...described('token-name', nameError, t('admin.tokenNameHint'))}
              onInput={(e) => setName((e.currentTarget as HTMLInputElement).value)} />
          </Field>
          <Field id="token-owner" label={t('admin.tokenOwner')} error={ownerError} hint={t('admin.tokenOwnerHint')}>
            <select id="token-owner" value={owner} data-testid="token-owner" {...described('token-owner', ownerError, t('admin.tokenOwnerHint'))}
              onChange={(e) => setOwner((e.currentTarget as HTMLSelectElement).value)}>
              {agents.filter((a) => a.active).map((a) => (
                <option key={a.id} value={String(a.id)}>{a.name ? `${a.name} <${a.email}>` : a.email}</option>
              ))}
              {agents.length === 0 && me && <option value={String(me.id)}>{me.email}</option>}
            </select>
          </Field>
        </div>
        <ErrorBox error={error} testid="token-error" />
        <div class="form-actions">
          <button type="submit" class="btn btn-primary" disabled={busy} data-testid="token-create">
            {t('admin.createToken')}
          </button>
        </div>
      </form>
      {made?.token && (
        <div class="alert alert-ok token-secret" role="status" data-testid="token-made">
          <strong class="alert-title">{t('admin.tokenMade', { name: made.name })}</strong>
          <label for="token-secret">{t('admin.tokenSecret')}</label>
          <input id="token-secret" ref={secretRef} type="text" readOnly value={made.token} data-testid="token-secret" class="mono" />
          <p class="small">{t('admin.tokenOnce')}</p>
        </div>
      )}
      <div class="toolbar">
        <div class="inline-field sort-field">
          <span class="label" id="token-order-label">
            {t('admin.sortBy')}
          </span>
          <div class="tabs" role="group" aria-labelledby="token-order-label">
            {(
              [
                ['newest', t('admin.sortNewest')],
                ['name', t('admin.sortName')],
                ['last_used', t('admin.sortLastUsed')],
              ] as [Order, string][]
            ).map(([id, label]) => (
              <button key={id} type="button" class="tab" aria-pressed={order === id} data-testid={`token-order-${id}`} onClick={() => setOrder(id)}>
                {label}
              </button>
            ))}
          </div>
        </div>
      </div>
      <ErrorBox error={listError} testid="token-list-error" />
      {!tokens ? (
        !listError && <Loading />
      ) : tokens.length === 0 ? (
        <Empty>{t('admin.noTokens')}</Empty>
      ) : (
        <div class="card table-wrap">
          <table class="table" data-testid="token-table">
            <thead>
              <tr>
                <th scope="col">{t('admin.tokenName')}</th>
                <th scope="col">{t('admin.tokenOwner')}</th>
                <th scope="col">{t('admin.tokenCreated')}</th>
                <th scope="col">{t('admin.tokenLastUsed')}</th>
                <th scope="col"><span class="sr-only">{t('admin.actions')}</span></th>
              </tr>
            </thead>
            <tbody>
              {sorted(tokens, order).map((tk) => (
                <tr key={tk.id} data-testid="token-row">
                  <td>{tk.name}</td>
                  <td>{tk.user.email}</td>
                  <td class="nowrap"><RelTime iso={tk.created_at} /></td>
                  <td class="nowrap">{tk.last_used_at ? <RelTime iso={tk.last_used_at} /> : <span class="muted">{t('admin.neverUsed')}</span>}</td>
                  <td class="nowrap right">
                    {confirming === tk.id ? (
                      <span class="admin-inline">
                        <button type="button" class="btn btn-danger btn-small" disabled={busy} data-testid="token-revoke-confirm" ref={focusOnce} onClick={() => void revoke(tk.id)}>
                          {t('admin.revokeConfirm')}
                        </button>
                        <button type="button" class="btn btn-ghost btn-small" onClick={() => setConfirming(null)}>
                          {t('common.cancel')}
                        </button>
                      </span>
                    ) : (
                      <button type="button" class="btn btn-ghost btn-small" data-testid="token-revoke"
                        aria-label={t('admin.revokeNamed', { name: tk.name })} onClick={() => setConfirming(tk.id)}>
                        {t('admin.revoke')}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </AdminFrame>
  );
}
