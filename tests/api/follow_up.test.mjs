// A customer's reply on every channel (here the API, as the portal sends it): it reopens a
// ticket that waits on them or is solved, and on a closed ticket it opens a follow-up linked
// to the closed one — the rule mail intake follows too (tests/api/mail.test.mjs). Agents still
// get 409 on a closed ticket; a customer of another organization never learns it exists.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, tokenClient, sessionClient } from '../lib/server.mjs';
import { documentedCall } from '../lib/openapi.mjs';

let server, boss, lucas, ana, zeca;

const post = (who, n, body) => documentedCall(who, 'POST', `/api/v1/tickets/${n}/messages`, '/api/v1/tickets/{number}/messages', body);
const get = async (who, n) => (await documentedCall(who, 'GET', `/api/v1/tickets/${n}`, '/api/v1/tickets/{number}')).json;
const messages = async (who, n) =>
  (await documentedCall(who, 'GET', `/api/v1/tickets/${n}/messages?limit=200`, '/api/v1/tickets/{number}/messages')).json.items;

async function open(who, subject, description) {
  const r = await who.post('/api/v1/tickets', { subject, description });
  assert.equal(r.status, 201, r.text);
  return r.json.number;
}

async function closed(subject) {
  const n = await open(ana, subject, 'The printer on the second floor jams on tray 2.');
  const solved = await post(lucas, n, { body: 'Replaced the roller.', kind: 'public_reply', status: 'solved', resolution: 'fixed' });
  assert.equal(solved.status, 201, solved.text);
  const close = await lucas.patch(`/api/v1/tickets/${n}`, { status: 'closed' });
  assert.equal(close.status, 200, close.text);
  return n;
}

before(async () => {
  server = await startServer();
  server.addUser('admin', 'boss@desk.test', 'admin-pass-1', ['--name', 'Boss']);
  server.addUser('agent', 'lucas@desk.test', 'agent-pass-1', ['--name', 'Lucas']);
  server.addUser('customer', 'ana@acme.test', 'customer-pass-1', ['--organization', 'Acme', '--name', 'Ana']);
  server.addUser('customer', 'zeca@globex.test', 'customer-pass-1', ['--organization', 'Globex', '--name', 'Zeca']);
  boss = tokenClient(server.url, server.token('boss@desk.test'));
  lucas = tokenClient(server.url, server.token('lucas@desk.test'));
  ana = await sessionClient(server.url, 'ana@acme.test', 'customer-pass-1');
  zeca = tokenClient(server.url, server.token('zeca@globex.test'));
});

after(async () => { await server?.stop(); });

test("a customer's reply reopens a ticket waiting on them, and a solved one", async () => {
  const n = await open(ana, 'VPN drops every hour', 'Since Monday.');
  assert.equal((await post(lucas, n, { body: 'Which client version?', kind: 'public_reply', status: 'pending_customer' })).status, 201);
  assert.equal((await get(lucas, n)).status, 'pending_customer');
  const answer = await post(ana, n, { body: 'Version 5.2.' });
  assert.equal(answer.status, 201, answer.text);
  assert.equal(answer.json.ticket.status, 'open');
  assert.equal(answer.json.follow_up_of, null, 'the message is on the ticket posted to');
  assert.equal(answer.json.message.ticket_number, n);

  assert.equal((await post(lucas, n, { body: 'Update to 5.3.', kind: 'public_reply', status: 'solved', resolution: 'fixed' })).status, 201);
  const again = await post(ana, n, { body: 'Still drops after the update.' });
  assert.equal(again.status, 201, again.text);
  assert.equal(again.json.ticket.status, 'open', 'a solved ticket opens again');
  assert.equal(again.json.ticket.number, n);
});

test("a follow-up keeps the closed ticket's category, tags and custom fields, and is triaged anew", async () => {
  const n = await open(ana, 'Invoice 2026-11 shows the old address', 'The invoice PDF still has our old street.');
  const triaged = await lucas.patch(`/api/v1/tickets/${n}`,
    { category: 'billing', tags: ['invoice', 'address'], custom_fields: { invoice_id: 'NF-2026-11-0042', seats: 12 }, priority: 'P2' });
  assert.equal(triaged.status, 200, triaged.text);
  assert.equal((await post(lucas, n, { body: 'Fixed and re-issued.', kind: 'public_reply', status: 'solved', resolution: 'fixed' })).status, 201);
  assert.equal((await lucas.patch(`/api/v1/tickets/${n}`, { status: 'closed' })).status, 200);

  const r = await post(ana, n, { body: 'The re-issued invoice has the old address too.' });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.follow_up_of, n);
  const f = await get(lucas, r.json.ticket.number);
  assert.equal(f.category, 'billing');
  assert.deepEqual([...f.tags].sort(), ['address', 'invoice']);
  assert.deepEqual(f.custom_fields, { invoice_id: 'NF-2026-11-0042', seats: 12 });
  assert.notEqual(f.priority, 'P2', 'the priority is set at triage, not inherited');
});

