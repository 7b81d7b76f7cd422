// /agent/reports: the support lead's reports (docs/reports.md) over one filter — response and
// resolution times, SLA achievement, backlog, channels, outcomes, satisfaction — each as a
// table and an SVG chart drawn with the theme's own colours (so it reads in any theme and
// prints in black on white), a CSV download of each table with the same filter, and every
// figure a button that lists the tickets behind it.
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { get, qs } from '../api';
import { AgentTicketList } from '../components/TicketList';
import { Empty, ErrorBox, Loading, useNow, useTitle } from '../components/common';
import { channelLabel, formatDuration, formatNumber, resolutionLabel, t, targetLabel } from '../i18n';
import { loadAgents, loadGroups, loadPriorities, useList } from '../state';
import type {
  BacklogReport,
  ChannelReport,
  DurationSummary,
  OutcomeReport,
  Page,
  Policy,
  ReportDrill,
  Resolution,
  ResponseTimesReport,
  SatisfactionReport,
  SlaReport,
  Ticket,
  TimeFigures,
} from '../types';

interface Filter {
  from: string;
  to: string;
  priority: string;
  plan: string;
  group: string;
  agent: string;
  organization: string;
}

const EMPTY_FILTER: Filter = { from: '', to: '', priority: '', plan: '', group: '', agent: '', organization: '' };

interface Reports {
  times: ResponseTimesReport;
  sla: SlaReport;
  backlog: BacklogReport;
  channels: ChannelReport;
  outcomes: OutcomeReport;
  satisfaction: SatisfactionReport;
}

interface Drilled {
  title: string;
  drill: ReportDrill;
}

const query = (f: Filter, extra: Record<string, string | number | undefined> = {}) => qs({ ...f, ...extra });

const minutes = (m: number | null) => (m === null ? '—' : formatDuration(m * 60_000));
const percent = (v: number | null) => (v === null ? '—' : `${formatNumber(Math.round(v * 1000) / 10)} %`);

/** A figure that lists its tickets when pressed. */
function Figure({ value, title, drill, onDrill }: { value: string | number; title: string; drill: ReportDrill; onDrill: (d: Drilled) => void }) {
  return (
    <button type="button" class="link-button report-figure" data-testid="report-figure" title={t('reports.drillHint')} onClick={() => onDrill({ title, drill })}>
      {typeof value === 'number' ? formatNumber(value) : value}
    </button>
  );
}

interface Bar {
  label: string;
  value: number;
  shown: string;
}

/** Horizontal bars: the length is the value against the largest; labels and values in the text colour. */
function BarChart({ bars, label, testid }: { bars: Bar[]; label: string; testid: string }) {
  const row = 26;
  const labelWidth = 150;
  const width = 560;
  const max = Math.max(1, ...bars.map((b) => b.value));
  const height = bars.length * row + 4;
  return (
    <svg class="report-chart" data-testid={testid} role="img" aria-label={label} viewBox={`0 0 ${width} ${height}`} width="100%" preserveAspectRatio="xMinYMin meet">
      <title>{label}</title>
      {bars.map((b, i) => {
        const y = i * row + 2;
        const w = Math.max(b.value > 0 ? 2 : 0, ((width - labelWidth - 90) * b.value) / max);
        return (
          <g key={b.label} class="report-bar">
            <text x={labelWidth - 8} y={y + 16} text-anchor="end" class="report-chart-label">
              {b.label}
            </text>
            <rect x={labelWidth} y={y + 3} width={w} height={row - 8} rx="3" class="report-bar-fill" />
            <text x={labelWidth + w + 6} y={y + 16} class="report-chart-value">
              {b.shown}
            </text>
          </g>
        );
      })}
    </svg>
  );
}

