// Tickets end to end through the real server: open, queue, reply, notes, statuses, errors.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, tokenClient, sessionClient } from '../lib/server.mjs';

let server, agent, customer, admin;

before(async () => {
  server = await startServer();
  server.addUser('admin', 'boss@desk.test', 'admin-pass-1');
  server.addUser('agent', 'agent@desk.test', 'agent-pass-1', ['--name', 'Alice Agent']);
  server.addUser('customer', 'cliente@acme.test', 'customer-pass-1', ['--organization', 'Acme', '--name', 'Carla Cliente']);
  agent = tokenClient(server.url, server.token('agent@desk.test'));
  admin = tokenClient(server.url, server.token('boss@desk.test'));
  customer = await sessionClient(server.url, 'cliente@acme.test', 'customer-pass-1');
});

after(async () => { await server?.stop(); });

test('a customer opens a ticket: 201, sequential number, defaults', async () => {
  const r = await customer.post('/api/v1/tickets', { subject: 'Não consigo enviar', description: 'Erro 131047 desde as 9h.', category: 'problem', tags: ['WhatsApp'] });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.number, 1);
  assert.equal(r.headers.get('location'), '/api/v1/tickets/1');
  assert.equal(r.json.status, 'new');
  assert.equal(r.json.priority, 'P3');
  assert.match(r.json.priority_description, /Medium/);
  assert.equal(r.json.channel, 'web');
  assert.equal(r.json.requester.email, 'cliente@acme.test');
  assert.equal(r.json.organization.name, 'Acme');
  assert.deepEqual(r.json.tags, ['whatsapp']);
  assert.equal(r.json.first_response_at, null);
  const r2 = await customer.post('/api/v1/tickets', { subject: 'Second', description: 'x' });
  assert.equal(r2.json.number, 2);
});

test('the agent answers; the customer sees the reply but never the internal note', async () => {
  const t = (await customer.post('/api/v1/tickets', { subject: 'Webhook 500', description: 'Every webhook fails.' })).json;
  const note = await agent.post(`/api/v1/tickets/${t.number}/messages`, { body: 'Looks like their TLS cert expired.', kind: 'internal_note' });
  assert.equal(note.status, 201, note.text);
  assert.equal(note.json.ticket.status, 'new', 'a note does not open the ticket');
  assert.equal(note.json.ticket.first_response_at, null, 'a note is not a first response');

  const reply = await agent.post(`/api/v1/tickets/${t.number}/messages`, { body: 'Olá! Estamos verificando.' });
  assert.equal(reply.status, 201, reply.text);
  assert.equal(reply.json.message.kind, 'public_reply');
  assert.equal(reply.json.ticket.status, 'open');
  assert.ok(reply.json.ticket.first_response_at);

  const seen = await customer.get(`/api/v1/tickets/${t.number}/messages`);
  assert.equal(seen.status, 200);
  const bodies = seen.json.items.map((m) => m.body);
  assert.deepEqual(bodies, ['Every webhook fails.', 'Olá! Estamos verificando.']);
  assert.ok(!seen.json.items.some((m) => m.kind === 'internal_note'));
  const agentView = await agent.get(`/api/v1/tickets/${t.number}/messages`);
  assert.equal(agentView.json.items.length, 3);
  assert.equal(seen.json.items[1].author.name, 'Alice Agent');
  assert.equal(seen.json.items[1].author.email, undefined, "customers do not see agents' addresses");
});

test('reply and set pending; a customer reply reopens it', async () => {
  const t = (await customer.post('/api/v1/tickets', { subject: 'Logs', description: 'help' })).json;
  const r = await agent.post(`/api/v1/tickets/${t.number}/messages`, { body: 'Could you send logs?', status: 'pending_customer' });
  assert.equal(r.json.ticket.status, 'pending_customer');
  const back = await customer.post(`/api/v1/tickets/${t.number}/messages`, { body: 'Here they are.' });
  assert.equal(back.status, 201, back.text);
  assert.equal(back.json.ticket.status, 'open');
  assert.equal(back.json.message.kind, 'customer_message');
});

