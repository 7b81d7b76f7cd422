// Canned replies (macros) through the API: an agent keeps personal ones, administrators keep
// shared ones; the preview fills the placeholders for a ticket (the due time in the
// requester's zone and language) and returns the fields the reply will set.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, tokenClient, sessionClient } from '../lib/server.mjs';
import { documentedCall } from '../lib/openapi.mjs';

let server, boss, lucas, rita, ana;

const call = documentedCall;
const list = (who) => call(who, 'GET', '/api/v1/macros', '/api/v1/macros');
const create = (who, body) => call(who, 'POST', '/api/v1/macros', '/api/v1/macros', body);
const change = (who, id, body) => call(who, 'PATCH', `/api/v1/macros/${id}`, '/api/v1/macros/{id}', body);
const remove = (who, id) => call(who, 'DELETE', `/api/v1/macros/${id}`, '/api/v1/macros/{id}');
const preview = (who, number, id) =>
  call(who, 'POST', `/api/v1/tickets/${number}/macros/${id}/preview`, '/api/v1/tickets/{number}/macros/{id}/preview');

before(async () => {
  server = await startServer();
  server.addUser('admin', 'boss@desk.test', 'admin-pass-1', ['--name', 'Boss']);
  server.addUser('agent', 'lucas@desk.test', 'agent-pass-1', ['--name', 'Lucas']);
  server.addUser('agent', 'rita@desk.test', 'agent-pass-1', ['--name', 'Rita']);
  server.addUser('customer', 'ana@acme.test', 'customer-pass-1', ['--organization', 'Acme']);
  boss = tokenClient(server.url, server.token('boss@desk.test'));
  lucas = await sessionClient(server.url, 'lucas@desk.test', 'agent-pass-1');
  rita = tokenClient(server.url, server.token('rita@desk.test'));
  ana = await sessionClient(server.url, 'ana@acme.test', 'customer-pass-1');
});

after(async () => { await server?.stop(); });

test('an agent creates, lists, changes and deletes a personal macro', async () => {
  const made = await create(lucas, { name: ' Waiting for logs ', body: 'Hi {{customer.name}}, please send the logs.', status: 'pending_customer', add_tags: ['Needs-Logs'] });
  assert.equal(made.status, 201, made.text);
  assert.equal(made.headers.get('location'), `/api/v1/macros/${made.json.id}`);
  assert.equal(made.json.name, 'Waiting for logs');
  assert.equal(made.json.shared, false);
  assert.equal(made.json.editable, true);
  assert.equal(made.json.status, 'pending_customer');
  assert.deepEqual(made.json.add_tags, ['needs-logs']);
  assert.equal(made.json.priority, null);

  const changed = await change(lucas, made.json.id, { priority: 'P2', status: null });
  assert.equal(changed.status, 200, changed.text);
  assert.equal(changed.json.priority, 'P2');
  assert.equal(changed.json.status, null, 'null clears a field change');
  assert.equal(changed.json.body, 'Hi {{customer.name}}, please send the logs.', 'what was not sent stays');

  const again = await create(lucas, { name: 'WAITING FOR LOGS', body: 'x' });
  assert.equal(again.status, 409, again.text);

  assert.ok((await list(lucas)).json.items.some((m) => m.id === made.json.id));
  assert.equal((await remove(lucas, made.json.id)).status, 204);
  assert.ok(!(await list(lucas)).json.items.some((m) => m.id === made.json.id));
  assert.equal((await remove(lucas, made.json.id)).status, 404);
});

test('bad input is a 400 naming the field: an unknown placeholder, priority or status', async () => {
  const cases = [
    [{ name: 'Typo', body: 'Hi {{customer.nmae}}' }, 'body', /\{\{customer\.nmae\}\}/],
    [{ name: 'Open', body: 'Hi {{customer.name}' }, 'body', /not closed/],
    [{ name: 'Prio', body: 'x', priority: 'P9' }, 'priority', /"P9".*P1/],
    [{ name: 'Status', body: 'x', status: 'done' }, 'status', /"done"/],
    [{ name: 'Group', body: 'x', group_id: 999 }, 'group_id', /999/],
    [{ name: 'Tags', body: 'x', add_tags: ['two words'] }, 'add_tags', /two words/],
    [{ name: '', body: 'x' }, 'name', /1 to 100/],
    [{ name: 'No body' }, 'body', /body/],
  ];
  for (const [body, field, message] of cases) {
    const r = await create(lucas, body);
    assert.equal(r.status, 400, `${JSON.stringify(body)}: ${r.text}`);
    assert.equal(r.json.errors[0].field, field, r.text);
    assert.match(r.json.detail, message);
  }
  assert.ok(!(await list(lucas)).json.items.some((m) => ['Typo', 'Prio', 'Status', 'Group'].includes(m.name)), 'nothing stored');
});