test("a customer's message on a closed ticket opens a follow-up, linked both ways, with its file, clocks and acknowledgement", async () => {
  const n = await closed('Re: Printer jams on tray 2');
  const before = (await messages(ana, n)).length;
  const form = new FormData();
  form.append('body', 'It jams again since this morning.');
  form.append('attachments', new Blob(['jam at 09:12\n'], { type: 'text/plain' }), 'jam-log.txt');
  const r = await post(ana, n, form);
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.follow_up_of, n, 'the answer says the message went to a new ticket');
  const f = r.json.ticket.number;
  assert.notEqual(f, n);
  assert.equal(r.json.message.ticket_number, f);
  assert.equal(r.json.message.kind, 'customer_message');
  assert.deepEqual(r.json.message.attachments.map((a) => a.filename), ['jam-log.txt']);
  assert.equal(r.json.ticket.subject, 'Printer jams on tray 2', "the closed ticket's subject, without the reply prefix");
  assert.equal(r.json.ticket.status, 'new');

  const follow = await get(lucas, f);
  const original = await get(lucas, n);
  assert.equal(follow.requester.email, 'ana@acme.test');
  assert.equal(follow.organization.name, 'Acme');
  assert.equal(original.organization.name, 'Acme');
  assert.ok(follow.clocks.some((c) => c.target === 'first_response' && c.state === 'running'), JSON.stringify(follow.clocks));
  assert.deepEqual(follow.links.map((l) => [l.ticket, l.kind, l.direction]), [[n, 'follow_up', 'to']]);
  assert.deepEqual(original.links.map((l) => [l.ticket, l.kind, l.direction]), [[f, 'follow_up', 'from']]);
  assert.deepEqual((await get(ana, n)).links.map((l) => l.ticket), [f], 'the customer sees the link too');
  assert.equal(original.status, 'closed', 'the closed ticket stays closed');
  assert.equal((await messages(ana, n)).length, before, 'and takes no message');
  const first = await messages(ana, f);
  assert.deepEqual(first.map((m) => m.body), ['It jams again since this morning.']);

  const outbox = (await boss.get('/api/v1/outbox?limit=200')).json.items;
  assert.ok(outbox.some((m) => m.ticket_number === f && m.event === 'mail.ticket_opened' && m.recipient === 'ana@acme.test'),
    'acknowledged like any new ticket');
  const events = (await lucas.get(`/api/v1/tickets/${f}/events?limit=200`)).json.items;
  assert.ok(events.some((e) => e.kind === 'ticket.linked'), JSON.stringify(events.map((e) => e.kind)));
});

test('an agent on a closed ticket gets 409; a customer of another organization gets 404', async () => {
  const n = await closed('Badge reader offline');
  const byAgent = await post(lucas, n, { body: 'One more thing.', kind: 'public_reply' });
  assert.equal(byAgent.status, 409, byAgent.text);
  assert.match(byAgent.json.detail, new RegExp(`Ticket #${n} is closed.*open a new ticket`));
  const note = await post(lucas, n, { body: 'For the record.', kind: 'internal_note' });
  assert.equal(note.status, 409, note.text);
  const stranger = await post(zeca, n, { body: 'Me too.' });
  assert.equal(stranger.status, 404, stranger.text);
  assert.deepEqual((await get(lucas, n)).links, [], 'no follow-up was opened');
});

test('a closed ticket merged into an active one takes the reply there, not into a follow-up', async () => {
  const merged = await open(ana, 'Laptop battery', 'Drains fast.');
  const survivor = await open(ana, 'Laptop battery drains', 'In two hours.');
  const m = await lucas.post(`/api/v1/tickets/${merged}/merge`, { into: survivor });
  assert.equal(m.status, 200, m.text);
  const r = await post(ana, merged, { body: 'Now it does not charge at all.' });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.follow_up_of, null);
  assert.equal(r.json.message.ticket_number, survivor);
  assert.equal(r.json.ticket.number, survivor);
});
