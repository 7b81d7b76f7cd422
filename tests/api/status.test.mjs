// The status page end to end on the test clock (issue 14): an admin adds a component and a
// probe against a small HTTP server this test starts and stops; the scheduler runs the probe
// each time the clock moves; agents plan maintenance and declare an incident. The month's
// figure and its explanation are computed by hand here, every answer is checked against
// docs/openapi.json, and the public page, incident and Atom feed need no sign-in.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { startServer, tokenClient, sessionClient } from '../lib/server.mjs';
import { documentedCall as call } from '../lib/openapi.mjs';

let server, admin, agent, customer, anonymous, target, component, probe, incident;
const minute = 60_000;

// Answers "ok" on a port it keeps across restarts.
function startTarget(port = 0) {
  const s = createServer((req, res) => { res.writeHead(200, { 'content-type': 'text/plain', connection: 'close' }); res.end('status: ok'); });
  return new Promise((resolve) => s.listen(port, '127.0.0.1', () => resolve(s)));
}
function stopTarget(s) {
  return new Promise((resolve) => { s.close(resolve); s.closeAllConnections(); });
}
const at = (hhmm) => `2026-03-02T${hhmm}Z`;
const setClock = async (iso) => {
  const r = await admin.post('/api/v1/test/clock', { set: iso });
  assert.equal(r.status, 200, r.text);
};

before(async () => {
  server = await startServer({ extraArgs: ['--test-clock'] });
  server.addUser('admin', 'boss@desk.test', 'admin-pass-1', ['--name', 'Boss']);
  server.addUser('agent', 'lucas@desk.test', 'agent-pass-1', ['--name', 'Lucas']);
  server.addUser('customer', 'ana@acme.test', 'customer-pass-1', ['--organization', 'Acme']);
  admin = tokenClient(server.url, server.token('boss@desk.test'));
  agent = await sessionClient(server.url, 'lucas@desk.test', 'agent-pass-1');
  customer = await sessionClient(server.url, 'ana@acme.test', 'customer-pass-1');
  anonymous = { request: fetchAnonymous };
  target = await startTarget();
  await setClock(at('10:00:00'));
});

async function fetchAnonymous(method, path, body) {
  const res = await fetch(server.url + path, { method, headers: body ? { 'content-type': 'application/json' } : {}, body: body ? JSON.stringify(body) : undefined });
  const text = await res.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch { /* not JSON */ }
  return { status: res.status, headers: res.headers, json, text };
}

after(async () => {
  if (target?.listening) await stopTarget(target);
  await server?.stop();
});

test('admins manage components and probes; others may not, and bad input names its field', async () => {
  const made = await call(admin, 'POST', '/api/v1/status/components', '/api/v1/status/components',
    { key: 'api', names: { en: 'API', 'pt-BR': 'API' }, descriptions: { en: 'The REST API', de: 'Die REST-API' }, position: 1 });
  assert.equal(made.status, 201, made.text);
  component = made.json;
  assert.equal(component.created_at, '2026-03-02T10:00:00Z');

  assert.equal((await call(agent, 'POST', '/api/v1/status/components', '/api/v1/status/components', { key: 'web', names: { en: 'Web' } })).status, 403);
  assert.equal((await call(customer, 'POST', '/api/v1/status/components', '/api/v1/status/components', { key: 'web', names: { en: 'Web' } })).status, 403);
  const twice = await call(admin, 'POST', '/api/v1/status/components', '/api/v1/status/components', { key: 'api', names: { en: 'API again' } });
  assert.equal(twice.status, 409, twice.text);
  const bad = await call(admin, 'POST', '/api/v1/status/components', '/api/v1/status/components', { key: 'Web UI', names: { fr: 'Interface' } });
  assert.equal(bad.status, 400);
  assert.deepEqual(bad.json.errors.map((e) => e.field), ['key', 'names.fr']);

  const port = target.address().port;
  const badProbe = await call(admin, 'POST', `/api/v1/status/components/${component.id}/probes`, '/api/v1/status/components/{id}/probes',
    { kind: 'http', target: `127.0.0.1:${port}`, interval_seconds: 60, timeout_seconds: 90 });
  assert.equal(badProbe.status, 400);
  assert.deepEqual(badProbe.json.errors.map((e) => e.field), ['target', 'timeout_seconds']);
  const p = await call(admin, 'POST', `/api/v1/status/components/${component.id}/probes`, '/api/v1/status/components/{id}/probes',
    { kind: 'http', target: `http://127.0.0.1:${port}/health`, expect_status: 200, expect_body: 'ok', interval_seconds: 60, timeout_seconds: 2 });
  assert.equal(p.status, 201, p.text);
  probe = p.json;
  assert.equal(probe.next_run_at, '2026-03-02T10:00:00Z', 'a new probe is due at once');
  const changed = await call(admin, 'PATCH', `/api/v1/status/probes/${probe.id}`, '/api/v1/status/probes/{id}', { retries: 1 });
  assert.equal(changed.status, 200, changed.text);
  assert.equal(changed.json.retries, 1);
  assert.equal(changed.json.target, probe.target, 'what was not sent stays');
  const renamed = await call(admin, 'PATCH', `/api/v1/status/components/${component.id}`, '/api/v1/status/components/{id}', { names: { en: 'Public API', 'pt-BR': 'API pública' } });
  assert.equal(renamed.status, 200, renamed.text);
  assert.equal(renamed.json.key, 'api');
});

