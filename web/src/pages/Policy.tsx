// /agent/policy: the service policy in effect, readable (calendars, priorities, plans,
// targets in file order, pause, exemptions, warnings, escalations) and as its TOML source.
// Administrators can apply a new one; every problem the server finds is listed with its line.
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, get, put } from '../api';
import { ErrorBox, FilePicker, Loading, useTitle } from '../components/common';
import { formatWithin, getLanguage, resolutionLabel, statusLabel, t, targetLabel, tMaybe } from '../i18n';
import { currentUser, refreshPolicyCaches } from '../state';
import type { Policy, PolicyConditions, PolicyPriority, PolicyRouting, PolicyRule, Resolution, RoutingMode, SlaTarget, Status } from '../types';

const CONDITION_KEYS: (keyof PolicyConditions)[] = ['plan', 'priority', 'channel', 'organization', 'category', 'tag'];

/** "Plan: Business+ or Pro · Priority: P1", or "Any ticket". */
function conditionsText(when: PolicyConditions | undefined, policy: Policy): string {
  const parts: string[] = [];
  for (const key of CONDITION_KEYS) {
    const values = when?.[key];
    if (!values || !values.length) continue;
    const names = values.map((v) => {
      if (key === 'plan') return policy.plans.find((p) => p.key === v)?.name ?? v;
      if (key === 'channel') return tMaybe(`channel.${v}`, v);
      if (key === 'category') return policy.categories.find((c) => c.key === v)?.name ?? v;
      return v;
    });
    parts.push(`${t(`policy.when.${key}`)}: ${names.join(t('policy.or'))}`);
  }
  return parts.length ? parts.join(' · ') : t('policy.anyTicket');
}

function hasConditions(when: PolicyConditions | undefined): boolean {
  return CONDITION_KEYS.some((k) => (when?.[k]?.length ?? 0) > 0);
}

function targetsText(targets: SlaTarget[] | undefined): string {
  if (!targets || !targets.length) return t('policy.allTargets');
  return targets.map(targetLabel).join(', ');
}

/**
 * A calendar's week as lines, consecutive days with the same hours together, weekday names
 * in the reader's language: ["Mon – Fri 09:00–12:00, 13:00–18:00", "Sat 09:00–13:00"].
 */
export function weekLines(hours: { start: string; end: string }[][], lang: string): string[] {
  // 2024-01-01 was a Monday.
  const day = (i: number) => new Intl.DateTimeFormat(lang, { weekday: 'short', timeZone: 'UTC' }).format(new Date(Date.UTC(2024, 0, 1 + i)));
  const text = (d: { start: string; end: string }[]) => d.map((i) => `${i.start}–${i.end}`).join(', ');
  const lines: string[] = [];
  for (let i = 0; i < hours.length; ) {
    let j = i;
    while (j + 1 < hours.length && text(hours[j + 1]) === text(hours[i])) j++;
    if (hours[i].length) lines.push(`${i === j ? day(i) : `${day(i)} – ${day(j)}`} ${text(hours[i])}`);
    i = j + 1;
  }
  return lines;
}

function priorityDescription(p: PolicyPriority): string {
  const lang = getLanguage();
  return p.descriptions?.[lang] ?? p.descriptions?.[lang.split('-')[0]] ?? p.description;
}

function notifyText(n: string): string {
  return tMaybe(`policy.notify.${n}`, n);
}

/** "policy:61: targets[1].within" → { line: 61, key: "targets[1].within" } */
export function parseErrorField(field: string): { line: number | null; key: string } {
  const m = /^[^:]*:(\d+):\s*(.*)$/.exec(field);
  if (!m) return { line: null, key: field };
  return { line: Number(m[1]), key: m[2] };
}

export interface LineError {
  line: number | null;
  key: string;
  message: string;
}

/** Every problem of a refused TOML file (a policy, a bot flow), by line; a TOML syntax error comes only as `detail`. */
export function lineErrorsOf(err: unknown): LineError[] {
  if (!(err instanceof ApiError) || err.status !== 400) return [];
  const list: LineError[] = err.errors.length
    ? err.errors.map((e) => ({ ...parseErrorField(e.field), message: e.message }))
    : (() => {
        const m = /^[^:\s]*:(\d+):\s*(.*)$/.exec(err.detail);
        return m ? [{ line: Number(m[1]), key: '', message: m[2] }] : [];
      })();
  return list.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
}

