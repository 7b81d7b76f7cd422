// One case = one ticket through the API: an agent merges a ticket into another of the same
// customer (messages, attachments, history, notices, the customer's mail in their language,
// clocks and search follow), undoes it, splits chosen messages into a new ticket, and changes
// many tickets at once with a report per ticket. Agents only; organizations stay apart.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, tokenClient, sessionClient } from '../lib/server.mjs';
import { documentedCall } from '../lib/openapi.mjs';

let server, boss, lucas, ana, bia, zeca;

const call = documentedCall;
const merge = (who, n, body) => call(who, 'POST', `/api/v1/tickets/${n}/merge`, '/api/v1/tickets/{number}/merge', body);
const unmerge = (who, n) => call(who, 'POST', `/api/v1/tickets/${n}/unmerge`, '/api/v1/tickets/{number}/unmerge');
const split = (who, n, body) => call(who, 'POST', `/api/v1/tickets/${n}/split`, '/api/v1/tickets/{number}/split', body);
const bulk = (who, body) => call(who, 'POST', '/api/v1/tickets/bulk', '/api/v1/tickets/bulk', body);
const get = (who, n) => call(who, 'GET', `/api/v1/tickets/${n}`, '/api/v1/tickets/{number}');
const messages = async (who, n) => (await call(who, 'GET', `/api/v1/tickets/${n}/messages?limit=200`, '/api/v1/tickets/{number}/messages')).json.items;
const events = async (n) => (await call(lucas, 'GET', `/api/v1/tickets/${n}/events?limit=200`, '/api/v1/tickets/{number}/events')).json.items;
const search = async (q) => (await lucas.get(`/api/v1/search/tickets?q=${encodeURIComponent(q)}`)).json.items.map((i) => i.ticket.number);

async function open(who, subject, description) {
  const r = await who.post('/api/v1/tickets', { subject, description });
  assert.equal(r.status, 201, r.text);
  return r.json.number;
}

async function reply(who, n, body, extra = {}) {
  const r = await who.post(`/api/v1/tickets/${n}/messages`, { body, ...extra });
  assert.equal(r.status, 201, r.text);
  return r.json.message.id;
}

before(async () => {
  server = await startServer();
  server.addUser('admin', 'boss@desk.test', 'admin-pass-1', ['--name', 'Boss']);
  server.addUser('agent', 'lucas@desk.test', 'agent-pass-1', ['--name', 'Lucas']);
  server.addUser('customer', 'ana@acme.test', 'customer-pass-1', ['--organization', 'Acme', '--name', 'Ana']);
  server.addUser('customer', 'bia@acme.test', 'customer-pass-1', ['--organization', 'Acme', '--name', 'Bia']);
  server.addUser('customer', 'zeca@globex.test', 'customer-pass-1', ['--organization', 'Globex', '--name', 'Zeca']);
  boss = tokenClient(server.url, server.token('boss@desk.test'));
  lucas = tokenClient(server.url, server.token('lucas@desk.test'));
  ana = await sessionClient(server.url, 'ana@acme.test', 'customer-pass-1');
  bia = tokenClient(server.url, server.token('bia@acme.test'));
  zeca = tokenClient(server.url, server.token('zeca@globex.test'));
  const me = (await ana.get('/api/v1/session')).json.user;
  const r = await boss.patch(`/api/v1/contacts/${me.id}`, { language: 'pt-BR' });
  assert.equal(r.status, 200, r.text);
});

after(async () => { await server?.stop(); });