test('the probe runs as the clock moves: the five minutes the server was stopped are down, to the minute', async () => {
  const port = target.address().port;
  for (let m = 0; m <= 60; m++) {
    if (m === 20) await stopTarget(target);
    if (m === 25) target = await startTarget(port);
    await setClock(new Date(Date.parse(at('10:00:00')) + m * minute).toISOString().replace('.000Z', 'Z'));
  }
  await setClock(at('11:00:30'));
  const probes = await call(admin, 'GET', `/api/v1/status/components/${component.id}/probes`, '/api/v1/status/components/{id}/probes');
  assert.equal(probes.status, 200);
  assert.equal(probes.json.items[0].last_sample.at, '2026-03-02T11:00:00Z');
  assert.equal(probes.json.items[0].last_sample.up, true);

  // Maintenance 10:40-10:50 and a partial outage 10:50-10:55 (counted as major by default).
  const m = await call(agent, 'POST', '/api/v1/status/maintenance', '/api/v1/status/maintenance',
    { titles: { en: 'Database upgrade', 'pt-BR': 'Atualização do banco' }, starts_at: at('10:40:00'), ends_at: at('10:50:00'), components: [component.id] });
  assert.equal(m.status, 201, m.text);
  const backwards = await call(agent, 'POST', '/api/v1/status/maintenance', '/api/v1/status/maintenance',
    { titles: { en: 'Oops' }, starts_at: at('10:50:00'), ends_at: at('10:40:00'), components: [component.id, 999] });
  assert.equal(backwards.status, 400);
  assert.deepEqual(backwards.json.errors.map((e) => e.field), ['ends_at', 'components[1]']);
  const declared = await call(agent, 'POST', '/api/v1/status/incidents', '/api/v1/status/incidents',
    { titles: { en: 'Slow API', 'pt-BR': 'API lenta' }, state: 'resolved', started_at: at('10:50:00'), resolved_at: at('10:55:00'),
      components: [{ id: component.id, impact: 'partial' }], update: { en: 'Some requests failed.', 'pt-BR': 'Algumas requisições falharam.' } });
  assert.equal(declared.status, 201, declared.text);
  incident = declared.json;

  const r = await call(anonymous, 'GET', `/api/v1/status/components/${component.id}/uptime?month=2026-03&explain=1`, '/api/v1/status/components/{id}/uptime');
  assert.equal(r.status, 200, r.text);
  const u = r.json;
  // From the component's creation (10:00) to now (11:00:30): up 10:00-10:20 and 10:25-11:00:30
  // (55.5 min), less the maintenance (10) and the partial outage (5); down 5 + 5.
  assert.equal(u.from, '2026-03-02T10:00:00Z');
  assert.equal(u.to, '2026-03-02T11:00:30Z');
  assert.equal(u.down_ms, 10 * minute);
  assert.equal(u.up_ms, 40.5 * minute);
  assert.equal(u.unknown_ms, 0);
  assert.equal(u.maintenance_ms, 10 * minute);
  assert.equal(u.percent, (100 * 40.5) / 50.5);
  assert.equal(u.target_percent, 99);
  assert.equal(u.met, false);
  assert.equal(u.budget_ms, Math.round(0.01 * 50.5 * minute));
  assert.equal(u.budget_left_ms, Math.round(0.01 * 50.5 * minute) - 10 * minute);
  assert.deepEqual(u.explanation.map((p) => [p.from.slice(11, 19), p.to.slice(11, 19), p.state]), [
    ['10:00:00', '10:20:00', 'up'],
    ['10:20:00', '10:25:00', 'down'],
    ['10:25:00', '10:40:00', 'up'],
    ['10:40:00', '10:50:00', 'maintenance'],
    ['10:50:00', '10:55:00', 'partial'],
    ['10:55:00', '11:00:30', 'up'],
  ]);
  assert.equal(u.explanation[3].maintenance_id, m.json.id);
  assert.equal(u.explanation[4].incident_id, incident.id);

  const rolling = await call(anonymous, 'GET', `/api/v1/status/components/${component.id}/uptime?window=30d`, '/api/v1/status/components/{id}/uptime');
  assert.equal(rolling.status, 200, rolling.text);
  assert.equal(rolling.json.down_ms, 10 * minute);
  assert.equal(rolling.json.window, '30d');
  assert.ok(!('explanation' in rolling.json));
  for (const [query, field] of [['month=2026-13', 'month'], ['window=7d', 'window'], ['month=2026-03&window=30d', 'window'], ['explain=maybe', 'explain']]) {
    const wrong = await call(anonymous, 'GET', `/api/v1/status/components/${component.id}/uptime?${query}`, '/api/v1/status/components/{id}/uptime');
    assert.equal(wrong.status, 400, query);
    assert.equal(wrong.json.errors[0].field, field, query);
  }
  assert.equal((await call(anonymous, 'GET', '/api/v1/status/components/999/uptime', '/api/v1/status/components/{id}/uptime')).status, 404);
});