test('an invalid status transition is a 409 and changes nothing', async () => {
  const t = (await customer.post('/api/v1/tickets', { subject: 'Transition', description: 'x' })).json;
  const r = await agent.patch(`/api/v1/tickets/${t.number}`, { status: 'closed', priority: 'P1' });
  assert.equal(r.status, 409, r.text);
  assert.equal(r.headers.get('content-type'), 'application/problem+json');
  assert.match(r.json.detail, /solve it first/);
  const after = (await agent.get(`/api/v1/tickets/${t.number}`)).json;
  assert.equal(after.status, 'new');
  assert.equal(after.priority, 'P3', 'the priority in the refused request was not applied');

  const solved = await agent.patch(`/api/v1/tickets/${t.number}`, { status: 'solved', resolution: 'fixed' });
  assert.equal(solved.status, 200, solved.text);
  assert.equal(solved.json.resolution, 'fixed');
  const closed = await agent.patch(`/api/v1/tickets/${t.number}`, { status: 'closed' });
  assert.equal(closed.status, 200);
  const reopen = await agent.patch(`/api/v1/tickets/${t.number}`, { status: 'open' });
  assert.equal(reopen.status, 409);
  const late = await agent.post(`/api/v1/tickets/${t.number}/messages`, { body: 'one more thing', kind: 'public_reply' });
  assert.equal(late.status, 409);
  assert.match(late.json.detail, /closed/);
  // A customer's word there opens a follow-up instead (tests/api/follow_up.test.mjs).
  const followUp = await customer.post(`/api/v1/tickets/${t.number}/messages`, { body: 'one more thing' });
  assert.equal(followUp.status, 201, followUp.text);
  assert.equal(followUp.json.follow_up_of, t.number);
});

test('triage: priority, group, assignee, tags, custom fields, audit trail', async () => {
  const t = (await customer.post('/api/v1/tickets', { subject: 'Triage me', description: 'x' })).json;
  const group = await admin.post('/api/v1/groups', { name: 'Engineering', description: 'Deep dives' });
  assert.equal(group.status, 201, group.text);
  const me = (await agent.get('/api/v1/session')).json.user;
  const r = await agent.patch(`/api/v1/tickets/${t.number}`, {
    priority: 'P1', group_id: group.json.id, assignee_id: me.id, add_tags: ['Outage', 'api'], custom_fields: { order_id: 4711, vip: true },
  });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.priority, 'P1');
  assert.equal(r.json.group.name, 'Engineering');
  assert.equal(r.json.assignee.id, me.id);
  assert.deepEqual(r.json.tags, ['api', 'outage']);
  assert.deepEqual(r.json.custom_fields, { order_id: 4711, vip: true });
  const r2 = await agent.patch(`/api/v1/tickets/${t.number}`, { assignee_id: null, custom_fields: { vip: null }, remove_tags: ['api'] });
  assert.equal(r2.json.assignee, null);
  assert.deepEqual(r2.json.custom_fields, { order_id: 4711 });
  assert.deepEqual(r2.json.tags, ['outage']);

  const events = await agent.get(`/api/v1/tickets/${t.number}/events`);
  assert.equal(events.status, 200);
  const kinds = events.json.items.map((e) => e.kind);
  assert.deepEqual(kinds, ['ticket.created', 'message.added', 'ticket.updated', 'ticket.updated']);
  const prio = events.json.items[2].changes.find((c) => c.field === 'priority');
  assert.deepEqual([prio.before, prio.after], ['P3', 'P1']);
  const mine = await customer.get(`/api/v1/tickets/${t.number}/events`);
  assert.equal(mine.status, 403, 'the audit trail is for agents');
});

