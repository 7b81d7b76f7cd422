// SLA through the API: clocks in tickets, the queue by due, the policy endpoints, customer
// escalation, the test clock, and breaches that fire exactly once across restarts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chamadoBin, repoRoot, startServer, tokenClient, sessionClient } from '../lib/server.mjs';
import { hookedPolicyFile } from '../lib/policies.mjs';

const policyFile = (name) => join(repoRoot, 'examples', 'policies', name);

async function withServer(setup, body) {
  const data = mkdtempSync(join(tmpdir(), 'chamado-sla-'));
  const cli = (...args) => execFileSync(chamadoBin, [...args, '--data', data], { encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
  setup?.(cli);
  cli('user', 'add', '--role', 'admin', '--email', 'admin@desk.test', '--password', 'admin-pass-1');
  cli('user', 'add', '--role', 'agent', '--email', 'agent@desk.test', '--password', 'agent-pass-1');
  const token = (email) => cli('token', 'create', '--email', email).trim().split('\n').pop();
  const s = await startServer({ data, extraArgs: ['--test-clock'] });
  try {
    await body({ s, cli, admin: tokenClient(s.url, token('admin@desk.test')), agent: tokenClient(s.url, token('agent@desk.test')), token });
  } finally {
    await s.stop();
  }
}

test('the test clock exists only with --test-clock', async () => {
  const s = await startServer();
  try {
    const r = await fetch(s.url + '/api/v1/test/clock', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"advance":"1h"}' });
    assert.equal(r.status, 404);
  } finally {
    await s.stop();
  }
});

test('agents see clocks, customers see the expected resolution', async () => {
  await withServer(null, async ({ s, admin, agent }) => {
    await admin.post('/api/v1/test/clock', { set: '2026-01-05T12:00:00Z' });  // Monday
    const t = (await agent.post('/api/v1/tickets', { subject: 'Down', description: 'x', priority: 'P1', requester: { email: 'c@acme.test' } })).json;
    const fr = t.clocks.find((c) => c.target === 'first_response');
    assert.equal(fr.calendar, 'always');
    assert.equal(fr.calendar_names.de, 'Rund um die Uhr');
    assert.equal(fr.state, 'running');
    assert.equal(fr.within, '1h');
    assert.equal(fr.due_at, '2026-01-05T13:00:00Z');
    assert.equal(t.expected_resolution_at, '2026-01-05T20:00:00Z');  // default policy: P1 resolution 8 h around the clock
    s.cli('user', 'add', '--role', 'customer', '--email', 'c@acme.test', '--password', 'customer-pass-1');
    const customer = await sessionClient(s.url, 'c@acme.test', 'customer-pass-1');
    const seen = (await customer.get(`/api/v1/tickets/${t.number}`)).json;
    assert.equal(seen.clocks, undefined, 'customers do not see the clocks');
    assert.equal(seen.escalation_level, undefined);
    assert.equal(seen.expected_resolution_at, '2026-01-05T20:00:00Z');
    assert.equal(seen.can_request_escalation, false, 'the default policy has no plan with escalation requests');
    const single = (await agent.get(`/api/v1/tickets/${t.number}`)).json.clocks.find((c) => c.target === 'first_response');
    assert.equal(single.used_minutes, 0);
    assert.equal(single.remaining_minutes, 60);
    // One rule for agents and customers: the resolution due the agent is shown is the instant
    // the customer is told, on business hours too (friday evening, not the next opening).
    await admin.post('/api/v1/test/clock', { set: '2026-01-09T15:00:00Z' });  // Friday
    for (const priority of ['P1', 'P3']) {
      const n = (await agent.post('/api/v1/tickets', { subject: `Slow ${priority}`, description: 'x', priority, requester: { email: 'c@acme.test' } })).json.number;
      const asAgent = (await agent.get(`/api/v1/tickets/${n}`)).json;
      const resolution = asAgent.clocks.find((c) => c.target === 'resolution');
      assert.ok(resolution.due_shown_at, JSON.stringify(resolution));
      assert.equal(resolution.due_shown_at, (await customer.get(`/api/v1/tickets/${n}`)).json.expected_resolution_at, priority);
      assert.equal(resolution.due_shown_at, asAgent.expected_resolution_at, priority);
    }
  });
});

test('the queue can put the most pressing SLA first', async () => {
  await withServer(null, async ({ admin, agent }) => {
    await admin.post('/api/v1/test/clock', { set: '2026-01-05T12:00:00Z' });
    const open = async (priority) => (await agent.post('/api/v1/tickets', { subject: priority, description: 'x', priority, requester: { email: 'c@acme.test' } })).json.number;
    const p3 = await open('P3');  // first response 1 business day: Tuesday 12:00
    const p2 = await open('P2');  // 4 business hours: 16:00
    const p1 = await open('P1');  // 1 hour around the clock: 13:00
    const byDue = (await agent.get('/api/v1/queue?order=due')).json.items.map((t) => t.number);
    assert.deepEqual(byDue, [p1, p2, p3]);
    const page1 = (await agent.get('/api/v1/queue?order=due&limit=2')).json;
    const page2 = (await agent.get(`/api/v1/queue?order=due&limit=2&after=${encodeURIComponent(page1.next)}`)).json;
    assert.deepEqual([...page1.items, ...page2.items].map((t) => t.number), [p1, p2, p3]);
    assert.equal((await agent.get('/api/v1/queue?order=sideways')).status, 400);
  });
});

test('a breach fires exactly once, also across restarts', async () => {
  const data = mkdtempSync(join(tmpdir(), 'chamado-sla-'));
  const cli = (...args) => execFileSync(chamadoBin, [...args, '--data', data], { encoding: 'utf8' });
  cli('user', 'add', '--role', 'admin', '--email', 'admin@desk.test', '--password', 'admin-pass-1');
  const token = cli('token', 'create', '--email', 'admin@desk.test').trim().split('\n').pop();
  const breaches = async (client, n) =>
    (await client.get(`/api/v1/tickets/${n}/events?limit=200`)).json.items.filter(
      (e) => e.kind === 'sla.breached' && e.changes.some((c) => c.field === 'target' && c.after === 'first_response')).length;
  let number;
  let s = await startServer({ data, extraArgs: ['--test-clock'] });
  try {
    const admin = tokenClient(s.url, token);
    await admin.post('/api/v1/test/clock', { set: '2026-01-05T12:00:00Z' });
    number = (await admin.post('/api/v1/tickets', { subject: 'x', description: 'y', priority: 'P1', requester: { email: 'c@acme.test' } })).json.number;
    await admin.post('/api/v1/test/clock', { set: '2026-01-05T13:00:00Z' });
    assert.equal(await breaches(admin, number), 0, 'on time at the due instant');
    await admin.post('/api/v1/test/clock', { set: '2026-01-05T13:00:01Z' });
    assert.equal(await breaches(admin, number), 1);
    await admin.post('/api/v1/test/clock', { advance: '10m' });
    assert.equal(await breaches(admin, number), 1, 'not again in the same server');
  } finally {
    await s.stop({ keepData: true });
  }
  // A new process: the scheduler starts from storage, not from memory.
  s = await startServer({ data, extraArgs: ['--test-clock'] });
  try {
    const admin = tokenClient(s.url, token);
    await admin.post('/api/v1/test/clock', { set: '2026-01-05T14:00:00Z' });
    assert.equal(await breaches(admin, number), 1, 'not again after a restart');
    const t = (await admin.get(`/api/v1/tickets/${number}`)).json;
    assert.equal(t.escalation_level, 1);
  } finally {
    await s.stop();
  }
});

test('policy: agents read it, administrators apply it, every problem is reported', async () => {
  await withServer(null, async ({ admin, agent }) => {
    const current = (await agent.get('/api/v1/policy')).json;
    assert.equal(current.version, 0);
    assert.equal(current.name, 'Default policy');
    assert.equal(current.names['pt-BR'], 'Política padrão');
    assert.equal(current.calendars.find((c) => c.name === 'business').names['pt-BR'], 'Horário comercial');
    assert.ok(current.targets.length > 0);
    const source = readFileSync(policyFile('003_survey_saas.toml'), 'utf8');
    assert.equal((await agent.request('PUT', '/api/v1/policy', { source })).status, 403);
    const bad = await admin.request('PUT', '/api/v1/policy', { source: 'name = "x"\nsla = 1\n' });
    assert.equal(bad.status, 400);
    assert.ok(bad.json.errors.some((e) => e.field === 'policy:2: sla'), JSON.stringify(bad.json.errors));
    assert.ok(bad.json.errors.some((e) => e.field.endsWith('default_priority')));
    const missing = await admin.request('PUT', '/api/v1/policy', { source });
    assert.equal(missing.status, 400, 'the holidays file it names was not sent');
    assert.equal(missing.json.errors.length, 1, 'no follow-on errors: ' + JSON.stringify(missing.json.errors));
    assert.match(missing.json.errors[0].field, /holidays_ics/);
    const ics = readFileSync(policyFile('holidays-br.ics'), 'utf8');
    const good = await admin.request('PUT', '/api/v1/policy', { source, files: { 'holidays-br.ics': ics } });
    assert.equal(good.status, 200, good.text);
    assert.equal(good.json.version, 1);
    assert.equal(good.json.name, 'Survey SaaS — support cycle');
    const again = await admin.request('PUT', '/api/v1/policy', { source });
    assert.equal(again.status, 200, 'the stored holidays file is reused: ' + again.text);
    assert.equal(again.json.version, 2);
    assert.deepEqual((await agent.get('/api/v1/policy')).json.files.map((f) => f.name), ['holidays-br.ics']);
    const syntax = await admin.request('PUT', '/api/v1/policy', { source: 'name = \n' });
    assert.equal(syntax.status, 400);
    assert.match(syntax.json.errors[0].field, /^policy:1/);
    assert.deepEqual((await agent.get('/api/v1/priorities')).json.items.map((p) => p.name), ['alta', 'media', 'baixa']);
    assert.equal((await agent.get('/api/v1/policy')).json.source, source);
  });
});

test('customers of a plan with escalation can ask for it; others cannot', async () => {
  await withServer((cli) => cli('policy', 'apply', policyFile('001_whatsapp_inbox_business_plus.toml')), async ({ s, admin }) => {
    await admin.post('/api/v1/test/clock', { set: '2026-01-05T12:00:00Z' });
    await admin.post('/api/v1/groups', { name: 'L1' });
    const plus = (await admin.post('/api/v1/organizations', { name: 'Plus', plan: 'business_plus', domains: ['plus.test'] })).json;
    await admin.post('/api/v1/organizations', { name: 'Pro', plan: 'pro', domains: ['pro.test'] });
    s.cli('user', 'add', '--role', 'customer', '--email', 'ana@plus.test', '--password', 'customer-pass-1');
    s.cli('user', 'add', '--role', 'customer', '--email', 'rui@pro.test', '--password', 'customer-pass-1');
    const ana = await sessionClient(s.url, 'ana@plus.test', 'customer-pass-1');
    const rui = await sessionClient(s.url, 'rui@pro.test', 'customer-pass-1');
    const t = (await ana.post('/api/v1/tickets', { subject: 'Broadcasts fail', description: 'since 9' })).json;
    assert.equal((await ana.get(`/api/v1/tickets/${t.number}`)).json.can_request_escalation, true);
    const short = await ana.post(`/api/v1/tickets/${t.number}/escalation`, { impact: 'bad' });
    assert.equal(short.status, 400);
    const r = await ana.post(`/api/v1/tickets/${t.number}/escalation`, { impact: 'Black Friday campaign to 200k contacts is blocked.' });
    assert.equal(r.status, 201, r.text);
    // The impact as written, and what it is as a code: each reader's screen says it in their language.
    assert.deepEqual([r.json.message.body, r.json.message.label], ['Black Friday campaign to 200k contacts is blocked.', 'escalation_requested']);
    const agentsView = (await admin.get(`/api/v1/tickets/${t.number}/messages`)).json.items.at(-1);
    assert.deepEqual([agentsView.body, agentsView.label], ['Black Friday campaign to 200k contacts is blocked.', 'escalation_requested']);
    assert.equal(r.json.ticket.can_request_escalation, false, 'one request at a time');
    assert.ok('expected_resolution_at' in r.json.ticket);
    const twice = await ana.post(`/api/v1/tickets/${t.number}/escalation`, { impact: 'Still blocked, please hurry up!' });
    assert.equal(twice.status, 409);
    assert.match(twice.json.detail, /answers that request/);
    const seen = (await admin.get(`/api/v1/tickets/${t.number}`)).json;
    assert.equal(seen.escalation_level, 1);
    assert.ok(seen.tags.includes('customer_escalation'));
    const events = (await admin.get(`/api/v1/tickets/${t.number}/events`)).json.items.map((e) => e.kind);
    assert.ok(events.includes('ticket.escalation_requested'));
    await admin.post('/api/v1/test/clock', { advance: '1m' });
    await admin.post(`/api/v1/tickets/${t.number}/messages`, { body: 'We raised it to P1 and are on it.' });
    assert.equal((await ana.get(`/api/v1/tickets/${t.number}`)).json.can_request_escalation, true, 'answered: may ask again');
    const other = (await rui.post('/api/v1/tickets', { subject: 'Slow', description: 'x' })).json;
    assert.equal((await rui.get(`/api/v1/tickets/${other.number}`)).json.can_request_escalation, false);
    const refused = await rui.post(`/api/v1/tickets/${other.number}/escalation`, { impact: 'Everything is blocked for everyone here.' });
    assert.equal(refused.status, 403);
    assert.match(refused.json.detail, /plan/);
    const outsider = await rui.post(`/api/v1/tickets/${t.number}/escalation`, { impact: 'Everything is blocked for everyone here.' });
    assert.equal(outsider.status, 404);
    void plus;
  });
});

test('every response that carries a ticket is the same view of it as GET', async () => {
  await withServer((cli) => cli('policy', 'apply', policyFile('001_whatsapp_inbox_business_plus.toml')), async ({ s, admin }) => {
    await admin.post('/api/v1/test/clock', { set: '2026-01-05T12:00:00Z' });
    await admin.post('/api/v1/organizations', { name: 'Plus', plan: 'business_plus', domains: ['plus.test'] });
    s.cli('user', 'add', '--role', 'customer', '--email', 'ana@plus.test', '--password', 'customer-pass-1');
    const ana = await sessionClient(s.url, 'ana@plus.test', 'customer-pass-1');
    const same = async (who, copy, what) => {
      const seen = (await who.get(`/api/v1/tickets/${copy.number}`)).json;
      assert.deepEqual(Object.keys(copy).sort(), Object.keys(seen).sort(), what);
      assert.equal(copy.can_request_escalation, seen.can_request_escalation, what);
      assert.deepEqual(copy.links, seen.links, what);
    };
    const created = (await ana.post('/api/v1/tickets', { subject: 'Broadcasts fail', description: 'since 9' })).json;
    assert.equal(created.can_request_escalation, true);
    await same(ana, created, 'created');
    await admin.post('/api/v1/test/clock', { advance: '1m' });
    const answered = (await admin.post(`/api/v1/tickets/${created.number}/messages`, { body: 'Looking.', status: 'pending_customer' })).json.ticket;
    await same(admin, answered, "an agent's reply");
    const replied = (await ana.post(`/api/v1/tickets/${created.number}/messages`, { body: 'Still failing.' })).json.ticket;
    assert.equal(replied.can_request_escalation, true, 'the escalation button stays after a reply');
    await same(ana, replied, "the customer's reply");
    const changed = (await admin.request('PATCH', `/api/v1/tickets/${created.number}`, { priority: 'P2' })).json;
    await same(admin, changed, 'a change');
    const escalated = (await ana.post(`/api/v1/tickets/${created.number}/escalation`, { impact: 'Black Friday campaign to 200k contacts is blocked.' })).json.ticket;
    await same(ana, escalated, 'an escalation request');
  });
});

test('a breach calls the webhook the policy names; the outbox records the delivery', async () => {
  const received = [];
  const receiver = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => { body += d; });
    req.on('end', () => {
      received.push({ event: req.headers['x-chamado-event'], type: req.headers['content-type'], body: JSON.parse(body) });
      res.writeHead(204).end();
    });
  });
  await new Promise((r) => receiver.listen(0, '127.0.0.1', r));
  const hook = `http://127.0.0.1:${receiver.address().port}/hooks/sla`;
  const policy = hookedPolicyFile(hook);
  try {
    await withServer((cli) => cli('policy', 'apply', policy), async ({ admin }) => {
      await admin.post('/api/v1/test/clock', { set: '2026-01-05T12:00:00Z' });
      const t = (await admin.post('/api/v1/tickets', { subject: 'x', description: 'y', requester: { email: 'c@acme.test' } })).json;
      await admin.post('/api/v1/test/clock', { advance: '16m' });
      for (let i = 0; i < 50 && received.length === 0; i++) await new Promise((r) => setTimeout(r, 100));
      assert.equal(received.length, 1);
      assert.equal(received[0].event, 'sla.breached');
      assert.equal(received[0].type, 'application/json');
      assert.equal(received[0].body.ticket, t.number);
      assert.equal(received[0].body.target, 'first_response');
      let queued;
      for (let i = 0; i < 50; i++) {
        queued = (await admin.get(`/api/v1/outbox?ticket_number=${t.number}`)).json.items.find((n) => n.kind === 'webhook');
        if (queued?.sent_at) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      assert.equal(queued.recipient, hook);
      assert.ok(queued.sent_at, 'marked as sent');
      assert.equal(queued.attempts, 1);
    });
  } finally {
    receiver.close();
  }
});