test('the public page shows the components, today\'s bar, incidents and maintenance in the reader\'s language', async () => {
  const r = await call(anonymous, 'GET', '/api/v1/status?days=3&language=pt-BR', '/api/v1/status');
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.time_zone, 'UTC');
  const api = r.json.components.find((c) => c.key === 'api');
  assert.equal(api.name, 'API pública');
  assert.equal(api.condition, 'operational');
  assert.deepEqual(api.days.map((d) => d.date), ['2026-02-28', '2026-03-01', '2026-03-02']);
  assert.equal(api.days[0].percent, null, 'before the component existed nothing is known');
  assert.equal(api.days[2].down_ms, 10 * minute);
  assert.equal(api.days[2].maintenance_ms, 10 * minute);
  assert.equal(r.json.incidents.length, 0, 'the incident is resolved');
  assert.equal(r.json.history[0].title, 'API lenta');
  assert.equal(r.json.history[0].updates[0].body, 'Algumas requisições falharam.');
  assert.ok(!('tickets' in r.json.history[0]), 'linked tickets are for agents');
  assert.equal(r.json.maintenance.length, 0, 'the maintenance is over');
  const bad = await call(anonymous, 'GET', '/api/v1/status?days=0', '/api/v1/status');
  assert.equal(bad.status, 400);
});

