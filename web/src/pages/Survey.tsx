// /survey/:number?sig=…: the satisfaction survey behind the signed link of the solved mail.
// No sign-in (the link is the credential), in the customer's language; one answer per request,
// which they may change for 7 days.
import { useEffect, useState } from 'preact/hooks';
import { get, put } from '../api';
import { serverNow } from '../clock';
import { ErrorBox, Loading, useTitle } from '../components/common';
import { Stars } from '../components/Outcome';
import { formatDateTime, matchLanguage, resolutionLabel, setLanguage, t } from '../i18n';
import type { Survey } from '../types';

export function SurveyPage({ number, sig }: { number: string; sig: string }) {
  useTitle(t('survey.title'));
  const path = `/api/v1/surveys/${encodeURIComponent(number)}?sig=${encodeURIComponent(sig)}`;
  const [survey, setSurvey] = useState<Survey | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [rating, setRating] = useState(0);
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [thanks, setThanks] = useState(false);
  const [noRating, setNoRating] = useState(false);

  const show = (s: Survey) => {
    setSurvey(s);
    setRating(s.answer?.rating ?? 0);
    setComment(s.answer?.comment ?? '');
  };

  useEffect(() => {
    let live = true;
    get<Survey>(path, { quiet401: true }).then(
      (s) => {
        if (!live) return;
        // The page speaks the customer's language, whatever this browser chose before.
        const lang = matchLanguage(s.language);
        if (lang) setLanguage(lang);
        show(s);
      },
      (err) => live && setLoadError(err),
    );
    return () => {
      live = false;
    };
  }, [path]);

  const submit = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    setNoRating(!rating);
    if (!rating) return;
    setBusy(true);
    setError(null);
    try {
      show(await put<Survey>(path, { rating, comment }));
      setThanks(true);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  if (loadError)
    return (
      <main class="page page-narrow survey-page" id="main" data-testid="survey-page">
        <h1>{t('survey.title')}</h1>
        <ErrorBox error={loadError} testid="survey-error" />
      </main>
    );
  if (!survey) return <Loading />;
  const tk = survey.ticket;
  const answered = survey.answer !== null;
  const changeable = answered && new Date(survey.answer!.changeable_until).getTime() > serverNow();
  return (
    <main class="page page-narrow survey-page" id="main" data-testid="survey-page">
      <h1>{t('survey.title')}</h1>
      <p class="muted" data-testid="survey-ticket">
        {t('survey.about', { number: tk.number, subject: tk.subject })}
      </p>
      {tk.resolution && (
        <div class="card outcome-card">
          <p>
            <strong>{resolutionLabel(tk.resolution)}</strong>
            {tk.resolution_text && <span> — {tk.resolution_text}</span>}
          </p>
          {tk.resolution_summary && <p class="pre-wrap">{tk.resolution_summary}</p>}
        </div>
      )}
      {!survey.open ? (
        <p class="notice" data-testid="survey-reopened">
          {t('survey.reopened')}
        </p>
      ) : (
        <form class="card survey-form" onSubmit={submit} noValidate data-testid="survey-form">
          <fieldset class="plain rating-field">
            <legend>{t('survey.question')}</legend>
            <div class="rating-choices" role="radiogroup">
              {[1, 2, 3, 4, 5].map((r) => (
                <label key={r} class={`rating-choice${rating >= r ? ' on' : ''}`} data-testid={`survey-rating-${r}`}>
                  <input
                    type="radio"
                    name="rating"
                    value={r}
                    checked={rating === r}
                    onChange={() => {
                      setRating(r);
                      setNoRating(false);
                      setError(null);
                      setThanks(false);
                    }}
                  />
                  <span aria-hidden="true">★</span>
                  <span class="sr-only">{t('survey.ratingOf', { rating: r })}</span>
                </label>
              ))}
            </div>
            <p class="hint">{t('survey.scale')}</p>
          </fieldset>
          <div class="field">
            <label for="survey-comment">{t('survey.comment')}</label>
            <textarea
              id="survey-comment"
              data-testid="survey-comment"
              rows={4}
              maxLength={4000}
              value={comment}
              onInput={(e) => {
                setComment((e.currentTarget as HTMLTextAreaElement).value);
                setThanks(false);
              }}
            />
          </div>
          {noRating && (
            <div class="alert alert-error" role="alert" data-testid="survey-error">
              {t('survey.pickRating')}
            </div>
          )}
          <ErrorBox error={error} testid="survey-error" />
          {thanks && (
            <div class="alert alert-ok" role="status" data-testid="survey-thanks">
              {t('survey.thanks')}
            </div>
          )}
          {answered && (
            <p class="hint" data-testid="survey-answered">
              <Stars rating={survey.answer!.rating} />{' '}
              {changeable
                ? t('survey.changeableUntil', { date: formatDateTime(survey.answer!.changeable_until) })
                : t('survey.final')}
            </p>
          )}
          <button type="submit" class="btn btn-primary" disabled={busy || (answered && !changeable)} data-testid="survey-submit">
            {answered ? t('survey.change') : t('survey.send')}
          </button>
        </form>
      )}
    </main>
  );
}