test("personal macros are their agent's; shared ones are changed by administrators only", async () => {
  const mine = await create(lucas, { name: 'Mine', body: 'Lucas here.' });
  assert.equal(mine.status, 201, mine.text);
  assert.ok(!(await list(rita)).json.items.some((m) => m.id === mine.json.id), 'another agent does not see it');
  assert.equal((await change(rita, mine.json.id, { name: 'Taken' })).status, 404);
  assert.equal((await remove(rita, mine.json.id)).status, 404);
  assert.equal((await change(boss, mine.json.id, { name: 'Taken' })).status, 404, "nor does an administrator: it is personal");

  const refused = await create(rita, { name: 'For everyone', body: 'x', shared: true });
  assert.equal(refused.status, 403, refused.text);
  const shared = await create(boss, { name: 'Refund issued', body: 'Your refund for #{{ticket.number}} is on its way.', shared: true });
  assert.equal(shared.status, 201, shared.text);
  assert.equal(shared.json.shared, true);
  const seen = (await list(rita)).json.items.find((m) => m.id === shared.json.id);
  assert.equal(seen?.editable, false, 'every agent sees it, read only');
  const patched = await change(rita, shared.json.id, { body: 'Hacked' });
  assert.equal(patched.status, 403, patched.text);
  assert.match(patched.json.detail, /administrators/);
  assert.equal((await remove(rita, shared.json.id)).status, 403);
  const flip = await change(lucas, mine.json.id, { shared: true });
  assert.equal(flip.status, 400, flip.text);
  assert.equal(flip.json.errors[0].field, 'shared');
  assert.equal((await change(boss, shared.json.id, { name: 'Refund sent' })).json.name, 'Refund sent');

  for (const r of [await list(ana), await create(ana, { name: 'x', body: 'x' }), await change(ana, shared.json.id, { name: 'x' }), await remove(ana, shared.json.id)])
    assert.equal(r.status, 403, r.text);
  assert.equal((await remove(boss, shared.json.id)).status, 204);
});

test('the preview fills the placeholders for a ticket and returns the fields, writing nothing', async () => {
  const org = await boss.post('/api/v1/organizations', { name: 'Globex GmbH', plan: 'regular', language: 'de', time_zone: 'Europe/Berlin', domains: ['globex.de'] });
  assert.equal(org.status, 201, org.text);
  const opened = await lucas.post('/api/v1/tickets', {
    subject: 'Passwort-Reset', description: 'Die Mail kommt nicht an.', priority: 'P2',
    requester: { email: 'hans@globex.de', name: 'Hans Müller' },
  });
  assert.equal(opened.status, 201, opened.text);
  const n = opened.json.number;
  const ticket = (await lucas.get(`/api/v1/tickets/${n}`)).json;
  const group = await boss.post('/api/v1/groups', { name: 'Billing' });
  assert.equal(group.status, 201, group.text);
  const macro = await create(lucas, {
    name: 'Status update',
    body: 'Hallo {{customer.name}}, #{{ticket.number}} ({{ ticket.priority }}: {{ticket.priority_description}}) bis {{ticket.due}}. {{agent.name}}',
    status: 'on_hold', priority: 'P1', add_tags: ['vip'], group_id: group.json.id,
  });
  assert.equal(macro.status, 201, macro.text);

  // The requester reads German: the policy's German description, the due time in Berlin.
  const r = await preview(lucas, n, macro.json.id);
  assert.equal(r.status, 200, r.text);
  assert.ok(ticket.expected_resolution_at, 'the ticket has a due time');
  const due = new Date(ticket.expected_resolution_at);
  const part = (o) => new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Berlin', ...o }).format(due);
  const berlin = `${part({ day: '2-digit' })}.${part({ month: '2-digit' })}.${part({ year: 'numeric' })} ${part({ hour: '2-digit', minute: '2-digit', hour12: false })}`;
  assert.equal(r.json.text, `Hallo Hans Müller, #${n} (P2: Hoch: Kernfunktionen fehlen oder sind stark beeinträchtigt; eine vorläufige Umgehung kann es geben.) bis ${berlin} (Europe/Berlin). Lucas`);
  assert.deepEqual(r.json.fields, { status: 'on_hold', priority: 'P1', add_tags: ['vip'], group_id: group.json.id });
  const after = (await lucas.get(`/api/v1/tickets/${n}`)).json;
  assert.equal(after.status, ticket.status, 'a preview writes nothing');
  assert.equal(after.priority, 'P2');

  assert.equal((await preview(rita, n, macro.json.id)).status, 404, "another agent's macro");
  assert.equal((await preview(lucas, 999999, macro.json.id)).status, 404);
  assert.equal((await preview(ana, n, macro.json.id)).status, 403);
});