test('agents post timed updates, link tickets, and the feed and the page follow', async () => {
  const open = await call(agent, 'POST', '/api/v1/status/incidents', '/api/v1/status/incidents',
    { titles: { en: 'Login errors' }, components: [{ id: component.id, impact: 'major' }] });
  assert.equal(open.status, 201, open.text);
  assert.equal(open.json.state, 'investigating');
  assert.equal(open.json.started_at, '2026-03-02T11:00:30Z');
  let page = await call(anonymous, 'GET', '/api/v1/status', '/api/v1/status');
  assert.equal(page.json.components[0].condition, 'major');
  assert.equal(page.json.incidents[0].id, open.json.id);

  await setClock(at('11:10:00'));
  const identified = await call(agent, 'POST', `/api/v1/status/incidents/${open.json.id}/updates`, '/api/v1/status/incidents/{id}/updates',
    { state: 'identified', bodies: { en: 'A certificate expired.', es: 'Un certificado caducó.' } });
  assert.equal(identified.status, 201, identified.text);
  assert.equal(identified.json.state, 'identified');
  const early = await call(agent, 'POST', `/api/v1/status/incidents/${open.json.id}/updates`, '/api/v1/status/incidents/{id}/updates',
    { state: 'resolved', bodies: { en: 'x' }, at: at('09:00:00') });
  assert.equal(early.status, 400);
  assert.equal(early.json.errors[0].field, 'at');

  const ticket = await customer.post('/api/v1/tickets', { subject: 'Cannot log in', description: 'The login page fails.' });
  assert.equal(ticket.status, 201, ticket.text);
  const linked = await call(agent, 'PUT', `/api/v1/status/incidents/${open.json.id}/tickets/${ticket.json.number}`, '/api/v1/status/incidents/{id}/tickets/{number}');
  assert.equal(linked.status, 200, linked.text);
  assert.deepEqual(linked.json.tickets, [ticket.json.number]);
  assert.equal((await call(customer, 'PUT', `/api/v1/status/incidents/${open.json.id}/tickets/${ticket.json.number}`, '/api/v1/status/incidents/{id}/tickets/{number}')).status, 403);
  assert.equal((await call(agent, 'PUT', `/api/v1/status/incidents/${open.json.id}/tickets/99999`, '/api/v1/status/incidents/{id}/tickets/{number}')).status, 404);
  const listed = await call(agent, 'GET', '/api/v1/status/incidents', '/api/v1/status/incidents');
  assert.deepEqual(listed.json.items.find((i) => i.id === open.json.id).tickets, [ticket.json.number]);

  // Subscribers: an outside address, and the requester herself (she is told once, by her ticket).
  const ops = await call(agent, 'POST', '/api/v1/status/subscribers', '/api/v1/status/subscribers', { email: 'Ops@Client.test', language: 'de' });
  assert.equal(ops.status, 201, ops.text);
  assert.equal(ops.json.email, 'ops@client.test');
  assert.equal((await call(agent, 'POST', '/api/v1/status/subscribers', '/api/v1/status/subscribers', { email: 'ana@acme.test' })).status, 201);
  assert.equal((await call(agent, 'POST', '/api/v1/status/subscribers', '/api/v1/status/subscribers', { email: 'ops@client.test' })).status, 409);
  const badSub = await call(agent, 'POST', '/api/v1/status/subscribers', '/api/v1/status/subscribers', { email: 'not an address', language: 'fr' });
  assert.equal(badSub.status, 400);
  assert.deepEqual(badSub.json.errors.map((e) => e.field), ['email', 'language']);
  assert.equal((await call(customer, 'GET', '/api/v1/status/subscribers', '/api/v1/status/subscribers')).status, 403);

  await setClock(at('11:20:00'));
  const resolved = await call(agent, 'POST', `/api/v1/status/incidents/${open.json.id}/updates`, '/api/v1/status/incidents/{id}/updates',
    { state: 'resolved', bodies: { en: 'The certificate was renewed.', 'pt-BR': 'O certificado foi renovado.' }, notify: true });
  assert.equal(resolved.json.resolved_at, '2026-03-02T11:20:00Z');
  assert.equal(resolved.json.updates[0].notified, 2, 'the requester of the linked ticket, and the other subscriber');
  assert.equal(identified.json.updates[0].notified, 0, 'not asked to notify');
  const outbox = await admin.get(`/api/v1/outbox?ticket_number=${ticket.json.number}`);
  const mails = outbox.json.items.filter((n) => n.event === 'mail.incident_update');
  assert.equal(mails.length, 1, outbox.text);
  assert.equal(mails[0].recipient, 'ana@acme.test');
  assert.equal(mails[0].payload.incident, open.json.id);
  const all = (await admin.get('/api/v1/outbox?limit=200')).json.items;
  const toSubscribers = all.filter((n) => n.event === 'mail.incident_subscriber');
  assert.deepEqual(toSubscribers.map((n) => [n.recipient, n.ticket_number, n.payload.language]), [['ops@client.test', null, 'de']]);
  const token = toSubscribers[0].payload.token;
  assert.equal((await call(anonymous, 'POST', '/api/v1/status/unsubscribe', '/api/v1/status/unsubscribe', { token })).status, 204);
  assert.equal((await call(anonymous, 'POST', '/api/v1/status/unsubscribe', '/api/v1/status/unsubscribe', { token })).status, 404);
  const subs = await call(agent, 'GET', '/api/v1/status/subscribers', '/api/v1/status/subscribers');
  assert.deepEqual(subs.json.items.map((x) => x.email), ['ana@acme.test']);
  assert.equal((await call(agent, 'DELETE', `/api/v1/status/subscribers/${subs.json.items[0].id}`, '/api/v1/status/subscribers/{id}')).status, 204);
  const one = await call(anonymous, 'GET', `/api/v1/status/incidents/${open.json.id}?language=es`, '/api/v1/status/incidents/{id}');
  assert.equal(one.status, 200);
  assert.deepEqual(one.json.updates.map((u) => u.state), ['resolved', 'identified'], 'newest first');
  assert.equal(one.json.updates[1].body, 'Un certificado caducó.');

  const unlinked = await call(agent, 'DELETE', `/api/v1/status/incidents/${open.json.id}/tickets/${ticket.json.number}`, '/api/v1/status/incidents/{id}/tickets/{number}');
  assert.equal(unlinked.status, 204);

  const feed = await anonymous.request('GET', '/api/v1/status/feed.atom');
  assert.equal(feed.status, 200);
  assert.match(feed.headers.get('content-type'), /^application\/atom\+xml/);
  assert.match(feed.text, /<feed xmlns="http:\/\/www.w3.org\/2005\/Atom"/);
  assert.match(feed.text, /<title>Login errors<\/title>/);
  assert.match(feed.text, /resolved: The certificate was renewed\./);
  assert.match(feed.text, /<title>Slow API<\/title>/);

  // The major outage 11:00:30-11:20 is down in the rolling figure; the probe saw up meanwhile.
  const u = await call(anonymous, 'GET', `/api/v1/status/components/${component.id}/uptime?window=90d`, '/api/v1/status/components/{id}/uptime');
  assert.equal(u.json.down_ms, 10 * minute + 19.5 * minute);
  page = await call(anonymous, 'GET', '/api/v1/status', '/api/v1/status');
  assert.equal(page.json.components[0].condition, 'operational', 'the incident is over and the probe ran at 11:20');
});