test('a merge moves the messages to the survivor, closes the merged ticket and tells its customer in their language', async () => {
  const a = await open(bia, 'Export fails with timeout', 'The CSV export times out after a minute.');
  const b = await open(ana, 'Relatório não exporta', 'Exportação de relatório trava: zebrafish-kiwi.');
  await reply(lucas, b, 'Looking into it.', { status: 'pending_customer' });
  await reply(ana, b, 'Ainda trava hoje.');
  const before = (await messages(lucas, b)).map((m) => m.id);
  assert.deepEqual(await search('zebrafish'), [b]);

  const r = await merge(lucas, b, { into: a });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.merged.number, b);
  assert.equal(r.json.merged.status, 'closed');
  assert.equal(r.json.merged.merged_into, a);
  assert.deepEqual(r.json.survivor.merged_from, [b]);
  assert.equal(r.json.messages_moved, before.length);
  assert.ok(r.json.merged.links.some((l) => l.ticket === a && l.kind === 'merged' && l.direction === 'to'));
  assert.ok(r.json.survivor.links.some((l) => l.ticket === b && l.kind === 'merged' && l.direction === 'from'));

  const onA = await messages(lucas, a);
  for (const id of before) assert.ok(onA.some((m) => m.id === id), `message ${id} moved to #${a}`);
  const ids = onA.map((m) => m.id);
  assert.deepEqual(ids, [...ids].sort((x, y) => x - y), 'in order');
  assert.ok(onA.some((m) => m.kind === 'system_notice' && m.body.includes(`#${b}`)), 'the survivor says where its messages came from');
  const onB = await messages(ana, b);
  assert.equal(onB.length, 1, 'only the notice stays');
  assert.equal(onB[0].kind, 'system_notice');
  assert.match(onB[0].body, new RegExp(`unificada com #${a}`), "Ana reads it in Portuguese");

  // Ana (same organization) sees both; her portal shows the merged one closed with its link.
  const seen = await get(ana, b);
  assert.equal(seen.json.status, 'closed');
  assert.equal(seen.json.merged_into, a);

  assert.deepEqual(await search('zebrafish'), [a], 'search finds the moved text under the survivor');

  const kinds = (await events(b)).map((e) => e.kind);
  assert.ok(kinds.includes('ticket.merged'), kinds.join());
  assert.ok((await events(a)).some((e) => e.kind === 'ticket.merged'));

  const mail = (await boss.get(`/api/v1/outbox?ticket_number=${b}`)).json.items.filter((n) => n.event === 'mail.ticket_merged');
  assert.equal(mail.length, 1);
  assert.equal(mail[0].recipient, 'ana@acme.test');
  assert.equal(JSON.parse(typeof mail[0].payload === 'string' ? mail[0].payload : JSON.stringify(mail[0].payload)).into, a);

  // Ana answers the merged ticket's mail: her message lands on the survivor, not a new ticket.
  const raw = ['From: Ana <ana@acme.test>', 'To: suporte@desk.test', `Subject: Re: [#${b}] Relatório não exporta`,
    'Message-ID: <merge-reply-1@acme.test>', 'Date: Mon, 30 Nov 2026 10:00:00 -0300', 'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8', '', 'Mais um detalhe: acontece só no Chrome.', ''].join('\r\n');
  const mailed = await boss.post('/api/v1/mail/inbound', raw, { 'content-type': 'message/rfc822' });
  assert.equal(mailed.status, 200, mailed.text);
  assert.equal(mailed.json.outcome, 'appended', mailed.text);
  assert.equal(mailed.json.ticket, a);
  assert.ok((await messages(lucas, a)).some((m) => m.body.includes('só no Chrome')));

  // The survivor's clocks are computed with the customer's newest message in it.
  const survivor = await get(lucas, a);
  assert.ok(survivor.json.clocks.length > 0);

  // Merging again, into itself, into the merged one: clear refusals.
  const twice = await merge(lucas, b, { into: a });
  assert.equal(twice.status, 409, twice.text);
  assert.match(twice.json.detail, /already/);
  const other = await open(bia, 'Another one', 'Something else.');
  const intoMerged = await merge(lucas, other, { into: b });
  assert.equal(intoMerged.status, 400, intoMerged.text);
  assert.equal(intoMerged.json.errors[0].field, 'into');
  const self = await merge(lucas, other, { into: other });
  assert.equal(self.status, 400, self.text);
  assert.equal(self.json.errors[0].field, 'into');
  const missing = await merge(lucas, other, {});
  assert.equal(missing.status, 400, missing.text);
  assert.equal(missing.json.errors[0].field, 'into');
  const nowhere = await merge(lucas, other, { into: 99999 });
  assert.equal(nowhere.status, 400, nowhere.text);
  assert.equal(nowhere.json.errors[0].field, 'into');
});

