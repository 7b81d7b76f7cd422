// Outcomes and the customer's word: choosing a resolution from the policy's list (with what it
// will tell the customer), and the outcome of a solved ticket as agents and customers see it
// (resolution, its text, the summary, and the customer's answer to the survey).
import { formatDateTime, getLanguage, resolutionLabel, t } from '../i18n';
import { RESOLUTIONS, type PolicyOutcomes, type Resolution, type SurveyAnswer, type Ticket } from '../types';

/** The policy's resolutions, or all of them before the policy arrives. */
export function resolutionChoices(outcomes: PolicyOutcomes | null): Resolution[] {
  return outcomes ? outcomes.resolutions.map((r) => r.key) : RESOLUTIONS;
}

function customerText(outcomes: PolicyOutcomes | null, r: Resolution): string {
  const texts = outcomes?.resolutions.find((x) => x.key === r)?.texts ?? {};
  return texts[getLanguage()] ?? texts.en ?? '';
}

export function ResolutionSelect({
  id,
  testid,
  value,
  outcomes,
  onChange,
}: {
  id: string;
  testid: string;
  value: Resolution | '';
  outcomes: PolicyOutcomes | null;
  onChange: (r: Resolution | '') => void;
}) {
  const choices = resolutionChoices(outcomes);
  const text = value ? customerText(outcomes, value) : '';
  return (
    <>
      <select
        id={id}
        data-testid={testid}
        value={value}
        aria-describedby={`${id}-hint`}
        aria-required={outcomes?.required ? 'true' : undefined}
        onChange={(e) => onChange((e.currentTarget as HTMLSelectElement).value as Resolution | '')}
      >
        <option value="">{outcomes?.required ? t('outcome.choose') : t('outcome.defaultAnswered')}</option>
        {value && !choices.includes(value) && <option value={value}>{resolutionLabel(value)}</option>}
        {choices.map((r) => (
          <option key={r} value={r}>
            {resolutionLabel(r)}
          </option>
        ))}
      </select>
      <p id={`${id}-hint`} class="hint" data-testid={`${testid}-text`}>
        {text ? t('outcome.customerReads', { text }) : outcomes?.required ? t('outcome.requiredHint') : ''}
      </p>
    </>
  );
}

export function Stars({ rating }: { rating: number }) {
  return (
    <span class="stars" role="img" aria-label={t('survey.ratingOf', { rating })}>
      {'★'.repeat(rating)}
      <span class="stars-off">{'★'.repeat(5 - rating)}</span>
    </span>
  );
}

function SurveyLine({ survey, customer }: { survey: SurveyAnswer; customer: boolean }) {
  return (
    <div class="survey-answer" data-testid="ticket-survey">
      <strong>{customer ? t('survey.yourAnswer') : t('survey.customerAnswer')}</strong> <Stars rating={survey.rating} />{' '}
      <span class="muted small">{formatDateTime(survey.updated_at)}</span>
      {survey.comment && <blockquote class="survey-comment">{survey.comment}</blockquote>}
    </div>
  );
}

/** A solved (or closed) ticket's outcome; nothing before it has one. */
export function OutcomeCard({ ticket, customer }: { ticket: Ticket; customer: boolean }) {
  if (!ticket.resolution && !ticket.survey) return null;
  return (
    <section class="card outcome-card" aria-labelledby="outcome-title" data-testid="ticket-outcome">
      <h2 class="card-title" id="outcome-title">
        {t('outcome.title')}
      </h2>
      {ticket.resolution && (
        <p>
          <strong data-testid="outcome-resolution">{resolutionLabel(ticket.resolution)}</strong>
          {ticket.resolution_text && <span data-testid="outcome-text"> — {ticket.resolution_text}</span>}
        </p>
      )}
      {ticket.resolution_summary && (
        <div class="outcome-summary" data-testid="outcome-summary">
          <span class="muted small">{t('outcome.summary')}</span>
          <p class="pre-wrap">{ticket.resolution_summary}</p>
        </div>
      )}
      {ticket.survey && <SurveyLine survey={ticket.survey} customer={customer} />}
    </section>
  );
}