test('a visitor subscribes on the page and gets updates only once the mail\'s link confirmed it', async () => {
  const mailsTo = async (event, recipient) =>
    (await admin.get('/api/v1/outbox?limit=200')).json.items.filter((n) => n.event === event && n.recipient === recipient);
  const asked = await call(anonymous, 'POST', '/api/v1/status/subscribe', '/api/v1/status/subscribe', { email: 'Reader@Example.test', language: 'es' });
  assert.equal(asked.status, 202, asked.text);
  const [confirmMail] = await mailsTo('mail.status_subscription', 'reader@example.test');
  assert.equal(confirmMail.payload.language, 'es');
  assert.equal(confirmMail.ticket_number, null);
  const bad = await call(anonymous, 'POST', '/api/v1/status/subscribe', '/api/v1/status/subscribe', { email: 'nobody' });
  assert.equal(bad.status, 400);
  assert.equal(bad.json.errors[0].field, 'email');
  let subs = (await call(agent, 'GET', '/api/v1/status/subscribers', '/api/v1/status/subscribers')).json.items;
  assert.equal(subs.find((x) => x.email === 'reader@example.test').confirmed_at, null);

  // Not confirmed yet: an update with notify does not reach it.
  const slow = await call(agent, 'POST', '/api/v1/status/incidents', '/api/v1/status/incidents',
    { titles: { en: 'Slow mail', es: 'Correo lento' }, components: [{ id: component.id, impact: 'degraded' }] });
  const first = await call(agent, 'POST', `/api/v1/status/incidents/${slow.json.id}/updates`, '/api/v1/status/incidents/{id}/updates',
    { state: 'identified', bodies: { en: 'A queue is full.' }, notify: true });
  assert.equal(first.json.updates[0].notified, 0);

  const confirmPath = '/api/v1/status/subscribe/confirm';
  assert.equal((await call(anonymous, 'POST', confirmPath, confirmPath, { token: confirmMail.payload.token })).status, 204);
  assert.equal((await call(anonymous, 'POST', confirmPath, confirmPath, { token: confirmMail.payload.token })).status, 204, 'again: nothing changes');
  assert.equal((await call(anonymous, 'POST', confirmPath, confirmPath, { token: 'nope' })).status, 404);
  subs = (await call(agent, 'GET', '/api/v1/status/subscribers', '/api/v1/status/subscribers')).json.items;
  assert.equal(subs.find((x) => x.email === 'reader@example.test').confirmed_at, '2026-03-02T11:20:00Z');

  const second = await call(agent, 'POST', `/api/v1/status/incidents/${slow.json.id}/updates`, '/api/v1/status/incidents/{id}/updates',
    { state: 'resolved', bodies: { en: 'The queue drained.' }, notify: true });
  assert.equal(second.json.updates[0].notified, 1);
  assert.equal((await mailsTo('mail.incident_subscriber', 'reader@example.test')).length, 1);
  // Asking again for a confirmed address sends nothing, and answers the same.
  assert.equal((await call(anonymous, 'POST', '/api/v1/status/subscribe', '/api/v1/status/subscribe', { email: 'reader@example.test' })).status, 202);
  assert.equal((await mailsTo('mail.status_subscription', 'reader@example.test')).length, 1);
  const reader = subs.find((x) => x.email === 'reader@example.test');
  assert.equal((await call(agent, 'DELETE', `/api/v1/status/subscribers/${reader.id}`, '/api/v1/status/subscribers/{id}')).status, 204);
});

