// The support lead's reports (issue 14) end to end on seed 002's policy (answer within 24 h,
// around the clock; it publishes its average response time, 90 minutes): three tickets
// answered on the test clock in 60, 90 and 120 minutes, two solved. Every figure below is
// worked out by hand from those times; every answer is checked against the OpenAPI document;
// each figure's drill-down lists exactly its tickets; CSV carries the same figures.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readAnswer, repoRoot, sessionClient, startServer, tokenClient } from '../lib/server.mjs';
import { documentedCall } from '../lib/openapi.mjs';

let s, admin, agent, customer;
const policy002 = readFileSync(join(repoRoot, 'examples', 'policies', '002_marketing_automation.toml'), 'utf8');
const n = {};
const day = 'from=2026-03-02&to=2026-03-02';

before(async () => {
  s = await startServer({ extraArgs: ['--test-clock'], env: { CHAMADO_REPORTS_PUBLISH_RESPONSE_TIME: 'calendar' } });
  s.addUser('admin', 'admin@desk.test');
  s.addUser('agent', 'agent@desk.test');
  admin = tokenClient(s.url, s.token('admin@desk.test'));
  agent = tokenClient(s.url, s.token('agent@desk.test'));
  await admin.post('/api/v1/test/clock', { set: '2026-03-02T12:00:00Z' });
  const applied = await admin.request('PUT', '/api/v1/policy', { source: policy002 });
  assert.equal(applied.status, 200, applied.text);
  const org = await admin.post('/api/v1/organizations', { name: 'Loja Azul' });
  assert.equal(org.status, 201, org.text);
  n.org = org.json.id;
  const c = await admin.post('/api/v1/contacts', { email: 'ana@lojaazul.com.br', name: 'Ana', organization_id: n.org, password: 'password-123' });
  assert.equal(c.status, 201, c.text);
  customer = await sessionClient(s.url, 'ana@lojaazul.com.br', 'password-123');
  for (const [key, priority, email] of [['a', 'high', 'ana@lojaazul.com.br'], ['b', 'normal', 'ana@lojaazul.com.br'], ['c', 'low', 'jonas@acme.de']]) {
    const r = await agent.post('/api/v1/tickets', { subject: `Case ${key}`, description: 'Details.', priority, requester: { email } });
    assert.equal(r.status, 201, r.text);
    n[key] = r.json.number;
    n.channel = r.json.channel;
  }
  const at = async (iso) => assert.equal((await admin.post('/api/v1/test/clock', { set: iso })).status, 200);
  const reply = async (number, extra = {}) => {
    const r = await agent.post(`/api/v1/tickets/${number}/messages`, { kind: 'public_reply', body: 'Done: we looked into it.', ...extra });
    assert.equal(r.status, 201, r.text);
  };
  await at('2026-03-02T13:00:00Z');
  await reply(n.a, { status: 'solved', resolution: 'fixed' });  // answered and solved in 60 min
  await at('2026-03-02T13:30:00Z');
  await reply(n.b);                                              // answered in 90 min, still open
  await at('2026-03-02T14:00:00Z');
  await reply(n.c);                                              // answered in 120 min
  await at('2026-03-02T15:00:00Z');
  await reply(n.c, { status: 'solved', resolution: 'feature_request' });  // solved in 180 min
});
after(async () => { await s?.stop(); });

async function report(path, query = day) {
  const r = await documentedCall(agent, 'GET', `${path}?${query}`, path);
  assert.equal(r.status, 200, r.text);
  return r.json;
}

async function drill(d, query = day) {
  const params = new URLSearchParams(query);
  for (const [k, v] of Object.entries(d)) params.set(k, String(v));
  const r = await documentedCall(agent, 'GET', `/api/v1/reports/tickets?${params}`, '/api/v1/reports/tickets');
  assert.equal(r.status, 200, r.text);
  return r.json.items.map((t) => t.number);
}