test('the queue: open work by priority, then oldest first, across pages', async () => {
  const s = await startServer();
  try {
    s.addUser('agent', 'a@desk.test', 'agent-pass-1');
    const a = tokenClient(s.url, s.token('a@desk.test'));
    const open = async (priority) => (await a.post('/api/v1/tickets', { subject: `prio ${priority}`, description: 'x', requester: { email: 'c@x.test' }, priority })).json.number;
    const n1 = await open('P3');
    const n2 = await open('P1');
    const n3 = await open('P2');
    const n4 = await open('P1');
    const n5 = await open('P4');
    const n6 = await open('P1');
    await a.patch(`/api/v1/tickets/${n6}`, { status: 'solved' });
    const order = [];
    let after = '';
    for (let i = 0; i < 10; i++) {
      const r = await a.get(`/api/v1/queue?limit=2${after ? `&after=${after}` : ''}`);
      assert.equal(r.status, 200, r.text);
      order.push(...r.json.items.map((t) => t.number));
      if (!r.json.next) break;
      after = encodeURIComponent(r.json.next);
    }
    assert.deepEqual(order, [n2, n4, n3, n1, n5]);
    const p1 = await a.get('/api/v1/queue?priority=P1');
    assert.deepEqual(p1.json.items.map((t) => t.number), [n2, n4]);
    const bad = await a.get('/api/v1/queue?after=garbage!');
    assert.equal(bad.status, 400);
  } finally {
    await s.stop();
  }
});

test('an agent opens a ticket for an unknown person: the contact is created and joins the organization by domain', async () => {
  const org = await agent.post('/api/v1/organizations', { name: 'Globex GmbH', plan: 'regular', language: 'de', time_zone: 'Europe/Berlin', domains: ['globex.de'] });
  assert.equal(org.status, 201, org.text);
  const r = await agent.post('/api/v1/tickets', {
    subject: 'Anruf: Passwort-Reset kommt nicht an', description: 'Called at 10:05.', channel: 'phone', priority: 'P2',
    requester: { email: 'Hans.Mueller@Globex.DE', name: 'Hans Müller' },
  });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.channel, 'phone');
  assert.equal(r.json.requester.email, 'hans.mueller@globex.de');
  assert.equal(r.json.organization.id, org.json.id);
  const contacts = await agent.get(`/api/v1/contacts?organization_id=${org.json.id}`);
  assert.equal(contacts.json.items.length, 1);
  assert.equal(contacts.json.items[0].name, 'Hans Müller');
  assert.equal(contacts.json.items[0].language, 'de');
  const noRequester = await agent.post('/api/v1/tickets', { subject: 's', description: 'd' });
  assert.equal(noRequester.status, 400);
  assert.equal(noRequester.json.errors[0].field, 'requester.email');
  const agentAsRequester = await agent.post('/api/v1/tickets', { subject: 's', description: 'd', requester: { email: 'boss@desk.test' } });
  assert.equal(agentAsRequester.status, 400);
});

