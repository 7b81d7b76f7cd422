// SLA clocks for agents: the "Service level" card of a ticket and the compact "next due"
// cell of the lists. Countdowns use the server's now (clock.ts), never the browser's.
import { clockReady } from '../clock';
import { clockStateLabel, formatDateTime, formatDuration, formatWithin, getLanguage, t, targetLabel } from '../i18n';
import type { Clock, ClockState, Ticket } from '../types';
import { CheckIcon } from './icons';

/** green, amber, red, grey, green check, muted */
export type ClockTone = 'ok' | 'warn' | 'late' | 'paused' | 'met' | 'exempt';

/** Below this share of the target left, a running clock turns amber. */
export const WARN_FRACTION = 0.25;

const ms = (iso: string | null | undefined): number | null => {
  if (!iso) return null;
  const v = Date.parse(iso);
  return Number.isNaN(v) ? null : v;
};

/** A running clock whose due instant passed is breached, even before the scheduler records it. */
export function effectiveState(c: Clock, now: number): ClockState {
  const due = ms(c.due_at);
  if (c.state === 'running' && due !== null && due < now) return 'breached';
  return c.state;
}

/**
 * The share of the target still left (0…1), or null when unknown. A single ticket carries the
 * server's business minutes (exact when fetched); lists only have started/due, so wall time.
 */
export function remainingFraction(c: Clock, now: number): number | null {
  const due = ms(c.due_at);
  if (c.used_minutes !== undefined && c.remaining_minutes !== undefined) {
    const total = c.used_minutes + c.remaining_minutes;
    if (total <= 0) return null;
    const wallLeft = due === null ? Infinity : (due - now) / 60_000;
    return Math.min(c.remaining_minutes, wallLeft) / total;
  }
  const start = ms(c.started_at);
  if (due === null || start === null || due <= start) return null;
  return (due - now) / (due - start);
}

export function clockTone(c: Clock, now: number): ClockTone {
  switch (effectiveState(c, now)) {
    case 'breached':
      return 'late';
    case 'paused':
      return 'paused';
    case 'met':
      return 'met';
    case 'exempt':
      return 'exempt';
    default: {
      const f = remainingFraction(c, now);
      return f !== null && f < WARN_FRACTION ? 'warn' : 'ok';
    }
  }
}

/** "due in 23 min", "overdue by 1 h 05 min", or '' without a due instant. */
export function countdownText(c: Clock, now: number): string {
  const due = ms(c.due_at);
  if (due === null) return '';
  const left = due - now;
  return left >= 0 ? t('sla.dueIn', { time: formatDuration(left, true) }) : t('sla.overdueBy', { time: formatDuration(-left, true) });
}

/** The clock that matters most for a list row: the earliest due of the running or breached ones. */
export function nextDueClock(clocks: Clock[] | undefined, now: number): Clock | null {
  let best: Clock | null = null;
  for (const c of clocks ?? []) {
    const st = effectiveState(c, now);
    if ((st !== 'running' && st !== 'breached') || !c.due_at) continue;
    if (c.stopped_at) continue; // breached and then met: no longer counting
    if (!best || Date.parse(c.due_at) < Date.parse(best.due_at!)) best = c;
  }
  return best;
}

export function ClockBadge({ clock, now }: { clock: Clock; now: number }) {
  const tone = clockTone(clock, now);
  const state = effectiveState(clock, now);
  return (
    <span class={`clock-badge tone-${tone}`} data-testid="sla-state" data-state={state} data-tone={tone}>
      {tone === 'met' && <CheckIcon />}
      {state === 'exempt' ? t('sla.noSla') : clockStateLabel(state)}
    </span>
  );
}

/** The one line under a clock's name: countdown, "paused, 3 h left", "met at …", "no SLA". */
function clockDetail(c: Clock, now: number): string {
  const state = effectiveState(c, now);
  switch (state) {
    case 'met':
      return c.stopped_at ? t('sla.metAt', { date: formatDateTime(c.stopped_at) }) : clockStateLabel('met');
    case 'paused':
      return c.remaining_minutes !== undefined
        ? c.remaining_minutes >= 0
          ? t('sla.pausedLeft', { time: formatDuration(c.remaining_minutes * 60_000) })
          : t('sla.pausedOverdue', { time: formatDuration(-c.remaining_minutes * 60_000) })
        : t('sla.paused');
    case 'exempt':
      return t('sla.exemptDetail');
    case 'breached':
      if (c.stopped_at) return t('sla.breachedAt', { date: formatDateTime(c.breached_at ?? c.due_at) });
      return countdownText(c, now);
    default:
      return countdownText(c, now);
  }
}

export function ServiceLevelCard({ ticket, now }: { ticket: Ticket; now: number }) {
  const clocks = ticket.clocks ?? [];
  const level = ticket.escalation_level ?? 0;
  return (
    <section class="card sla-card" data-testid="sla-card" aria-labelledby="sla-title">
      <h2 class="card-title" id="sla-title">
        {t('sla.title')}
      </h2>
      {level > 0 && (
        <p class="escalation-level" data-testid="escalation-level" data-level={level}>
          {t('sla.escalationLevel', { level })}
        </p>
      )}
      {!clockReady() ? (
        <p class="muted small" role="status">
          {t('common.loading')}
        </p>
      ) : clocks.length === 0 ? (
        <p class="muted small" data-testid="sla-none">
          {t('sla.none')}
        </p>
      ) : (
        <ul class="clocks">
          {clocks.map((c) => {
            const tone = clockTone(c, now);
            const state = effectiveState(c, now);
            return (
              <li key={c.target} class={`clock tone-${tone}`} data-testid="sla-clock" data-target={c.target} data-state={state} data-tone={tone}>
                <div class="clock-head">
                  <span class="clock-target">{targetLabel(c.target)}</span>
                  <ClockBadge clock={c} now={now} />
                </div>
                <div class="clock-line">
                  <span class="clock-countdown" data-testid="sla-countdown" aria-live="off">
                    {clockDetail(c, now)}
                  </span>
                </div>
                <div class="clock-line muted small">
                  <span data-testid="sla-within">{t('sla.within', { within: formatWithin(c.within) })}</span>
                  {c.due_at && state !== 'met' && (
                    <>
                      <span aria-hidden="true"> · </span>
                      <time dateTime={c.due_shown_at ?? c.due_at} title={t('sla.dueRule')} data-testid="sla-due">
                        {t('sla.dueAt', { date: formatDateTime(c.due_shown_at ?? c.due_at) })}
                      </time>
                    </>
                  )}
                  <span aria-hidden="true"> · </span>
                  <span title={t('sla.calendarLabel')} data-testid="sla-calendar">{c.calendar_names?.[getLanguage()] ?? c.calendar}</span>
                </div>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}

/** The compact "next due" cell: the earliest running/breached clock's countdown (a ticket's, a chat's). */
export function NextDue({ clocks, now }: { clocks: Clock[] | undefined; now: number }) {
  if (!clockReady()) return <span class="muted">…</span>;
  const c = nextDueClock(clocks, now);
  if (!c) return <span class="muted">—</span>;
  const tone = clockTone(c, now);
  return (
    <span
      class={`next-due tone-${tone}`}
      data-testid="next-due"
      data-tone={tone}
      data-target={c.target}
      title={`${targetLabel(c.target)} · ${formatDateTime(c.due_shown_at ?? c.due_at)}`}
    >
      <span class="sr-only">{targetLabel(c.target)}: </span>
      {countdownText(c, now)}
    </span>
  );
}