/** Selects line `n` of a source being edited, so the admin lands on the problem. */
export function goToLine(ta: HTMLTextAreaElement | null, n: number) {
  if (!ta) return;
  const lines = ta.value.split('\n');
  const start = lines.slice(0, n - 1).reduce((sum, l) => sum + l.length + 1, 0);
  const end = start + (lines[n - 1]?.length ?? 0);
  ta.focus();
  ta.setSelectionRange(start, end);
  const lineHeight = parseFloat(getComputedStyle(ta).lineHeight) || 18;
  ta.scrollTop = Math.max(0, (n - 4) * lineHeight);
}

/** A refused file's problems, each with a button that selects its line. */
export function LineErrorList({
  errors,
  title,
  onLine,
  testid,
}: {
  errors: LineError[];
  title: string;
  onLine: (line: number) => void;
  testid: string;
}) {
  return (
    <div class="alert alert-error" role="alert" data-testid={`${testid}-errors`}>
      <strong class="alert-title">{title}</strong>
      <ul class="error-list">
        {errors.map((le, i) => (
          <li key={i} data-testid={`${testid}-error`} data-line={le.line ?? ''}>
            {le.line !== null && (
              <button type="button" class="link-button error-line" onClick={() => onLine(le.line!)}>
                {t('policy.line', { line: le.line })}
              </button>
            )}
            {le.key && <code>{le.key}</code>} {le.message}
          </li>
        ))}
      </ul>
    </div>
  );
}

export function PolicyPage() {
  useTitle(t('policy.title'));
  const [policy, setPolicy] = useState<Policy | null>(null);
  const [error, setError] = useState<unknown>(null);
  const me = currentUser();

  useEffect(() => {
    let live = true;
    get<Policy>('/api/v1/policy').then(
      (p) => live && setPolicy(p),
      (err) => live && setError(err),
    );
    return () => {
      live = false;
    };
  }, []);

  if (error)
    return (
      <div class="page">
        <ErrorBox error={error} />
      </div>
    );
  if (!policy) return <Loading />;

  return (
    <div class="page policy-page">
      <div class="page-head">
        <div>
          <p class="eyebrow">{t('policy.title')}</p>
          <h1 data-testid="policy-name">{policy.names?.[getLanguage()] ?? (policy.name || t('policy.unnamed'))}</h1>
          {policy.description && (
            <p class="muted" data-testid="policy-description">
              {policy.descriptions?.[getLanguage()] ?? policy.description}
            </p>
          )}
        </div>
        <span class="badge p-unknown" data-testid="policy-version">
          {policy.version === 0 ? t('policy.builtIn') : t('policy.version', { version: policy.version })}
        </span>
      </div>
      <PolicyView policy={policy} />
      <section class="card" aria-labelledby="policy-source-title">
        <h2 class="card-title" id="policy-source-title">
          {t('policy.source')}
        </h2>
        <SourceBlock source={policy.source} />
      </section>
      {me?.role === 'admin' && <ApplyPolicy current={policy} onApplied={setPolicy} />}
    </div>
  );
}

function SourceBlock({ source }: { source: string }) {
  const lines = source.replace(/\n$/, '').split('\n');
  return (
    <pre class="source" data-testid="policy-source" tabIndex={0} aria-label={t('policy.source')}>
      <code>
        {lines.map((l, i) => (
          <span key={i} class="source-line" id={`policy-line-${i + 1}`} data-line={i + 1}>
            {l}
            {'\n'}
          </span>
        ))}
      </code>
    </pre>
  );
}