test('undoing a merge gives the messages back and restores the status; both histories say so', async () => {
  const a = await open(bia, 'Login loop', 'The login page reloads.');
  const b = await open(ana, 'Login em loop', 'Login volta para a mesma página: quokka-lantern.');
  await reply(lucas, b, 'Could you send a screenshot?', { status: 'pending_customer' });
  const before = (await messages(lucas, b)).map((m) => m.id);
  assert.equal((await merge(lucas, b, { into: a })).status, 200);

  const r = await unmerge(lucas, b);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.merged.status, 'pending_customer');
  assert.equal(r.json.merged.merged_into, null);
  assert.equal(r.json.merged.closed_at, null);
  assert.deepEqual(r.json.survivor.merged_from, []);
  assert.ok(!r.json.merged.links.some((l) => l.kind === 'merged'));
  const back = (await messages(lucas, b)).map((m) => m.id);
  for (const id of before) assert.ok(back.includes(id), `message ${id} is back on #${b}`);
  assert.ok(!(await messages(lucas, a)).some((m) => before.includes(m.id)));
  assert.deepEqual(await search('quokka'), [b]);
  assert.ok((await events(b)).some((e) => e.kind === 'ticket.unmerged'));
  assert.ok((await events(a)).some((e) => e.kind === 'ticket.unmerged'));

  const again = await unmerge(lucas, b);
  assert.equal(again.status, 409, again.text);
  // It can be merged again once undone.
  assert.equal((await merge(lucas, b, { into: a })).status, 200);
});

test('tickets of other organizations are not merged, and customers may not merge, undo, split or bulk', async () => {
  const acme = await open(ana, 'Acme question', 'A question.');
  const globex = await open(zeca, 'Globex question', 'A question.');
  const r = await merge(lucas, globex, { into: acme });
  assert.equal(r.status, 400, r.text);
  assert.equal(r.json.errors[0].field, 'into');
  assert.match(r.json.detail, /different organizations/);
  assert.equal((await get(lucas, globex)).json.status, 'new', 'nothing changed');

  for (const [path, body] of [[`/api/v1/tickets/${acme}/merge`, { into: acme }], [`/api/v1/tickets/${acme}/unmerge`, {}],
    [`/api/v1/tickets/${acme}/split`, { message_ids: [1] }], ['/api/v1/tickets/bulk', { tickets: [acme], status: 'open' }]]) {
    const refused = await zeca.post(path, body);
    assert.equal(refused.status, 403, `${path}: ${refused.text}`);
  }
  // An agent cannot reach a ticket that does not exist.
  const none = await merge(lucas, 99999, { into: acme });
  assert.equal(none.status, 404, none.text);
});

test('a split moves chosen messages to a new ticket of the same customer, linked both ways', async () => {
  const n = await open(ana, 'Two problems', 'First: invoices are wrong.');
  const second = await reply(ana, n, 'Also: the mobile app crashes on start (platypus-orbit).');
  const answer = await reply(lucas, n, 'About the crash: which phone do you use?');
  const r = await split(lucas, n, { message_ids: [second, answer], subject: 'Mobile app crashes on start' });
  assert.equal(r.status, 201, r.text);
  const made = r.json.ticket;
  assert.notEqual(made.number, n);
  assert.equal(made.subject, 'Mobile app crashes on start');
  assert.equal(made.status, 'new');
  assert.equal(made.requester.email, 'ana@acme.test');
  assert.equal(made.organization.name, 'Acme');
  assert.ok(made.clocks.length > 0, 'the new ticket has its clocks');
  assert.ok(made.links.some((l) => l.ticket === n && l.kind === 'split' && l.direction === 'to'));
  assert.ok(r.json.original.links.some((l) => l.ticket === made.number && l.kind === 'split' && l.direction === 'from'));

  const moved = (await messages(lucas, made.number)).map((m) => m.id);
  assert.ok(moved.includes(second) && moved.includes(answer));
  const left = (await messages(lucas, n)).map((m) => m.id);
  assert.ok(!left.includes(second) && !left.includes(answer));
  assert.deepEqual(await search('platypus'), [made.number]);
  assert.ok((await events(n)).some((e) => e.kind === 'ticket.split'));
  assert.ok((await events(made.number)).some((e) => e.kind === 'ticket.split'));

  const derived = await split(lucas, made.number, { message_ids: [answer] });
  assert.equal(derived.status, 201, derived.text);
  assert.equal(derived.json.ticket.subject, 'Mobile app crashes on start', 'the subject is the original one by default');

  for (const [body, pattern] of [[{ message_ids: [] }, /at least one/], [{ message_ids: left }, /Leave at least one/],
    [{ message_ids: [second] }, /not on ticket/], [{}, /message_ids/]]) {
    const bad = await split(lucas, n, body);
    assert.equal(bad.status, 400, `${JSON.stringify(body)}: ${bad.text}`);
    assert.equal(bad.json.errors[0].field, 'message_ids');
    assert.match(bad.json.detail, pattern);
  }
});