/** The backlog's line: open tickets at the end of each day, the axis from 0 to the largest. */
function LineChart({ days, label }: { days: BacklogReport['days']; label: string }) {
  const width = 560;
  const height = 180;
  const left = 40;
  const bottom = 24;
  const max = Math.max(1, ...days.map((d) => d.open));
  const x = (i: number) => left + (days.length > 1 ? ((width - left - 10) * i) / (days.length - 1) : (width - left) / 2);
  const y = (v: number) => 8 + (height - bottom - 8) * (1 - v / max);
  const points = days.map((d, i) => `${x(i).toFixed(1)},${y(d.open).toFixed(1)}`).join(' ');
  return (
    <svg class="report-chart" data-testid="chart-backlog" role="img" aria-label={label} viewBox={`0 0 ${width} ${height}`} width="100%" preserveAspectRatio="xMinYMin meet">
      <title>{label}</title>
      <line x1={left} y1={y(0)} x2={width - 10} y2={y(0)} class="report-axis" />
      <line x1={left} y1={y(max)} x2={width - 10} y2={y(max)} class="report-gridline" />
      <text x={left - 6} y={y(0) + 4} text-anchor="end" class="report-chart-label">
        0
      </text>
      <text x={left - 6} y={y(max) + 4} text-anchor="end" class="report-chart-label">
        {formatNumber(max)}
      </text>
      {days.length > 0 && (
        <>
          <text x={x(0)} y={height - 6} class="report-chart-label">
            {days[0].day}
          </text>
          <text x={x(days.length - 1)} y={height - 6} text-anchor="end" class="report-chart-label">
            {days[days.length - 1].day}
          </text>
        </>
      )}
      <polyline points={points} class="report-line" fill="none" />
      {days.map((d, i) => (
        <circle key={d.day} cx={x(i)} cy={y(d.open)} r="3" class="report-dot">
          <title>{`${d.day}: ${formatNumber(d.open)}`}</title>
        </circle>
      ))}
    </svg>
  );
}

function Section({ id, title, csv, children }: { id: string; title: string; csv: string; children: ComponentChildren }) {
  return (
    <section class="card report-section" data-testid={`report-${id}`}>
      <header class="report-section-head">
        <h2 class="card-title">{title}</h2>
        <a class="btn btn-small no-print" href={csv} download={`${id}.csv`} data-testid={`csv-${id}`}>
          {t('reports.csv')}
        </a>
      </header>
      {children}
    </section>
  );
}

function SummaryCells({ s, title, drill, onDrill }: { s: DurationSummary; title: string; drill: ReportDrill; onDrill: (d: Drilled) => void }) {
  return (
    <>
      <td class="num">
        <Figure value={s.count} title={title} drill={drill} onDrill={onDrill} />
      </td>
      <td class="num">{minutes(s.mean_minutes)}</td>
      <td class="num">{minutes(s.median_minutes)}</td>
      <td class="num">{minutes(s.p90_minutes)}</td>
    </>
  );
}

function TimesTable({ name, figures, onDrill }: { name: string; figures: TimeFigures; onDrill: (d: Drilled) => void }) {
  const rows: [string, TimeFigures][] = [[t('reports.allPriorities'), figures], ...(figures.by_priority ?? []).map((p): [string, TimeFigures] => [p.priority ?? '', p])];
  return (
    <table class="table report-table" data-testid={`times-${name}`}>
      <caption>{t(name === 'first_response' ? 'reports.firstResponse' : 'reports.resolution')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('reports.priority')}</th>
          <th scope="col">{t('reports.time')}</th>
          <th scope="col" class="num">{t('reports.tickets')}</th>
          <th scope="col" class="num">{t('reports.mean')}</th>
          <th scope="col" class="num">{t('reports.median')}</th>
          <th scope="col" class="num">{t('reports.p90')}</th>
        </tr>
      </thead>
      <tbody>
        {rows.flatMap(([label, f]) =>
          (['calendar', 'business'] as const).map((kind) => (
            <tr key={`${label}-${kind}`} data-testid="times-row">
              <th scope="row">{kind === 'calendar' ? label : ''}</th>
              <td>{t(kind === 'calendar' ? 'reports.calendarTime' : 'reports.businessTime')}</td>
              <SummaryCells s={f[kind]} title={`${t(name === 'first_response' ? 'reports.firstResponse' : 'reports.resolution')} · ${label}`} drill={f.drill} onDrill={onDrill} />
            </tr>
          )),
        )}
      </tbody>
    </table>
  );
}