test('the command line gives the same figures, plans maintenance and declares incidents', async () => {
  // The CLI runs on the wall clock, so March is over: up to 11:00:30 as above, the major outage
  // 11:00:30-11:20 down, the 11:20 sample up for its 64 s hold (interval 60 s + 2 s x 2
  // attempts), unknown after.
  const out = server.cli('status', 'uptime', '--component', 'api', '--month', '2026-03', '--explain');
  const figure = Object.fromEntries(out.split('\n\n')[0].split('\n').map((l) => l.split('\t')));
  assert.equal(figure.up_seconds, String(40.5 * 60 + 64));
  assert.equal(figure.down_seconds, String(29.5 * 60));
  assert.equal(figure.maintenance_seconds, '600');
  assert.equal(figure.to, '2026-04-01T00:00:00Z');
  assert.equal(figure.met, 'no');
  const rows = out.split('\n\n')[1].trim().split('\n').slice(1).map((l) => l.split('\t'));
  assert.deepEqual(rows.find((r) => r[2] === 'major').slice(0, 2), ['2026-03-02T11:00:30Z', '2026-03-02T11:20:00Z']);
  assert.equal(rows.at(-1)[2], 'unknown');
  assert.match(server.cli('status', 'components'), /^api\tPublic API\tunknown\t1$/m);
  assert.throws(() => server.cli('status', 'uptime', '--component', 'nope'), /There is no component "nope"; the components are api\./);

  const id = server.cli('status', 'maintenance', 'add', '--component', 'api', '--from', '2026-03-05T01:00:00Z', '--to', '2026-03-05T02:00:00Z', '--title', 'Kernel upgrade').trim();
  const listed = await call(agent, 'GET', '/api/v1/status/maintenance', '/api/v1/status/maintenance');
  assert.equal(listed.json.items.find((m) => String(m.id) === id).title, 'Kernel upgrade');
  assert.equal((await call(agent, 'DELETE', `/api/v1/status/maintenance/${id}`, '/api/v1/status/maintenance/{id}')).status, 204);
  assert.throws(() => server.cli('status', 'maintenance', 'add', '--component', 'api', '--from', '2026-03-05T02:00:00Z', '--to', '2026-03-05T01:00:00Z', '--title', 'x'),
    /ends_at: The maintenance must end after it starts/);

  const incidentId = server.cli('status', 'incident', 'open', '--title', 'Slow search', '--component', 'api:degraded', '--from', '2026-03-02T11:30:00Z', '--text', 'Looking into it.').trim();
  assert.match(server.cli('status', 'incident', 'update', incidentId, '--state', 'resolved', '--text', 'Fixed.'), /is resolved/);
  const one = await call(anonymous, 'GET', `/api/v1/status/incidents/${incidentId}`, '/api/v1/status/incidents/{id}');
  assert.deepEqual(one.json.updates.map((u) => u.body), ['Fixed.', 'Looking into it.']);
  assert.throws(() => server.cli('status', 'incident', 'open', '--title', 'x', '--component', 'api:minor'), /components\[0\]\.impact/);
});

