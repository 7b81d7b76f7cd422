// /agent/reports/feature-requests: every ticket solved as a feature request, grouped by
// organization, with who asked; the product team reads it here or downloads it as CSV.
import { useEffect, useState } from 'preact/hooks';
import { get, qs } from '../api';
import { Empty, ErrorBox, Loading, useTitle } from '../components/common';
import { formatDateTime, t } from '../i18n';
import { Link } from '../router';
import type { FeatureRequests } from '../types';

export function FeatureRequestsPage() {
  useTitle(t('features.title'));
  const [since, setSince] = useState('');
  const [data, setData] = useState<FeatureRequests | null>(null);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    let live = true;
    setError(null);
    get<FeatureRequests>(`/api/v1/reports/feature-requests${qs({ since: since || undefined })}`).then(
      (d) => live && setData(d),
      (err) => live && setError(err),
    );
    return () => {
      live = false;
    };
  }, [since]);

  const csv = `/api/v1/reports/feature-requests${qs({ format: 'csv', since: since || undefined })}`;
  return (
    <div class="page page-wide" data-testid="feature-requests">
      <header class="page-header">
        <h1>{t('features.title')}</h1>
        <p class="muted">{t('features.subtitle')}</p>
      </header>
      <div class="toolbar">
        <div class="inline-field">
          <label for="features-since">{t('features.since')}</label>
          <input id="features-since" type="date" value={since} data-testid="features-since" onChange={(e) => setSince((e.currentTarget as HTMLInputElement).value)} />
        </div>
        <a class="btn" href={csv} download="feature-requests.csv" data-testid="features-csv">
          {t('features.downloadCsv')}
        </a>
      </div>
      <ErrorBox error={error} />
      {!data && !error && <Loading />}
      {data && data.total === 0 && <Empty>{t('features.empty')}</Empty>}
      {data &&
        data.groups.map((g) => (
          <section class="card feature-group" key={g.organization?.id ?? 0} data-testid="features-group">
            <h2 class="card-title">
              {g.organization ? g.organization.name : t('features.noOrganization')}{' '}
              <span class="muted small">{t('features.count', { count: g.count })}</span>
            </h2>
            <table class="table">
              <thead>
                <tr>
                  <th scope="col">{t('features.ticket')}</th>
                  <th scope="col">{t('features.request')}</th>
                  <th scope="col">{t('features.askedBy')}</th>
                  <th scope="col">{t('features.solved')}</th>
                </tr>
              </thead>
              <tbody>
                {g.tickets.map((tk) => (
                  <tr key={tk.number} data-testid="features-row">
                    <td>
                      <Link href={`/agent/tickets/${tk.number}`}>#{tk.number}</Link>
                    </td>
                    <td>
                      <strong>{tk.subject}</strong>
                      {tk.summary && <p class="muted small pre-wrap">{tk.summary}</p>}
                    </td>
                    <td>
                      {tk.requester.name} <span class="muted small">{tk.requester.email}</span>
                    </td>
                    <td>{tk.solved_at ? formatDateTime(tk.solved_at) : '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        ))}
    </div>
  );
}