test('first-response and resolution times: mean, median and p90, calendar and business time', async () => {
  const r = await report('/api/v1/reports/response-times');
  assert.deepEqual(r.period, { from: '2026-03-02T00:00:00Z', to: '2026-03-03T00:00:00Z' });
  // 60, 90, 120: mean 90, median 90, p90 the third (nearest rank of 2.7).
  assert.deepEqual(r.first_response.calendar, { count: 3, mean_minutes: 90, median_minutes: 90, p90_minutes: 120 });
  // Seed 002's calendar is open around the clock: business time is calendar time.
  assert.deepEqual(r.first_response.business, { count: 3, mean_minutes: 90, median_minutes: 90, p90_minutes: 120 });
  assert.deepEqual(r.first_response.by_priority.map((p) => [p.priority, p.calendar.mean_minutes]), [['high', 60], ['normal', 90], ['low', 120]]);
  // Solved: 60 and 180 minutes; the policy sets no resolution target, so no business time.
  assert.deepEqual(r.resolution.calendar, { count: 2, mean_minutes: 120, median_minutes: 120, p90_minutes: 180 });
  assert.deepEqual(r.resolution.business, { count: 0, mean_minutes: null, median_minutes: null, p90_minutes: null });
  assert.deepEqual(await drill(r.first_response.drill), [n.c, n.b, n.a]);
  assert.deepEqual(await drill(r.first_response.by_priority[1].drill), [n.b]);
  // Filters: one priority, one organization (ana's two tickets), a plan no ticket is on.
  const high = await report('/api/v1/reports/response-times', `${day}&priority=high`);
  assert.equal(high.first_response.calendar.mean_minutes, 60);
  const org = await report('/api/v1/reports/response-times', `${day}&organization=${n.org}`);
  assert.equal(org.first_response.calendar.count, 2);
  assert.equal(org.first_response.calendar.mean_minutes, 75);
  const earlier = await report('/api/v1/reports/response-times', 'from=2026-03-01&to=2026-03-01');
  assert.equal(earlier.first_response.calendar.count, 0);
});

test('SLA achievement per target and priority', async () => {
  const r = await report('/api/v1/reports/sla');
  const rows = r.rows.map((x) => [x.target, x.priority, x.met, x.breached, x.achievement]);
  assert.deepEqual(rows, [
    ['first_response', 'high', 1, 0, 1], ['first_response', 'normal', 1, 0, 1], ['first_response', 'low', 1, 0, 1],
    ['first_response', null, 3, 0, 1],
  ]);
  assert.deepEqual(await drill({ ...r.rows[3].drill, state: 'met' }), [n.c, n.b, n.a]);
  assert.deepEqual(await drill({ ...r.rows[3].drill, state: 'breached' }), []);
});

test('backlog, channels, outcomes and satisfaction of the day', async () => {
  const backlog = await report('/api/v1/reports/backlog', 'from=2026-03-01&to=2026-03-02');
  assert.deepEqual(backlog.days.map((d) => [d.day, d.created, d.solved, d.open]), [['2026-03-01', 0, 0, 0], ['2026-03-02', 3, 2, 1]]);
  assert.deepEqual(await drill(backlog.days[1].drill, 'from=2026-03-01&to=2026-03-02'), [n.b]);
  assert.deepEqual(await drill({ set: 'backlog', at: '2026-03-02T13:45:00Z' }), [n.c, n.b]);

  const channels = await report('/api/v1/reports/channels');
  assert.deepEqual(channels.rows.map((c) => [c.channel, c.created, c.solved]), [[n.channel, 3, 2]]);
  assert.deepEqual(await drill(channels.rows[0].drill.solved), [n.c, n.a]);

  const outcomes = await report('/api/v1/reports/outcomes');
  assert.deepEqual(outcomes.rows.map((o) => [o.resolution, o.count, o.share]), [['feature_request', 1, 0.5], ['fixed', 1, 0.5]]);
  assert.deepEqual(await drill(outcomes.rows[0].drill), [n.c]);

  const satisfaction = await report('/api/v1/reports/satisfaction');
  assert.equal(satisfaction.solved, 2);
  assert.equal(satisfaction.answered, 0);
  assert.equal(satisfaction.response_rate, 0);
  assert.equal(satisfaction.mean_rating, null);
  assert.equal(satisfaction.by_rating.length, 5);
});