function DrillList({ drilled, filter, onClose }: { drilled: Drilled; filter: Filter; onClose: () => void }) {
  const priorities = useList(loadPriorities);
  const now = useNow();
  const [items, setItems] = useState<Ticket[] | null>(null);
  const [next, setNext] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const load = (after?: string) => {
    const params: Record<string, string | number | undefined> = { ...drilled.drill, limit: 50, after };
    get<Page<Ticket>>(`/api/v1/reports/tickets${query(filter, params)}`).then(
      (p) => {
        setItems((old) => (after && old ? [...old, ...p.items] : p.items));
        setNext(p.next);
      },
      setError,
    );
  };
  useEffect(() => {
    setItems(null);
    setError(null);
    load();
  }, [drilled, filter]);
  return (
    <section class="card report-drill" data-testid="report-drill" aria-live="polite">
      <header class="report-section-head">
        <h2 class="card-title">{t('reports.drillTitle', { figure: drilled.title })}</h2>
        <button type="button" class="btn btn-small no-print" onClick={onClose} data-testid="drill-close">
          {t('reports.drillClose')}
        </button>
      </header>
      <ErrorBox error={error} />
      {!items && !error && <Loading />}
      {items && items.length === 0 && <Empty>{t('reports.drillEmpty')}</Empty>}
      {items && items.length > 0 && <AgentTicketList items={items} priorities={priorities} now={now} />}
      {next && (
        <button type="button" class="btn no-print" onClick={() => load(next)} data-testid="drill-more">
          {t('reports.drillMore')}
        </button>
      )}
    </section>
  );
}