test('maintenance and incidents change and go; removing a probe and a component', async () => {
  const m = await call(agent, 'POST', '/api/v1/status/maintenance', '/api/v1/status/maintenance',
    { titles: { en: 'Network work' }, starts_at: at('23:00:00'), ends_at: '2026-03-03T01:00:00Z', components: [component.id] });
  assert.equal(m.status, 201, m.text);
  const moved = await call(agent, 'PATCH', `/api/v1/status/maintenance/${m.json.id}`, '/api/v1/status/maintenance/{id}', { ends_at: '2026-03-03T02:00:00Z' });
  assert.equal(moved.status, 200, moved.text);
  assert.equal(moved.json.starts_at, '2026-03-02T23:00:00Z');
  const page = await call(anonymous, 'GET', '/api/v1/status', '/api/v1/status');
  assert.deepEqual(page.json.maintenance.map((x) => x.id), [m.json.id], 'maintenance to come is shown');
  const listed = await call(agent, 'GET', '/api/v1/status/maintenance', '/api/v1/status/maintenance');
  assert.equal(listed.json.items.length, 2);
  assert.equal((await call(agent, 'DELETE', `/api/v1/status/maintenance/${m.json.id}`, '/api/v1/status/maintenance/{id}')).status, 204);
  assert.equal((await call(agent, 'DELETE', `/api/v1/status/maintenance/${m.json.id}`, '/api/v1/status/maintenance/{id}')).status, 404);

  const retitled = await call(agent, 'PATCH', `/api/v1/status/incidents/${incident.id}`, '/api/v1/status/incidents/{id}', { titles: { en: 'Slow API (some regions)' } });
  assert.equal(retitled.status, 200, retitled.text);
  assert.equal(retitled.json.resolved_at, '2026-03-02T10:55:00Z', 'what was not sent stays');
  assert.equal((await call(agent, 'DELETE', `/api/v1/status/incidents/${incident.id}`, '/api/v1/status/incidents/{id}')).status, 403, 'deleting is for admins');
  assert.equal((await call(admin, 'DELETE', `/api/v1/status/incidents/${incident.id}`, '/api/v1/status/incidents/{id}')).status, 204);

  assert.equal((await call(admin, 'DELETE', `/api/v1/status/probes/${probe.id}`, '/api/v1/status/probes/{id}')).status, 204);
  assert.equal((await call(admin, 'DELETE', `/api/v1/status/components/${component.id}`, '/api/v1/status/components/{id}')).status, 204);
  assert.equal((await call(anonymous, 'GET', '/api/v1/status', '/api/v1/status')).json.components.length, 0);
});