test('bad input gets a clear problem and nothing is stored', async () => {
  const before = (await agent.get('/api/v1/tickets?limit=1')).json.items[0].number;
  const cases = [
    [{ description: 'no subject' }, 400, 'subject'],
    [{ subject: '   ', description: 'blank subject' }, 400, 'subject'],
    [{ subject: 's', description: 'd', prioirty: 'P1' }, 400, 'prioirty'],
    [{ subject: 's', description: 'd', tags: 'not-a-list' }, 400, 'tags'],
    [{ subject: 's', description: 'd', category: 'nonsense' }, 400, 'category'],
    [{ subject: 's', description: 'd', custom_fields: { 'Bad Key': 1 } }, 400, 'custom_fields'],
  ];
  for (const [body, status, field] of cases) {
    const r = await customer.post('/api/v1/tickets', body);
    assert.equal(r.status, status, JSON.stringify(body) + ' ' + r.text);
    assert.equal(r.headers.get('content-type'), 'application/problem+json');
    assert.ok(r.json.detail.length > 10);
    assert.ok(r.json.errors.some((e) => e.field === field), `${JSON.stringify(r.json.errors)} names ${field}`);
  }
  // Numbers beyond what a custom field holds are refused, not stored as Infinity or wrapped.
  for (const raw of ['{"subject":"s","description":"d","custom_fields":{"n":1e999999}}',
    '{"subject":"s","description":"d","custom_fields":{"n":18446744073709551615}}']) {
    const r = await customer.post('/api/v1/tickets', raw, { 'content-type': 'application/json' });
    assert.equal(r.status, 400, raw + ' ' + r.text);
    assert.ok(r.json.errors.some((e) => e.field === 'custom_fields.n'), r.text);
  }
  const prio = await customer.post('/api/v1/tickets', { subject: 's', description: 'd', priority: 'P1' });
  assert.equal(prio.status, 403);
  const notJson = await customer.post('/api/v1/tickets', 'subject=x', { 'content-type': 'text/plain' });
  assert.equal(notJson.status, 415);
  const broken = await customer.post('/api/v1/tickets', '{"subject": ', { 'content-type': 'application/json' });
  assert.equal(broken.status, 400);
  assert.match(broken.json.detail, /not valid JSON/);
  const array = await customer.post('/api/v1/tickets', '[1,2]', { 'content-type': 'application/json' });
  assert.equal(array.status, 400);
  const after = (await agent.get('/api/v1/tickets?limit=1')).json.items[0].number;
  assert.equal(after, before, 'no ticket was created by any bad request');
});

test('lists paginate with cursors and filter by status', async () => {
  const all = [];
  let after = '';
  for (let i = 0; i < 50; i++) {
    const r = await agent.get(`/api/v1/tickets?limit=3${after ? `&after=${encodeURIComponent(after)}` : ''}`);
    assert.equal(r.status, 200);
    all.push(...r.json.items.map((t) => t.number));
    if (!r.json.next) break;
    after = r.json.next;
  }
  const sorted = [...all].sort((a, b) => b - a);
  assert.deepEqual(all, sorted, 'newest first');
  assert.equal(new Set(all).size, all.length, 'no duplicates across pages');
  const closed = await agent.get('/api/v1/tickets?status=closed');
  assert.ok(closed.json.items.length >= 1);
  assert.ok(closed.json.items.every((t) => t.status === 'closed'));
  const bad = await agent.get('/api/v1/tickets?status=opened');
  assert.equal(bad.status, 400);
  const limit = await agent.get('/api/v1/tickets?limit=0');
  assert.equal(limit.status, 400);
});

test('priorities and categories come from the policy in effect', async () => {
  const p = await customer.get('/api/v1/priorities');
  assert.deepEqual(p.json.items.map((x) => x.name), ['P1', 'P2', 'P3', 'P4']);
  assert.equal(p.json.items.find((x) => x.default).name, 'P3');
  const c = await customer.get('/api/v1/categories');
  assert.ok(c.json.items.some((x) => x.key === 'billing'));
});

test('secrets in incoming text are masked before they are stored, and the message says so', async () => {
  const t = await customer.post('/api/v1/tickets', {
    subject: 'API key sk_live_4eC39HqLyjWDarjtT1zdp7dc stopped working',
    description: 'Our key is D360-API-KEY: Zq8vK2mN4pR7tX1wY3bC\npassword: hunter2!',
  });
  assert.equal(t.status, 201, t.text);
  assert.equal(t.json.subject, 'API key sk_l••••••••••••••••••••••••p7dc stopped working');
  const msgs = (await agent.get(`/api/v1/tickets/${t.json.number}/messages`)).json.items;
  assert.equal(msgs[0].body, 'Our key is D360-API-KEY: Zq8v••••••••••••Y3bC\npassword: h••••••!');
  assert.equal(msgs[0].masked, true);
  const reply = await agent.post(`/api/v1/tickets/${t.json.number}/messages`, { body: 'Use token=abcdefghijklmnopqrstuv for now.' });
  assert.equal(reply.json.message.body, 'Use token=abcd••••••••••••••stuv for now.');
  assert.equal(reply.json.message.masked, true);
  const plain = await agent.post(`/api/v1/tickets/${t.json.number}/messages`, { body: 'Nothing secret here.' });
  assert.equal(plain.json.message.masked, false);
});

