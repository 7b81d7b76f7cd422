// The scenario format (README.md) as the runner reads it: every key it knows, at every level.
// A key it does not know is refused, so that a misspelt expectation fails the scenario instead
// of checking nothing.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { repoRoot } from '../lib/server.mjs';

const { parse } = createRequire(join(repoRoot, 'web', 'package.json'))('smol-toml');

export const ACTIONS = ['open', 'reply', 'customer_reply', 'auto_reply', 'update', 'set_plan', 'availability', 'check'];

const KEYS = {
  scenario: ['description', 'policy', 'start', 'groups', 'agents', 'organizations', 'steps'],
  groups: ['name'],
  agents: ['email', 'name', 'groups', 'languages', 'capacity'],
  organizations: ['name', 'plan', 'domains', 'tam', 'tam_backup'],
  steps: ['at', ...ACTIONS],
  open: ['ticket', 'requester', 'subject', 'description', 'priority', 'channel', 'category', 'tags', 'by', 'details', 'files'],
  reply: ['ticket', 'by', 'kind', 'status', 'body'],
  customer_reply: ['ticket', 'by', 'body'],
  auto_reply: ['ticket', 'by', 'body'],
  update: ['ticket', 'by', 'priority', 'status', 'resolution', 'add_tags', 'remove_tags', 'group', 'assignee'],
  set_plan: ['organization', 'plan'],
  availability: ['agent', 'away', 'capacity'],
  check: ['ticket', 'status', 'priority', 'escalation_level', 'group', 'assignee', 'resolution', 'clocks', 'no_clocks', 'events', 'absent_events', 'event_counts', 'notifications'],
  clocks: ['first_response', 'next_response', 'resolution'],
  // The fields of a clock in GET /tickets/{n} that a check compares.
  clock: ['state', 'within', 'calendar', 'started_at', 'due_at', 'breached_at', 'stopped_at', 'used_minutes', 'remaining_minutes'],
  // The fields of a queued notification (GET /outbox) that a check compares.
  notification: ['kind', 'recipient', 'event'],
};

const isTable = (v) => typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);

/**
 * What is wrong with the scenario `text` (named `name` in the messages), one message per
 * problem: "name:line: path: what". The line is where the key first appears in the element
 * it belongs to (the TOML parser gives no positions).
 */
export function problemsOf(text, name) {
  const sc = parse(text);
  const lines = text.split('\n');
  const problems = [];
  const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  // The line of the first whole-word `word` outside a comment line at or after line index `from`, 1-based.
  const lineOf = (word, from) => {
    const re = new RegExp(`(^|[^\\w-])${escape(word)}([^\\w-]|$)`);
    const i = lines.findIndex((l, n) => n >= from && !/^\s*#/.test(l) && re.test(l));
    return i < 0 ? from + 1 : i + 1;
  };
  // The line index of the `i`th [[list]] header, where element i of an array of tables starts.
  const elementAt = (list, i) => {
    const re = new RegExp(`^\\s*\\[\\[\\s*${list}\\s*\\]\\]`);
    let seen = -1;
    const n = lines.findIndex((l) => re.test(l) && ++seen === i);
    return n < 0 ? lineOf(list, 0) - 1 : n;
  };
  const refuse = (line, path, what) => problems.push(`${name}:${line}: ${path}: ${what}`);
  // Refuses what is not a table, and each key of `kind` it does not know; true when it is a table.
  const known = (v, kind, path, from) => {
    if (!isTable(v)) {
      refuse(from + 1, path, 'must be a table');
      return false;
    }
    for (const k of Object.keys(v))
      if (!KEYS[kind].includes(k)) refuse(lineOf(k, from), path, `unknown key "${k}" (known: ${KEYS[kind].join(', ')})`);
    return true;
  };
  const list = (v, path, from) => {
    if (v === undefined) return [];
    if (Array.isArray(v)) return v;
    refuse(from + 1, path, 'must be a list');
    return [];
  };

  known(sc, 'scenario', '(top level)', 0);
  for (const kind of ['groups', 'agents', 'organizations'])
    list(sc[kind], kind, lineOf(kind, 0) - 1).forEach((v, i) => known(v, kind, `${kind}[${i + 1}]`, elementAt(kind, i)));
  list(sc.steps, 'steps', lineOf('steps', 0) - 1).forEach((step, i) => {
    const path = `steps[${i + 1}]`;
    const from = elementAt('steps', i);
    if (!known(step, 'steps', path, from)) return;
    const actions = ACTIONS.filter((a) => a in step);
    if (actions.length !== 1)
      refuse(from + 1, path, actions.length ? `has ${actions.join(' and ')}; a step does one thing` : `has no action (${ACTIONS.join(', ')})`);
    for (const a of actions)
      if (known(step[a], a, `${path}.${a}`, from) && a === 'check') checkInside(step.check, `${path}.check`, from);
  });
  return problems;

  // A check's clocks, the targets it expects no clock for, and its notifications.
  function checkInside(c, path, from) {
    if (c.clocks !== undefined && known(c.clocks, 'clocks', `${path}.clocks`, from))
      for (const [target, want] of Object.entries(c.clocks))
        if (KEYS.clocks.includes(target)) known(want, 'clock', `${path}.clocks.${target}`, from);
    for (const target of list(c.no_clocks, `${path}.no_clocks`, from))
      if (!KEYS.clocks.includes(target))
        refuse(lineOf(target, from), `${path}.no_clocks`, `unknown target "${target}" (known: ${KEYS.clocks.join(', ')})`);
    list(c.notifications, `${path}.notifications`, from).forEach((n, j) => known(n, 'notification', `${path}.notifications[${j + 1}]`, from));
  }
}

/** The scenario in `file`, named `name` in messages; throws with every problem when it has any. */
export function readScenario(file, name) {
  const text = readFileSync(file, 'utf8');
  const problems = problemsOf(text, name);
  if (problems.length) throw new Error(`${name} is not a valid scenario:\n${problems.join('\n')}`);
  return parse(text);
}