/** One of the filter's choices: "any", then the options. */
function FilterSelect({ name, value, onChange, options }: { name: 'priority' | 'plan' | 'group' | 'agent'; value: string; onChange: (e: Event) => void; options: { value: string; label: string }[] }) {
  return (
    <div class="inline-field">
      <label for={`report-${name}`}>{t(`reports.${name}`)}</label>
      <select id={`report-${name}`} value={value} onChange={onChange} data-testid={`report-${name}`}>
        <option value="">{t('reports.any')}</option>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}

export function ReportsPage() {
  useTitle(t('reports.title'));
  const priorities = useList(loadPriorities);
  const groups = useList(loadGroups);
  const agents = useList(loadAgents);
  const [plans, setPlans] = useState<Policy['plans']>([]);
  const [draft, setDraft] = useState<Filter>(EMPTY_FILTER);
  const [filter, setFilter] = useState<Filter>(EMPTY_FILTER);
  const [data, setData] = useState<Reports | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [drilled, setDrilled] = useState<Drilled | null>(null);

  useEffect(() => {
    get<Policy>('/api/v1/policy').then((p) => setPlans(p.plans), () => setPlans([]));
  }, []);

  useEffect(() => {
    let live = true;
    setError(null);
    setData(null);
    const q = query(filter);
    Promise.all([
      get<ResponseTimesReport>(`/api/v1/reports/response-times${q}`),
      get<SlaReport>(`/api/v1/reports/sla${q}`),
      get<BacklogReport>(`/api/v1/reports/backlog${q}`),
      get<ChannelReport>(`/api/v1/reports/channels${q}`),
      get<OutcomeReport>(`/api/v1/reports/outcomes${q}`),
      get<SatisfactionReport>(`/api/v1/reports/satisfaction${q}`),
    ]).then(
      ([times, sla, backlog, channels, outcomes, satisfaction]) => live && setData({ times, sla, backlog, channels, outcomes, satisfaction }),
      (err) => live && setError(err),
    );
    return () => {
      live = false;
    };
  }, [filter]);

  const set = (k: keyof Filter) => (e: Event) => setDraft({ ...draft, [k]: (e.currentTarget as HTMLInputElement).value });
  const csv = (path: string) => `/api/v1/reports/${path}${query(filter, { format: 'csv' })}`;
  const onDrill = (d: Drilled) => setDrilled(d);
  const totals = data?.sla.rows.filter((r) => r.priority === null) ?? [];

  return (
    <div class="page page-wide reports" data-testid="reports">
      <header class="page-header">
        <h1>{t('reports.title')}</h1>
        <p class="muted">{data ? t('reports.period', { from: data.times.period.from.slice(0, 10), to: data.times.period.to.slice(0, 10) }) : t('reports.subtitle')}</p>
      </header>
      <form
        class="toolbar report-filters no-print"
        data-testid="report-filters"
        onSubmit={(e) => {
          e.preventDefault();
          setDrilled(null);
          setFilter(draft);
        }}
      >
        <div class="inline-field">
          <label for="report-from">{t('reports.from')}</label>
          <input id="report-from" type="date" value={draft.from} onChange={set('from')} data-testid="report-from" />
        </div>
        <div class="inline-field">
          <label for="report-to">{t('reports.to')}</label>
          <input id="report-to" type="date" value={draft.to} onChange={set('to')} data-testid="report-to" />
        </div>
        <FilterSelect name="priority" value={draft.priority} onChange={set('priority')} options={priorities.map((p) => ({ value: p.name, label: p.name }))} />
        <FilterSelect name="plan" value={draft.plan} onChange={set('plan')} options={plans.map((p) => ({ value: p.key, label: p.name || p.key }))} />
        <FilterSelect name="group" value={draft.group} onChange={set('group')} options={groups.map((g) => ({ value: String(g.id), label: g.name }))} />
        <FilterSelect name="agent" value={draft.agent} onChange={set('agent')} options={agents.map((a) => ({ value: String(a.id), label: a.name || a.email }))} />
        <div class="inline-field">
          <label for="report-organization">{t('reports.organization')}</label>
          <input id="report-organization" type="number" min="1" value={draft.organization} onChange={set('organization')} data-testid="report-organization" />
        </div>
        <button type="submit" class="btn btn-primary" data-testid="report-apply">
          {t('reports.apply')}
        </button>
        <button type="button" class="btn" onClick={() => window.print()}>
          {t('reports.print')}
        </button>
      </form>
      <ErrorBox error={error} />
      {!data && !error && <Loading />}
      {drilled && <DrillList drilled={drilled} filter={filter} onClose={() => setDrilled(null)} />}
      {data && (
        <div class="report-grid">
          <Section id="response-times" title={t('reports.times')} csv={csv('response-times')}>
            <BarChart
              testid="chart-first-response"
              label={t('reports.chartFirstResponse')}
              bars={(data.times.first_response.by_priority ?? []).map((p) => ({
                label: p.priority ?? '',
                value: p.calendar.mean_minutes ?? 0,
                shown: minutes(p.calendar.mean_minutes),
              }))}
            />
            <TimesTable name="first_response" figures={data.times.first_response} onDrill={onDrill} />
            <TimesTable name="resolution" figures={data.times.resolution} onDrill={onDrill} />
          </Section>

          <Section id="sla" title={t('reports.sla')} csv={csv('sla')}>
            {data.sla.rows.length === 0 ? (
              <Empty>{t('reports.slaEmpty')}</Empty>
            ) : (
              <>
                <BarChart
                  testid="chart-sla"
                  label={t('reports.chartSla')}
                  bars={totals.map((r) => ({ label: targetLabel(r.target), value: (r.achievement ?? 0) * 100, shown: percent(r.achievement) }))}
                />
                <table class="table report-table" data-testid="sla-table">
                  <thead>
                    <tr>
                      <th scope="col">{t('reports.target')}</th>
                      <th scope="col">{t('reports.priority')}</th>
                      <th scope="col" class="num">{t('reports.met')}</th>
                      <th scope="col" class="num">{t('reports.breached')}</th>
                      <th scope="col" class="num">{t('reports.achievement')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {data.sla.rows.map((r) => {
                      const label = `${targetLabel(r.target)} · ${r.priority ?? t('reports.allPriorities')}`;
                      return (
                        <tr key={`${r.target}-${r.priority}`} class={r.priority === null ? 'report-total' : ''} data-testid="sla-row">
                          <td>{targetLabel(r.target)}</td>
                          <td>{r.priority ?? t('reports.allPriorities')}</td>
                          <td class="num">
                            <Figure value={r.met} title={`${label} · ${t('reports.met')}`} drill={{ ...r.drill, state: 'met' }} onDrill={onDrill} />
                          </td>
                          <td class="num">
                            <Figure value={r.breached} title={`${label} · ${t('reports.breached')}`} drill={{ ...r.drill, state: 'breached' }} onDrill={onDrill} />
                          </td>
                          <td class="num">{percent(r.achievement)}</td>
                        </tr>
                      );
                    })}
                  </tbody>
                </table>
              </>
            )}
          </Section>

          <Section id="backlog" title={t('reports.backlog')} csv={csv('backlog')}>
            <LineChart days={data.backlog.days} label={t('reports.chartBacklog')} />
            <details class="report-details">
              <summary>{t('reports.byDay')}</summary>
              <table class="table report-table" data-testid="backlog-table">
                <thead>
                  <tr>
                    <th scope="col">{t('reports.day')}</th>
                    <th scope="col" class="num">{t('reports.created')}</th>
                    <th scope="col" class="num">{t('reports.solved')}</th>
                    <th scope="col" class="num">{t('reports.open')}</th>
                  </tr>
                </thead>
                <tbody>
                  {data.backlog.days.map((d) => (
                    <tr key={d.day}>
                      <td>{d.day}</td>
                      <td class="num">{formatNumber(d.created)}</td>
                      <td class="num">{formatNumber(d.solved)}</td>
                      <td class="num">
                        <Figure value={d.open} title={`${t('reports.open')} · ${d.day}`} drill={d.drill} onDrill={onDrill} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </details>
          </Section>

          <Section id="channels" title={t('reports.channels')} csv={csv('channels')}>
            {data.channels.rows.length === 0 ? (
              <Empty>{t('reports.nothing')}</Empty>
            ) : (
              <>
                <BarChart
                  testid="chart-channels"
                  label={t('reports.chartChannels')}
                  bars={data.channels.rows.map((r) => ({ label: channelLabel(r.channel), value: r.created, shown: formatNumber(r.created) }))}
                />
                <table class="table report-table" data-testid="channels-table">
                  <thead>
                    <tr>
                      <th scope="col">{t('reports.channel')}</th>
                      <th scope="col" class="num">{t('reports.created')}</th>
                      <th scope="col" class="num">{t('reports.solved')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {data.channels.rows.map((r) => (
                      <tr key={r.channel}>
                        <td>{channelLabel(r.channel)}</td>
                        <td class="num">
                          <Figure value={r.created} title={`${channelLabel(r.channel)} · ${t('reports.created')}`} drill={r.drill.created} onDrill={onDrill} />
                        </td>
                        <td class="num">
                          <Figure value={r.solved} title={`${channelLabel(r.channel)} · ${t('reports.solved')}`} drill={r.drill.solved} onDrill={onDrill} />
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </>
            )}
          </Section>

          <Section id="outcomes" title={t('reports.outcomes')} csv={csv('outcomes')}>
            {data.outcomes.rows.length === 0 ? (
              <Empty>{t('reports.nothing')}</Empty>
            ) : (
              <>
                <BarChart
                  testid="chart-outcomes"
                  label={t('reports.chartOutcomes')}
                  bars={data.outcomes.rows.map((r) => ({ label: outcomeName(r.resolution), value: r.count, shown: `${formatNumber(r.count)} (${percent(r.share)})` }))}
                />
                <table class="table report-table" data-testid="outcomes-table">
                  <thead>
                    <tr>
                      <th scope="col">{t('reports.resolution')}</th>
                      <th scope="col" class="num">{t('reports.tickets')}</th>
                      <th scope="col" class="num">{t('reports.share')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {data.outcomes.rows.map((r) => (
                      <tr key={r.resolution}>
                        <td>{outcomeName(r.resolution)}</td>
                        <td class="num">
                          <Figure value={r.count} title={outcomeName(r.resolution)} drill={r.drill} onDrill={onDrill} />
                        </td>
                        <td class="num">{percent(r.share)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </>
            )}
          </Section>

          <Section id="satisfaction" title={t('reports.satisfaction')} csv={csv('satisfaction')}>
            <dl class="report-stats" data-testid="satisfaction-stats">
              <div>
                <dt>{t('reports.meanRating')}</dt>
                <dd data-testid="mean-rating">{data.satisfaction.mean_rating === null ? '—' : formatNumber(Math.round(data.satisfaction.mean_rating * 100) / 100)}</dd>
              </div>
              <div>
                <dt>{t('reports.responseRate')}</dt>
                <dd data-testid="response-rate">{percent(data.satisfaction.response_rate)}</dd>
              </div>
              <div>
                <dt>{t('reports.answered')}</dt>
                <dd>
                  <Figure value={data.satisfaction.answered} title={t('reports.answered')} drill={data.satisfaction.drill} onDrill={onDrill} />
                  {' / '}
                  {formatNumber(data.satisfaction.solved)}
                </dd>
              </div>
            </dl>
            <BarChart
              testid="chart-ratings"
              label={t('reports.chartRatings')}
              bars={data.satisfaction.by_rating.map((r) => ({ label: t('reports.rating', { rating: r.rating }), value: r.count, shown: formatNumber(r.count) }))}
            />
          </Section>
        </div>
      )}
    </div>
  );
}

function outcomeName(resolution: string): string {
  return resolution === 'none' ? t('reports.noResolution') : resolutionLabel(resolution as Resolution);
}
