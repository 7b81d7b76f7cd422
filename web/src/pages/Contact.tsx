// A contact's page for agents: who they are, their organization and plan, their tickets, and
// how they rated our answers (the satisfaction history).
import { useEffect, useState } from 'preact/hooks';
import { get, qs } from '../api';
import { useServerNow } from '../clock';
import { Empty, ErrorBox, Loading, useTitle } from '../components/common';
import { AgentTicketList } from '../components/TicketList';
import { usePagedList } from '../hooks';
import { formatDateTime, LANGUAGES, t } from '../i18n';
import { Link } from '../router';
import { loadPriorities, useList } from '../state';
import type { Organization, Policy, Ticket, User } from '../types';
import { LoadMore } from './AgentLists';

interface SurveyItem {
  ticket: number;
  subject: string;
  rating: number;
  comment: string;
  answered_at: string;
}

interface Surveys {
  items: SurveyItem[];
  count: number;
  mean_rating: number | null;
}

export function ContactPage({ id }: { id: number }) {
  const [contact, setContact] = useState<User | null>(null);
  const [org, setOrg] = useState<Organization | null>(null);
  const [planName, setPlanName] = useState('');
  const [surveys, setSurveys] = useState<Surveys | null>(null);
  const [error, setError] = useState<unknown>(null);
  const priorities = useList(loadPriorities);
  const now = useServerNow();
  const tickets = usePagedList<Ticket>(`/api/v1/tickets${qs({ requester_id: id, limit: 25 })}`);
  useTitle(contact ? contact.name || contact.email : t('contact.title'));

  useEffect(() => {
    get<User>(`/api/v1/contacts/${id}`).then(async (u) => {
      setContact(u);
      if (!u.organization_id) return;
      const o = await get<Organization>(`/api/v1/organizations/${u.organization_id}`);
      setOrg(o);
      const policy = await get<Policy>('/api/v1/policy').catch(() => null);
      setPlanName(policy?.plans.find((p) => p.key === o.plan)?.name ?? o.plan);
    }).catch(setError);
    get<Surveys>(`/api/v1/contacts/${id}/surveys`).then(setSurveys, () => setSurveys(null));
  }, [id]);

  if (error) return <div class="page"><ErrorBox error={error} /></div>;
  if (!contact) return <div class="page"><Loading /></div>;
  const language = LANGUAGES.find((l) => l.code === contact.language)?.name ?? contact.language;
  return (
    <div class="page page-wide" data-testid="contact-page">
      <div class="page-head">
        <div>
          <h1 data-testid="contact-name">{contact.name || contact.email}</h1>
          <p class="muted">
            <a href={`mailto:${contact.email}`}>{contact.email}</a> · {language} · {contact.time_zone}
          </p>
        </div>
      </div>
      <div class="contact-columns">
        <section class="card" aria-labelledby="contact-org-title" data-testid="contact-organization">
          <h2 class="card-title" id="contact-org-title">{t('contact.organization')}</h2>
          {org ? (
            <dl class="facts">
              <dt>{t('admin.name')}</dt>
              <dd>{org.name}</dd>
              <dt>{t('admin.plan')}</dt>
              <dd data-testid="contact-plan">{planName || t('admin.noPlan')}</dd>
              {org.notes && (
                <>
                  <dt>{t('admin.notes')}</dt>
                  <dd class="pre-wrap">{org.notes}</dd>
                </>
              )}
            </dl>
          ) : (
            <p class="muted">{t('ticket.noOrganization')}</p>
          )}
        </section>
        <section class="card" aria-labelledby="contact-surveys-title" data-testid="contact-surveys">
          <h2 class="card-title" id="contact-surveys-title">{t('contact.satisfaction')}</h2>
          {!surveys || surveys.count === 0 ? (
            <p class="muted small">{t('contact.noSurveys')}</p>
          ) : (
            <>
              <p data-testid="contact-mean-rating">
                {t('contact.meanRating', { mean: (surveys.mean_rating ?? 0).toFixed(1), n: surveys.count })}
              </p>
              <ul class="plain-list small">
                {surveys.items.map((s) => (
                  <li key={s.ticket} data-testid="contact-survey">
                    <span class="stars" aria-label={t('contact.rating', { n: s.rating })}>
                      {'★'.repeat(s.rating)}
                      <span class="stars-off">{'★'.repeat(5 - s.rating)}</span>
                    </span>{' '}
                    <Link href={`/agent/tickets/${s.ticket}`}>#{s.ticket} {s.subject}</Link>{' '}
                    <span class="muted">{formatDateTime(s.answered_at)}</span>
                    {s.comment && <p class="survey-comment">{s.comment}</p>}
                  </li>
                ))}
              </ul>
            </>
          )}
        </section>
      </div>
      <h2>{t('contact.tickets')}</h2>
      <ErrorBox error={tickets.error} />
      {tickets.loading ? (
        <Loading />
      ) : tickets.items.length === 0 && !tickets.error ? (
        <Empty>{t('tickets.empty')}</Empty>
      ) : (
        <AgentTicketList items={tickets.items} priorities={priorities} now={now} />
      )}
      {!tickets.loading && <LoadMore list={tickets} />}
    </div>
  );
}