function PolicyView({ policy }: { policy: Policy }) {
  const lineLink = (line?: number) =>
    line ? (
      <a href={`#policy-line-${line}`} class="line-link">
        {t('policy.line', { line })}
      </a>
    ) : null;
  // Targets name their calendar by id; people read its name in their language.
  const calendarName = (id: string) => policy.calendars.find((c) => c.name === id)?.names?.[getLanguage()] ?? id;
  return (
    <div class="policy-sections">
      <section class="card" aria-labelledby="policy-targets-title" data-testid="policy-targets">
        <h2 class="card-title" id="policy-targets-title">
          {t('policy.targets')}
        </h2>
        <p class="hint policy-explain">{t('policy.firstMatchWins')}</p>
        {policy.targets.length === 0 ? (
          <p class="muted">{t('policy.noTargets')}</p>
        ) : (
          <div class="table-wrap">
            <table class="table">
              <thead>
                <tr>
                  <th scope="col">#</th>
                  <th scope="col">{t('policy.col.target')}</th>
                  <th scope="col">{t('policy.col.within')}</th>
                  <th scope="col">{t('policy.col.calendar')}</th>
                  <th scope="col">{t('policy.col.conditions')}</th>
                  <th scope="col">{t('policy.col.line')}</th>
                </tr>
              </thead>
              <tbody>
                {policy.targets.map((r, i) => (
                  <tr key={i} data-testid="policy-target-row">
                    <td class="muted">{i + 1}</td>
                    <td>{targetLabel(r.target)}</td>
                    <td class="nowrap">{formatWithin(r.within)}</td>
                    <td title={r.calendar}>{calendarName(r.calendar)}</td>
                    <td>{conditionsText(r.when, policy)}</td>
                    <td class="nowrap">{lineLink(r.line)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <div class="policy-grid">
        <section class="card" aria-labelledby="policy-priorities-title">
          <h2 class="card-title" id="policy-priorities-title">
            {t('policy.priorities')}
          </h2>
          <ul class="plain-list">
            {policy.priorities.map((p, i) => (
              <li key={p.name}>
                <span class={`badge ${['p-0', 'p-1', 'p-2'][i] ?? 'p-3'}`}>{p.name}</span>
                {p.name === policy.default_priority && <span class="muted small"> · {t('policy.default')}</span>}
                <p class="small">{priorityDescription(p)}</p>
              </li>
            ))}
          </ul>
        </section>

        <section class="card" aria-labelledby="policy-calendars-title">
          <h2 class="card-title" id="policy-calendars-title">
            {t('policy.calendars')}
          </h2>
          <ul class="plain-list">
            {policy.calendars.map((c) => (
              <li key={c.name}>
                <strong>{c.names?.[getLanguage()] ?? c.name}</strong> <code class="small">{c.name}</code>{' '}
                <span class="muted small">{c.tz}</span>
                <p class="small">
                  {c.always_open ? t('policy.alwaysOpen') : t('policy.businessHours', { hours: formatWithin(`${Math.floor(c.day_length_minutes / 60)}h${c.day_length_minutes % 60 ? `${c.day_length_minutes % 60}m` : ''}`) })}
                  {c.holidays > 0 && ` · ${t('policy.holidays', { count: c.holidays })}`}
                </p>
                {!c.always_open && c.hours && (
                  <ul class="week-hours small" data-testid="policy-calendar-hours">
                    {weekLines(c.hours, getLanguage()).map((line) => (
                      <li key={line}>{line}</li>
                    ))}
                  </ul>
                )}
              </li>
            ))}
          </ul>
        </section>

        <section class="card" aria-labelledby="policy-plans-title">
          <h2 class="card-title" id="policy-plans-title">
            {t('policy.plans')}
          </h2>
          {policy.plans.length === 0 ? (
            <p class="muted small">{t('policy.noPlans')}</p>
          ) : (
            <ul class="plain-list">
              {policy.plans.map((p) => (
                <li key={p.key}>
                  <strong>{p.name}</strong> <code class="small">{p.key}</code>
                  <div class="feature-list">
                    {p.features.map((f) => (
                      <span key={f} class="feature">
                        {tMaybe(`policy.feature.${f}`, f)}
                      </span>
                    ))}
                  </div>
                </li>
              ))}
            </ul>
          )}
        </section>

        {policy.categories.length > 0 && (
          <section class="card" aria-labelledby="policy-categories-title">
            <h2 class="card-title" id="policy-categories-title">
              {t('policy.categories')}
            </h2>
            <ul class="plain-list">
              {policy.categories.map((c) => (
                <li key={c.key}>
                  <strong>{c.names?.[getLanguage()] ?? c.name}</strong> <code class="small">{c.key}</code>
                  {c.group && <p class="small muted">{t('policy.routesTo', { group: c.group })}</p>}
                </li>
              ))}
            </ul>
          </section>
        )}

        <section class="card" aria-labelledby="policy-pause-title">
          <h2 class="card-title" id="policy-pause-title">
            {t('policy.pause')}
          </h2>
          {policy.pause.statuses.length === 0 ? (
            <p class="muted small">{t('policy.noPause')}</p>
          ) : (
            <p class="small">
              {t('policy.pauseRule', {
                targets: targetsText(policy.pause.targets),
                statuses: policy.pause.statuses.map((s) => statusLabel(s)).join(t('policy.or')),
              })}
            </p>
          )}
        </section>

        <section class="card" aria-labelledby="policy-exemptions-title">
          <h2 class="card-title" id="policy-exemptions-title">
            {t('policy.exemptions')}
          </h2>
          {policy.exemptions.length === 0 ? (
            <p class="muted small">{t('policy.noExemptions')}</p>
          ) : (
            <ul class="plain-list small">
              {policy.exemptions.map((e, i) => (
                <li key={i}>
                  {hasConditions(e.when)
                    ? t('policy.exemptionRule', { targets: targetsText(e.targets), conditions: conditionsText(e.when, policy) })
                    : t('policy.exemptionRuleAny', { targets: targetsText(e.targets) })}
                </li>
              ))}
            </ul>
          )}
        </section>

        <section class="card" aria-labelledby="policy-warnings-title">
          <h2 class="card-title" id="policy-warnings-title">
            {t('policy.warnings')}
          </h2>
          {policy.warnings.length === 0 ? (
            <p class="muted small">{t('policy.noWarnings')}</p>
          ) : (
            <ul class="plain-list small">
              {policy.warnings.map((w, i) => (
                <li key={i}>{t('policy.warningRule', { targets: targetsText(w.targets), before: formatWithin(w.before) })}</li>
              ))}
            </ul>
          )}
        </section>

        <section class="card" aria-labelledby="policy-escalations-title">
          <h2 class="card-title" id="policy-escalations-title">
            {t('policy.escalations')}
          </h2>
          {policy.escalations.length === 0 ? (
            <p class="muted small">{t('policy.noEscalations')}</p>
          ) : (
            <ul class="plain-list small">
              {policy.escalations.map((e, i) => (
                <li key={i}>
                  <p>
                    {hasConditions(e.when)
                      ? t('policy.escalationRule', { targets: targetsText(e.targets), conditions: conditionsText(e.when, policy) })
                      : t('policy.escalationRuleAny', { targets: targetsText(e.targets) })}
                  </p>
                  <ul class="actions">
                    {e.raise_priority > 0 && <li>{t('policy.action.raise', { levels: e.raise_priority })}</li>}
                    {e.group && <li>{t('policy.action.group', { group: e.group })}</li>}
                    {e.notify.length > 0 && <li>{t('policy.action.notify', { who: e.notify.map(notifyText).join(', ') })}</li>}
                    {e.webhook && <li>{t('policy.action.webhook', { url: e.webhook })}</li>}
                    {e.mark_escalated && <li>{t('policy.action.level')}</li>}
                  </ul>
                </li>
              ))}
            </ul>
          )}
        </section>

        <section class="card" aria-labelledby="policy-automations-title" data-testid="policy-automations">
          <h2 class="card-title" id="policy-automations-title">
            {t('policy.automations')}
          </h2>
          {!policy.automations?.auto_close && !policy.automations?.rules?.length ? (
            <p class="muted small">{t('policy.noAutomations')}</p>
          ) : (
            <ul class="plain-list small">
              {policy.automations.auto_close && (
              <li data-testid="policy-auto-close">
                <p>{t('policy.autoCloseRule', { after: formatWithin(policy.automations.auto_close.after) })}</p>
                <ul class="actions">
                  {policy.automations.auto_close.reminder_before && (
                    <li>{t('policy.autoCloseReminder', { before: formatWithin(policy.automations.auto_close.reminder_before) })}</li>
                  )}
                  <li>
                    {policy.automations.auto_close.calendar
                      ? t('policy.autoCloseCalendar', { calendar: policy.automations.auto_close.calendar })
                      : t('policy.autoCloseAroundTheClock')}
                  </li>
                  <li>{t('policy.autoCloseAutoReplies')}</li>
                </ul>
              </li>
              )}
              {(policy.automations.rules ?? []).map((r) => (
                <PolicyRuleItem key={r.name} rule={r} policy={policy} lineLink={lineLink} />
              ))}
            </ul>
          )}
        </section>

        <PolicyRoutingCard routing={policy.routing} />

        <section class="card" aria-labelledby="policy-outcomes-title" data-testid="policy-outcomes">
          <h2 class="card-title" id="policy-outcomes-title">
            {t('policy.outcomes')}
          </h2>
          <p class="small">{policy.outcomes?.required ? t('policy.outcomesRequired') : t('policy.outcomesOptional')}</p>
          <ul class="plain-list small">
            {(policy.outcomes?.resolutions ?? []).map((r) => (
              <li key={r.key} data-testid="policy-resolution">
                <strong>{resolutionLabel(r.key)}</strong> <code class="small">{r.key}</code>
                <p class="muted">{r.texts[getLanguage()] ?? r.texts.en}</p>
              </li>
            ))}
          </ul>
          <p class="small policy-surveys" data-testid="policy-surveys">
            {!policy.surveys?.enabled ? t('policy.surveysOff') : policy.surveys.after_auto_close ? t('policy.surveysWithAutoClose') : t('policy.surveysOn')}
          </p>
        </section>
      </div>
    </div>
  );
}

// [routing]: each group's mode and capacity, language, specialist groups.
/** One of [[automations.rules]]: when it fires, on which tickets, and what it does. */
function PolicyRuleItem({ rule, policy, lineLink }: { rule: PolicyRule; policy: Policy; lineLink: (line?: number) => preact.ComponentChildren }) {
  const trigger =
    rule.on === 'time'
      ? t('policy.rule.time', { after: formatWithin(rule.after ?? ''), since: tMaybe(`policy.rule.since.${rule.since}`, rule.since ?? '') })
      : t('policy.rule.event', { event: tMaybe(`ruleOn.${rule.on}`, rule.on) });
  const extra: string[] = [];
  if (rule.when.status?.length) extra.push(`${t('field.status')}: ${rule.when.status.map((s) => statusLabel(s as Status)).join(t('policy.or'))}`);
  if (rule.when.not_tag?.length) extra.push(t('policy.rule.notTag', { tags: rule.when.not_tag.join(', ') }));
  if (rule.when.group?.length) extra.push(`${t('field.group')}: ${rule.when.group.join(t('policy.or'))}`);
  if (rule.when.assigned !== undefined) extra.push(t(rule.when.assigned ? 'policy.rule.assigned' : 'policy.rule.unassigned'));
  const conditions = [hasConditions(rule.when) ? conditionsText(rule.when, policy) : '', ...extra].filter(Boolean).join(' · ');
  const sets = Object.entries(rule.set).map(([field, v]) => {
    if (field === 'assignee' && !v) return t('policy.rule.unassign');
    const shown = field === 'status' ? statusLabel(v as Status) : field === 'resolution' ? resolutionLabel(v as Resolution) : v;
    return t('policy.rule.set', { field: tMaybe(`field.${field}`, field), value: shown });
  });
  return (
    <li data-testid="policy-rule">
      <p>
        <code>{rule.name}</code> {lineLink(rule.line)} — {trigger}
        {conditions ? ` · ${conditions}` : ''}
        {rule.calendar ? ` (${t('policy.autoCloseCalendar', { calendar: rule.calendar })})` : ''}
      </p>
      <ul class="actions">
        {sets.map((text) => (
          <li key={text}>{text}</li>
        ))}
        {rule.add_tags.length > 0 && <li>{t('policy.rule.addTags', { tags: rule.add_tags.join(', ') })}</li>}
        {rule.remove_tags.length > 0 && <li>{t('policy.rule.removeTags', { tags: rule.remove_tags.join(', ') })}</li>}
        {rule.notify.length > 0 && <li>{t('policy.action.notify', { who: rule.notify.map(notifyText).join(', ') })}</li>}
        {rule.mail && <li>{t('policy.rule.mail', { subject: rule.mail.subject[getLanguage()] ?? rule.mail.subject.en ?? Object.values(rule.mail.subject)[0] })}</li>}
        {rule.webhook && <li>{t('policy.action.webhook', { url: rule.webhook })}</li>}
      </ul>
    </li>
  );
}

function PolicyRoutingCard({ routing }: { routing?: PolicyRouting }) {
  const mode = (m: RoutingMode, capacity: number) =>
    capacity > 0 ? t('policy.routingModeCapacity', { mode: tMaybe(`routing.mode.${m}`, m), capacity }) : tMaybe(`routing.mode.${m}`, m);
  return (
    <section class="card" aria-labelledby="policy-routing-title" data-testid="policy-routing">
      <h2 class="card-title" id="policy-routing-title">
        {t('policy.routing')}
      </h2>
      {!routing || !routing.line ? (
        <p class="muted small">{t('policy.noRouting')}</p>
      ) : (
        <ul class="plain-list small">
          <li data-testid="policy-routing-default">{t('policy.routingDefault', { rule: mode(routing.mode, routing.capacity) })}</li>
          {routing.groups.map((g) => (
            <li key={g.name}>{t('policy.routingGroup', { group: g.name, rule: mode(g.mode, g.capacity) })}</li>
          ))}
          {routing.group && <li>{t('policy.routingJoin', { group: routing.group })}</li>}
          <li>{routing.by_language ? t('policy.routingByLanguage') : t('policy.routingAnyLanguage')}</li>
          <li>{t('policy.routingTam')}</li>
          {routing.specialists.length > 0 && <li>{t('policy.routingSpecialists', { groups: routing.specialists.join(', ') })}</li>}
        </ul>
      )}
    </section>
  );
}

function ApplyPolicy({ current, onApplied }: { current: Policy; onApplied: (p: Policy) => void }) {
  const [source, setSource] = useState(current.source);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [applied, setApplied] = useState<number | null>(null);
  // Files the policy names (holidays_ics): the server needs them with every new version.
  const [files, setFiles] = useState<File[]>([]);

  const submit = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(null);
    setApplied(null);
    try {
      const body: { source: string; files?: Record<string, string> } = { source };
      if (files.length) {
        body.files = {};
        for (const f of files) body.files[f.name] = await f.text();
      }
      const p = await put<Policy>('/api/v1/policy', body);
      refreshPolicyCaches();
      setApplied(p.version);
      setSource(p.source);
      onApplied(p);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const lineErrors = lineErrorsOf(error);
  const editor = useRef<HTMLTextAreaElement>(null);
  return (
    <form class="card apply-policy" onSubmit={submit} noValidate data-testid="policy-apply-form">
      <h2 class="card-title">{t('policy.apply')}</h2>
      <p class="hint">{t('policy.applyHint')}</p>
      <label for="policy-new-source" class="sr-only">
        {t('policy.newSource')}
      </label>
      <textarea
        id="policy-new-source"
        ref={editor}
        class="source-input"
        rows={18}
        spellcheck={false}
        autocomplete="off"
        value={source}
        data-testid="policy-new-source"
        aria-invalid={lineErrors.length ? 'true' : undefined}
        onInput={(e) => {
          setSource((e.currentTarget as HTMLTextAreaElement).value);
          setApplied(null);
        }}
      />
      <div class="field policy-files">
        <span class="label">{t('policy.files')}</span>
        <FilePicker id="policy-files" files={files} onChange={setFiles} testid="policy-files" disabled={busy} />
        <p class="hint">{t('policy.filesHint')}</p>
      </div>
      {lineErrors.length > 0 ? (
        <LineErrorList
          errors={lineErrors}
          title={t('policy.refused', { count: lineErrors.length })}
          onLine={(n) => goToLine(editor.current, n)}
          testid="policy"
        />
      ) : (
        <ErrorBox error={error} title={t('policy.notApplied')} testid="policy-errors" />
      )}
      {applied !== null && (
        <div class="alert alert-ok" role="status" data-testid="policy-applied">
          {t('policy.applied', { version: applied })}
        </div>
      )}
      <div class="form-actions">
        <button type="submit" class="btn btn-primary" disabled={busy || !source.trim()} data-testid="policy-apply">
          {busy ? t('common.saving') : t('policy.applyButton')}
        </button>
        {source !== current.source && (
          <button type="button" class="btn btn-ghost" onClick={() => setSource(current.source)}>
            {t('common.reset')}
          </button>
        )}
      </div>
    </form>
  );
}
