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
  const cases = readFileSync(join(here, 'cases.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  assert.ok(cases.length >= 91, `${cases.length} cases`);
  checkCases(cases);
});

test('bad lines give an error naming the problem, and the next line is still processed', () => {
  const errors = readFileSync(join(here, 'errors.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
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
  checkCases(r.stdout.trim().split('\n').map((l) => JSON.parse(l)));
});