test('a bulk change goes ticket by ticket and reports each outcome', async () => {
  const one = await open(ana, 'Bulk one', 'x');
  const two = await open(bia, 'Bulk two', 'y');
  const closed = await open(ana, 'Bulk closed', 'z');
  assert.equal((await lucas.patch(`/api/v1/tickets/${closed}`, { status: 'solved' })).status, 200);
  assert.equal((await lucas.patch(`/api/v1/tickets/${closed}`, { status: 'closed' })).status, 200);

  const r = await bulk(lucas, { tickets: [one, two, closed, 99999], status: 'on_hold', priority: 'P2', add_tags: ['Billing'] });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.succeeded, 2);
  assert.equal(r.json.failed, 2);
  const by = Object.fromEntries(r.json.results.map((x) => [x.ticket, x]));
  assert.equal(by[one].ok, true);
  assert.equal(by[closed].ok, false);
  assert.equal(by[closed].problem.status, 409);
  assert.equal(by[99999].problem.status, 404);
  for (const n of [one, two]) {
    const t = (await get(lucas, n)).json;
    assert.equal(t.status, 'on_hold');
    assert.equal(t.priority, 'P2');
    assert.deepEqual(t.tags, ['billing']);
    assert.ok((await events(n)).some((e) => e.kind === 'ticket.updated'), 'recorded like a single change');
  }
  assert.equal((await get(lucas, closed)).json.priority, 'P3', 'the refused ticket is untouched');

  const assigned = await bulk(lucas, { tickets: [one, two], assignee_id: null, remove_tags: ['billing'] });
  assert.equal(assigned.json.succeeded, 2, assigned.text);
  assert.deepEqual((await get(lucas, one)).json.tags, []);

  const merged = await bulk(lucas, { tickets: [one, two], merge_into: one });
  assert.equal(merged.status, 200, merged.text);
  assert.deepEqual(merged.json.results.map((x) => [x.ticket, x.ok, x.survivor ?? false]), [[one, true, true], [two, true, false]]);
  assert.equal((await get(lucas, two)).json.merged_into, one);

  const cases = [
    [{ tickets: Array.from({ length: 501 }, (_, i) => i + 1), status: 'open' }, 'tickets', /at most 500/],
    [{ tickets: [one, one], status: 'open' }, 'tickets', /twice/],
    [{ tickets: [] , status: 'open' }, 'tickets', /at least one/],
    [{ tickets: [one] }, 'tickets', /Say what to change/],
    [{ tickets: [one], status: 'done' }, 'status', /"done"/],
    [{ tickets: [one], status: 'open', merge_into: two }, 'merge_into', /of its own/],
  ];
  for (const [body, field, pattern] of cases) {
    const bad = await bulk(lucas, body);
    assert.equal(bad.status, 400, `${JSON.stringify(body).slice(0, 80)}: ${bad.text}`);
    assert.equal(bad.json.errors[0].field, field, bad.text);
    assert.match(bad.json.detail, pattern);
  }
});
