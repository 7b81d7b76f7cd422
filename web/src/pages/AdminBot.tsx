// The chatbot's flow (/agent/admin/bot): the TOML in effect to read and edit, every problem of
// a refused flow by line (with the node it names), the warnings of the one applied, and the
// history with a rollback per version. The format is docs/chatbot.md.
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, get, post, put } from '../api';
import { Empty, ErrorBox, Loading, RelTime, useNow, useTitle } from '../components/common';
import { t } from '../i18n';
import type { BotFlow } from '../types';
import { AdminFrame } from './Admin';
import { goToLine, LineErrorList, lineErrorsOf, parseErrorField } from './Policy';

export function AdminBotPage() {
  useTitle(t('botAdmin.title'));
  const now = useNow();
  const [flow, setFlow] = useState<BotFlow | null>(null);
  const [missing, setMissing] = useState(false);
  const [history, setHistory] = useState<BotFlow[] | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [source, setSource] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [applied, setApplied] = useState<number | null>(null);
  const [version, setVersion] = useState(0);
  const editor = useRef<HTMLTextAreaElement>(null);

  useEffect(() => {
    get<BotFlow>('/api/v1/bot/flow').then(
      (f) => {
        setFlow(f);
        setMissing(false);
        setSource((s) => (s && version > 0 ? s : (f.source ?? '')));
      },
      (err) => {
        if (err instanceof ApiError && err.status === 404) setMissing(true);
        else setLoadError(err);
      },
    );
    get<{ items: BotFlow[] }>('/api/v1/bot/flow/history').then((r) => setHistory(r.items), setLoadError);
  }, [version]);

  const done = (f: BotFlow) => {
    setApplied(f.version);
    setSource(f.source ?? '');
    setVersion((v) => v + 1);
  };
  const submit = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(null);
    setApplied(null);
    try {
      done(await put<BotFlow>('/api/v1/bot/flow', { source }));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const rollback = async (to: number) => {
    if (busy) return;
    setBusy(true);
    setError(null);
    setApplied(null);
    try {
      done(await post<BotFlow>('/api/v1/bot/flow/rollback', { version: to }));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const lineErrors = lineErrorsOf(error);
  const warnings = (flow?.warnings ?? []).map((w) => ({ ...parseErrorField(w.field), message: w.message }));
  return (
    <AdminFrame section="bot">
      <div class="page-head">
        <div>
          <h1>{t('botAdmin.title')}</h1>
          <p class="muted">{t('botAdmin.subtitle')}</p>
        </div>
      </div>
      <ErrorBox error={loadError} />
      {!flow && !missing && !loadError ? (
        <Loading />
      ) : (
        <>
          {flow ? (
            <p data-testid="bot-flow-current">
              {t('botAdmin.current', { version: flow.version, name: flow.name })} · <RelTime iso={flow.applied_at} now={now} />
            </p>
          ) : (
            <p class="muted" data-testid="bot-flow-none">
              {t('botAdmin.none')}
            </p>
          )}
          {warnings.length > 0 && (
            <div class="alert" role="status" data-testid="bot-flow-warnings">
              <strong class="alert-title">{t('botAdmin.warnings', { count: warnings.length })}</strong>
              <ul class="error-list">
                {warnings.map((w, i) => (
                  <li key={i}>
                    {w.line !== null && t('policy.line', { line: w.line })} <code>{w.key}</code> {w.message}
                  </li>
                ))}
              </ul>
            </div>
          )}
          <form class="card" onSubmit={submit} noValidate data-testid="bot-flow-form">
            <label for="bot-flow-source">{t('botAdmin.source')}</label>
            <p class="hint">{t('botAdmin.sourceHint')}</p>
            <textarea
              id="bot-flow-source"
              ref={editor}
              class="source-input"
              rows={22}
              spellcheck={false}
              autocomplete="off"
              value={source}
              data-testid="bot-flow-source"
              aria-invalid={lineErrors.length ? 'true' : undefined}
              onInput={(e) => {
                setSource((e.currentTarget as HTMLTextAreaElement).value);
                setApplied(null);
              }}
            />
            {lineErrors.length > 0 ? (
              <LineErrorList
                errors={lineErrors}
                title={t('botAdmin.refused', { count: lineErrors.length })}
                onLine={(n) => goToLine(editor.current, n)}
                testid="bot-flow"
              />
            ) : (
              <ErrorBox error={error} title={t('botAdmin.notApplied')} testid="bot-flow-errors" />
            )}
            {applied !== null && (
              <div class="alert alert-ok" role="status" data-testid="bot-flow-applied">
                {t('botAdmin.applied', { version: applied })}
              </div>
            )}
            <div class="form-actions">
              <button type="submit" class="btn btn-primary" disabled={busy || !source.trim()} data-testid="bot-flow-apply">
                {busy ? t('common.saving') : t('botAdmin.apply')}
              </button>
            </div>
          </form>
          <section class="card" aria-labelledby="bot-history-title">
            <h2 id="bot-history-title" class="card-title">
              {t('botAdmin.history')}
            </h2>
            {history === null ? (
              <Loading />
            ) : history.length === 0 ? (
              <Empty>
                <p>{t('botAdmin.noHistory')}</p>
              </Empty>
            ) : (
              <table class="table" data-testid="bot-flow-history">
                <thead>
                  <tr>
                    <th scope="col">{t('botAdmin.version')}</th>
                    <th scope="col">{t('botAdmin.name')}</th>
                    <th scope="col">{t('botAdmin.appliedAt')}</th>
                    <th scope="col">
                      <span class="sr-only">{t('botAdmin.actions')}</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {history.map((h) => (
                    <tr key={h.version} data-testid="bot-flow-version" data-version={h.version}>
                      <td>
                        v{h.version}
                        {h.restored_from !== null && <span class="muted"> {t('botAdmin.restoredFrom', { version: h.restored_from })}</span>}
                      </td>
                      <td>{h.name}</td>
                      <td>
                        <RelTime iso={h.applied_at} now={now} />
                      </td>
                      <td>
                        {h.version === flow?.version ? (
                          <span class="badge">{t('botAdmin.inEffect')}</span>
                        ) : (
                          <button
                            type="button"
                            class="btn btn-small"
                            disabled={busy}
                            data-testid="bot-flow-rollback"
                            onClick={() => rollback(h.version)}
                          >
                            {t('botAdmin.rollback', { version: h.version })}
                          </button>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>
        </>
      )}
    </AdminFrame>
  );
}