test('every table as CSV with the same filters, by format=csv or Accept: text/csv', async () => {
  const csv = await documentedCall(agent, 'GET', `/api/v1/reports/response-times?${day}&format=csv`, '/api/v1/reports/response-times');
  assert.equal(csv.status, 200);
  assert.match(csv.headers.get('content-type'), /^text\/csv/);
  assert.match(csv.headers.get('content-disposition'), /filename="response-times.csv"/);
  const lines = csv.text.split('\r\n');
  assert.equal(lines[0], 'target,priority,time,count,mean_minutes,median_minutes,p90_minutes');
  assert.ok(lines.includes('first_response,,calendar,3,90.00,90.00,120.00'), csv.text);
  assert.ok(lines.includes('first_response,high,calendar,1,60.00,60.00,60.00'), csv.text);
  for (const [path, header] of [['sla', 'target,priority,met,breached,achievement'], ['backlog', 'day,created,solved,open'],
    ['channels', 'channel,created,solved'], ['outcomes', 'resolution,count,share'], ['satisfaction', 'rating,answers']]) {
    const r = await agent.request('GET', `/api/v1/reports/${path}?${day}&priority=low`, undefined, { accept: 'text/csv' });
    assert.equal(r.status, 200, r.text);
    assert.match(r.headers.get('content-type'), /^text\/csv/);
    assert.equal(r.text.split('\r\n')[0], header, path);
  }
  const low = await agent.request('GET', `/api/v1/reports/backlog?${day}&priority=low`, undefined, { accept: 'text/csv' });
  assert.equal(low.text, 'day,created,solved,open\r\n2026-03-02,1,1,0\r\n');
});

test('bad filters are refused naming the parameter; reports are for agents', async () => {
  for (const [query, field] of [['priority=urgent', 'priority'], ['plan=gold', 'plan'], ['from=2026-03-05&to=2026-03-01', 'to'],
    ['from=2025-01-01&to=2026-03-01', 'to'], ['from=yesterday', 'from'], ['agent=me', 'agent'], ['format=xml', 'format']]) {
    const r = await documentedCall(agent, 'GET', `/api/v1/reports/sla?${query}`, '/api/v1/reports/sla');
    assert.equal(r.status, 400, `${query}: ${r.text}`);
    assert.deepEqual(r.json.errors.map((e) => e.field), [field], query);
  }
  for (const [query, field] of [['', 'set'], ['set=all', 'set'], ['set=clocks&state=running', 'state'], ['set=clocks&state=met', 'target'], ['set=rated&rating=6', 'rating'], ['set=created&channel=fax', 'channel']]) {
    const r = await documentedCall(agent, 'GET', `/api/v1/reports/tickets?${query}`, '/api/v1/reports/tickets');
    assert.equal(r.status, 400, `${query}: ${r.text}`);
    assert.deepEqual(r.json.errors.map((e) => e.field), [field], query);
  }
  const denied = await documentedCall(customer, 'GET', '/api/v1/reports/response-times', '/api/v1/reports/response-times');
  assert.equal(denied.status, 403);
});

test('the average response time is published without sign-in once an admin opts in', async () => {
  await admin.post('/api/v1/test/clock', { set: '2026-03-03T12:00:00Z' });
  const anonymous = { request: async (method, path) => readAnswer(await fetch(s.url + path, { method })) };
  const r = await documentedCall(anonymous, 'GET', '/api/v1/public/response-time', '/api/v1/public/response-time');
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json, { average_first_response_minutes: 90, median_first_response_minutes: 90, tickets: 3, time: 'calendar', window_days: 30, as_of: '2026-03-03T12:00:00Z' });
  const off = await startServer({});
  try {
    const res = await fetch(`${off.url}/api/v1/public/response-time`);
    assert.equal(res.status, 404);
    assert.match((await res.json()).detail, /publish_response_time/);
  } finally {
    await off.stop();
  }
});

test('chamado report prints the same CSV as the API, with the same filters', async () => {
  for (const name of ['response-times', 'sla', 'backlog', 'channels', 'outcomes', 'satisfaction']) {
    const api = await agent.get(`/api/v1/reports/${name}?from=2026-03-02&to=2026-03-02&priority=low&format=csv`);
    assert.equal(api.status, 200, api.text);
    const cli = s.cli('report', name, '--from', '2026-03-02', '--to', '2026-03-02', '--priority', 'low');
    assert.equal(cli, api.text, name);
  }
  assert.throws(() => s.cli('report', 'sla', '--priority', 'urgent'), (e) => e.status === 1 && /Unknown priority "urgent"; the policy's are high, normal, low/.test(e.stderr));
  assert.throws(() => s.cli('report', 'backlog', '--from', 'last week'), (e) => e.status === 1 && /"last week" is not a date/.test(e.stderr));
});