test('secrets in custom fields and in a changed subject are masked too, events included', async () => {
  const t = await customer.post('/api/v1/tickets', {
    subject: 'Integração parou', description: 'Veja os campos.',
    custom_fields: { api_key: 'sk_live_4eC39HqLyjWDarjtT1zdp7dc', project: 'PRJ-12', seats: 5 },
  });
  assert.equal(t.status, 201, t.text);
  assert.equal(t.json.custom_fields.api_key, 'sk_l••••••••••••••••••••••••p7dc');
  assert.equal(t.json.custom_fields.project, 'PRJ-12');
  assert.equal(t.json.custom_fields.seats, 5);
  const changed = await agent.request('PATCH', `/api/v1/tickets/${t.json.number}`, {
    subject: 'Chave sk_live_4eC39HqLyjWDarjtT1zdp7dc recusada',
    custom_fields: { token: 'token=abcdefghijklmnopqrstuv' },
  });
  assert.equal(changed.status, 200, changed.text);
  assert.equal(changed.json.subject, 'Chave sk_l••••••••••••••••••••••••p7dc recusada');
  assert.equal(changed.json.custom_fields.token, 'token=abcd••••••••••••••stuv');
  const events = JSON.stringify((await agent.get(`/api/v1/tickets/${t.json.number}/events`)).json);
  assert.ok(!events.includes('4eC39HqLyjWDarjtT1zdp7dc') && !events.includes('abcdefghijklmnopqrstuv'), events);
});

test('customers see neither the group nor the tags and fields the policy marks internal', async () => {
  const current = (await admin.get('/api/v1/policy')).json.source;
  const source = current + '\n[visibility]\ninternal_tags = ["vip", "churn-*"]\ninternal_fields = ["mrr"]\n';
  const applied = await admin.request('PUT', '/api/v1/policy', { source });
  assert.equal(applied.status, 200, applied.text);
  assert.deepEqual(applied.json.visibility, { internal_tags: ['vip', 'churn-*'], internal_fields: ['mrr'] });
  const group = (await admin.post('/api/v1/groups', { name: 'Retention' })).json;
  const t = (await customer.post('/api/v1/tickets', { subject: 'Cancel my plan', description: 'Too expensive.', custom_fields: { project: 'PRJ-7' } })).json;
  const changed = await agent.request('PATCH', `/api/v1/tickets/${t.number}`, {
    tags: ['vip', 'churn-risk', 'billing'], custom_fields: { mrr: 1200 }, group_id: group.id,
  });
  assert.equal(changed.status, 200, changed.text);
  const seenByAgent = (await agent.get(`/api/v1/tickets/${t.number}`)).json;
  assert.deepEqual(seenByAgent.tags.sort(), ['billing', 'churn-risk', 'vip']);
  assert.equal(seenByAgent.custom_fields.mrr, 1200);
  assert.equal(seenByAgent.group.name, 'Retention');
  const seenByCustomer = (await customer.get(`/api/v1/tickets/${t.number}`)).json;
  assert.deepEqual(seenByCustomer.tags, ['billing']);
  assert.deepEqual(seenByCustomer.custom_fields, { project: 'PRJ-7' });
  assert.equal(seenByCustomer.group, null);
  const listed = (await customer.get('/api/v1/tickets')).json.items.find((x) => x.number === t.number);
  assert.deepEqual(listed.tags, ['billing']);
  assert.equal(listed.custom_fields.mrr, undefined);
  assert.equal((await admin.request('PUT', '/api/v1/policy', { source: current })).status, 200);
});
