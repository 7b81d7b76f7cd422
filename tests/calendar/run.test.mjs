// `chamado calendar eval` against data: the spec's examples and our own cases
// (cases.jsonl, expectations from the independent brute-force oracle.py and checked by
// hand), error lines (errors.jsonl), and a fresh batch of random cases from the oracle.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chamadoBin } from '../lib/server.mjs';

const here = dirname(fileURLToPath(import.meta.url));

// Every key a case or an error line may have, at every level (README.md). Any other is refused,
// so that a misspelt input or expectation fails instead of being ignored: by the evaluator, the
// oracle or this runner.
const CASE_KEYS = ['id', 'calendar', 'op', 'expect'];
const OPS = {
  add: { input: ['start', 'duration', 'duration_minutes'], expect: ['due'] },
  elapsed: { input: ['start', 'end'], expect: ['minutes'] },
  is_open: { input: ['at'], expect: ['open'] },
};
const CALENDAR_KEYS = ['tz', 'hours', 'holidays', 'breaks', 'always_open', 'day_length'];
const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
const ERROR_KEYS = ['input', 'id', 'contains'];

const isObject = (v) => typeof v === 'object' && v !== null && !Array.isArray(v);

/** What is wrong with `value` when it should be an object with only `known` keys: "where: what" each. */
function unknownKeys(value, known, where) {
  if (!isObject(value)) return [`${where}: not a JSON object`];
  return Object.keys(value).filter((k) => !known.includes(k)).map((k) => `${where}: unknown key "${k}" (known: ${known.join(', ')})`);
}

/** What is wrong with a case: its op, and keys that it, its calendar or its expectation should not have. */
function caseProblems(c, where) {
  if (!isObject(c)) return [`${where}: not a JSON object`];
  const op = OPS[c.op];
  if (!op) return [`${where}: unknown op "${c.op}" (known: ${Object.keys(OPS).join(', ')})`];
  const problems = [
    ...unknownKeys(c, [...CASE_KEYS, ...op.input], where),
    ...unknownKeys(c.calendar, CALENDAR_KEYS, `${where}: calendar`),
    ...unknownKeys(c.expect, op.expect, `${where}: expect`),
  ];
  if (isObject(c.calendar) && c.calendar.hours !== undefined) problems.push(...unknownKeys(c.calendar.hours, DAYS, `${where}: calendar.hours`));
  if ('duration' in c && 'duration_minutes' in c) problems.push(`${where}: both "duration" and "duration_minutes"; give one`);
  return problems;
}

/** The JSON lines of `file` (relative to this folder), each with "file:line" to name it. */
function readLines(file) {
  return readFileSync(join(here, file), 'utf8')
    .split('\n')
    .map((text, i) => ({ text, where: `${file}:${i + 1}` }))
    .filter(({ text }) => text.trim())
    .map(({ text, where }) => ({ where, value: JSON.parse(text) }));
}

/** The values of `lines`, after `problemsOf` found nothing wrong with any. */
function valid(lines, problemsOf) {
  assert.deepEqual(lines.flatMap(({ value, where }) => problemsOf(value, where)), []);
  return lines.map(({ value }) => value);
}

function evalLines(lines) {
  const r = spawnSync(chamadoBin, ['calendar', 'eval'], { input: lines.join('\n') + '\n', encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const out = r.stdout.split('\n');
  assert.equal(out.pop(), '', 'output ends with a newline');
  assert.equal(out.length, lines.length, 'one output line per input line');
  return out.map((l) => JSON.parse(l));
}

function checkCases(cases) {
  const outputs = evalLines(cases.map(({ expect, ...input }) => JSON.stringify(input)));
  const failures = [];
  cases.forEach((c, i) => {
    const got = outputs[i];
    const want = { id: c.id, ...c.expect };
    try {
      assert.deepEqual(got, want);
    } catch {
      failures.push(`${c.id} ${c.op} ${c.calendar.tz} ${c.start ?? c.at} ${c.end ?? c.duration ?? c.duration_minutes ?? ''}: got ${JSON.stringify(got)}, want ${JSON.stringify(want)}`);
    }
  });
  assert.deepEqual(failures, []);
}

test('the spec examples and our own cases', () => {
  const cases = valid(readLines('cases.jsonl'), caseProblems);
  assert.ok(cases.length >= 91, `${cases.length} cases`);
  checkCases(cases);
});

test('bad lines give an error naming the problem, and the next line is still processed', () => {
  const errors = valid(readLines('errors.jsonl'), (e, where) => unknownKeys(e, ERROR_KEYS, where));
  const good = '{"id":"after","calendar":{"tz":"UTC","always_open":true},"op":"is_open","at":"2026-01-05T10:00:00"}';
  const lines = errors.flatMap((e) => [e.input, good]);
  const out = evalLines(lines);
  errors.forEach((e, i) => {
    const got = out[2 * i];
    assert.deepEqual(Object.keys(got), ['id', 'error'], JSON.stringify(got));
    assert.deepEqual(got.id, e.id);
    assert.ok(got.error.includes(e.contains), `${JSON.stringify(got)} should mention "${e.contains}"`);
    assert.deepEqual(out[2 * i + 1], { id: 'after', open: true });
  });
});

test('random cases agree with the brute-force oracle', () => {
  const seed = process.env.CALENDAR_SEED || '20261122';
  const r = spawnSync('python3', [join(here, 'oracle.py'), 'random', '300', seed], { encoding: 'utf8', maxBuffer: 1 << 26 });
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stdout.trim().split('\n').map((l, i) => ({ where: `random case ${i + 1}`, value: JSON.parse(l) }));
  checkCases(valid(lines, caseProblems));
});

test('a case or an error line with a key the runner does not know is refused', () => {
  assert.deepEqual(readLines('invalid/cases.jsonl').flatMap(({ value, where }) => caseProblems(value, where)), [
    'invalid/cases.jsonl:1: unknown key "end" (known: id, calendar, op, expect, start, duration, duration_minutes)',
    'invalid/cases.jsonl:2: calendar: unknown key "holiday" (known: tz, hours, holidays, breaks, always_open, day_length)',
    'invalid/cases.jsonl:3: calendar.hours: unknown key "monday" (known: mon, tue, wed, thu, fri, sat, sun)',
    'invalid/cases.jsonl:4: expect: unknown key "due" (known: minutes)',
    'invalid/cases.jsonl:5: both "duration" and "duration_minutes"; give one',
    'invalid/cases.jsonl:6: unknown op "is_closed" (known: add, elapsed, is_open)',
  ]);
  assert.deepEqual(readLines('invalid/errors.jsonl').flatMap(({ value, where }) => unknownKeys(value, ERROR_KEYS, where)), [
    'invalid/errors.jsonl:1: unknown key "contain" (known: input, id, contains)',
  ]);
});
