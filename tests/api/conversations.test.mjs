// Live conversations (issue 13), end to end on seed 004 ([chat] calendar = live_chat: 09-12 and
// 13-17 in São Paulo): started by the widget's calls, handed to people in hours only, queued
// with their wait, accepted, answered, transferred, read, converted into one ticket (never a
// second), resent messages stored once, the bot first once a flow is applied. Every answer is
// checked against the OpenAPI document.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, tokenClient, sessionClient, repoRoot, chamadoBin } from '../lib/server.mjs';
import { assertDocumented } from '../lib/openapi.mjs';

const policyFile = join(repoRoot, 'examples', 'policies', '004_agency_management.toml');
const flowFile = join(repoRoot, 'examples', 'bots', '004_agency_management.toml');
const MONDAY_10 = '2026-11-30T10:00:00-03:00';    // live chat open
const MONDAY_1230 = '2026-11-30T12:30:00-03:00';  // lunch: back at 13:00 (16:00 UTC)

let server, admin, lia, max, rosa, tito, data, groupId;

const run = (...args) => execFileSync(chamadoBin, args, { encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });

// Calls as the widget (anonymous, with the conversation's token) or as someone's client.
async function call(method, path, template, body, { token, who } = {}) {
  const extra = token ? { 'x-conversation-token': token } : {};
  let r;
  if (who) r = await who.request(method, path, body, extra);
  else {
    const res = await fetch(server.url + path, {
      method, headers: { 'content-type': 'application/json', ...extra }, body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    r = { status: res.status, headers: res.headers, text, json: text ? JSON.parse(text) : null };
  }
  assertDocumented(method, template, r);
  return r;
}
const T = '/api/v1/conversations/{id}';
const start = (body, opts) => call('POST', '/api/v1/conversations', '/api/v1/conversations', body, opts);
const get = (c, after, opts) => call('GET', `/api/v1/conversations/${c.id}${after === undefined ? '' : `?after=${after}`}`, T, undefined, opts);
const say = (c, body, opts) => call('POST', `/api/v1/conversations/${c.id}/messages`, `${T}/messages`, body, opts);
const act = (c, what, body, opts) => call('POST', `/api/v1/conversations/${c.id}/${what}`, `${T}/${what}`, body, opts);
const list = (query, who = lia) => call('GET', `/api/v1/conversations${query}`, '/api/v1/conversations', undefined, { who });
const setClock = (set) => admin.post('/api/v1/test/clock', { set });
const advance = (by) => admin.post('/api/v1/test/clock', { advance: by });

before(async () => {
  data = mkdtempSync(join(tmpdir(), 'chamado-chat-'));
  run('policy', 'apply', policyFile, '--data', data);
  server = await startServer({ data, extraArgs: ['--test-clock'] });
  server.addUser('admin', 'ana@desk.test', 'admin-pass-1');
  server.addUser('agent', 'lia@desk.test', 'agent-pass-1');
  server.addUser('agent', 'max@desk.test', 'agent-pass-2');
  server.addUser('customer', 'rosa@agencia.test', 'customer-pass-1', ['--organization', 'Agência Rosa']);
  server.addUser('customer', 'tito@outra.test', 'customer-pass-2', ['--organization', 'Outra Agência']);
  admin = tokenClient(server.url, server.token('ana@desk.test'));
  lia = tokenClient(server.url, server.token('lia@desk.test'));
  max = tokenClient(server.url, server.token('max@desk.test'));
  const orgs = (await admin.get('/api/v1/organizations?q=Rosa')).json.items;
  assert.equal((await admin.patch(`/api/v1/organizations/${orgs[0].id}`, { plan: 'standard' })).status, 200);
  rosa = await sessionClient(server.url, 'rosa@agencia.test', 'customer-pass-1');
  assert.equal((await admin.patch(`/api/v1/contacts/${rosa.user.id}`, { time_zone: 'America/Sao_Paulo', language: 'pt-BR' })).status, 200);
  tito = await sessionClient(server.url, 'tito@outra.test', 'customer-pass-2');
  groupId = (await admin.post('/api/v1/groups', { name: 'Especialistas' })).json.id;
  await setClock(MONDAY_10);
});

after(async () => { await server?.stop(); });

test('in hours a customer with chat goes to people: queued with the wait, accepted, answered, numbered', async () => {
  const started = await start({}, { who: rosa });
  assert.equal(started.status, 201, started.text);
  const c = started.json.conversation;
  assert.match(c.chat_id, /^CH-[2-9A-HJKMNP-Z]{8}$/);
  assert.equal(c.status, 'waiting');
  assert.equal(c.language, 'pt-BR');
  assert.equal(c.channel, 'chat');
  assert.deepEqual(started.json.messages.map((m) => [m.seq, m.author, m.notice]), [[1, 'system', 'waiting']]);
  assert.match(started.json.messages[0].text, /fila/);

  const first = await say(c, { text: 'O relatório de horas não abre', client_id: 'w-1' }, { who: rosa });
  assert.equal(first.status, 201, first.text);
  assert.equal(first.json.messages[0].seq, 2);
  assert.equal(first.json.conversation.subject, 'O relatório de horas não abre');

  await advance('5m');
  const queue = await list('?status=waiting');
  assert.equal(queue.status, 200);
  const row = queue.json.items.find((i) => i.id === c.id);
  assert.equal(row.wait_seconds, 300);
  assert.equal(row.contact_email, 'rosa@agencia.test');
  assert.equal(row.organization_name, 'Agência Rosa');
  assert.equal(queue.json.max_per_agent, 3);
  assert.equal((await list('', rosa)).status, 403);

  const accepted = await act(c, 'accept', undefined, { who: lia });
  assert.equal(accepted.status, 200, accepted.text);
  assert.equal(accepted.json.conversation.status, 'active');
  assert.equal(accepted.json.messages[0].notice, 'accepted');
  assert.equal((await act(c, 'accept', undefined, { who: max })).status, 409);  // taken
  assert.equal((await say(c, { text: 'Posso ajudar?' }, { who: max })).status, 409);

  const reply = await say(c, { text: 'Qual navegador você usa?', client_id: 'a-1' }, { who: lia });
  assert.equal(reply.status, 201);
  assert.equal(reply.json.conversation.status, 'waiting_on_customer');

  // A resend after a lost answer: the same message, stored once.
  const again = await say(c, { text: 'O relatório de horas não abre', client_id: 'w-1' }, { who: rosa });
  assert.equal(again.status, 200);
  assert.equal(again.json.duplicate, true);
  assert.equal(again.json.messages[0].seq, 2);

  await advance('1m');
  const secret = await say(c, { text: 'Chrome. Minha senha é password=Hunter2Hunter2', client_id: 'w-2' }, { who: rosa });
  assert.equal(secret.json.messages[0].masked, true);
  assert.doesNotMatch(secret.json.messages[0].text, /Hunter2Hunter2/);
  assert.equal(secret.json.conversation.status, 'active');

  // Resume after seq 3: what came later, in order, nothing twice.
  const later = await get(c, 3, { who: rosa });
  assert.equal(later.status, 200);
  assert.deepEqual(later.json.messages.map((m) => [m.seq, m.author]), [[4, 'agent'], [5, 'customer']]);
  assert.equal(later.json.clocks, undefined);  // the customer sees no clocks
  const staff = await get(c, undefined, { who: lia });
  assert.equal(staff.json.messages.length, 5);
  assert.deepEqual(staff.json.clocks.map((k) => [k.target, k.state]), [['first_response', 'met'], ['next_response', 'running']]);

  const read = await act(c, 'read', { seq: 5 }, { who: lia });
  assert.equal(read.json.agent_read_seq, 5);
  assert.equal((await act(c, 'read', { seq: 99 }, { who: rosa })).status, 400);

  // Nobody else holds it: 404 for another customer and for a wrong token.
  assert.equal((await get(c, 0, { who: tito })).status, 404);
  assert.equal((await get(c, 0, { token: 'not-the-token' })).status, 404);

  const moved = await act(c, 'transfer', { group_id: groupId }, { who: lia });
  assert.equal(moved.status, 200, moved.text);
  assert.equal(moved.json.conversation.status, 'waiting');
  assert.equal(moved.json.conversation.group_id, groupId);
  assert.equal((await act(c, 'transfer', {}, { who: lia })).status, 400);
  const taken = await act(c, 'transfer', { agent_id: (await max.get('/api/v1/session')).json.user.id }, { who: lia });
  assert.equal(taken.json.conversation.status, 'active');

  // One case = one ticket: converted once, the second call answers with the same ticket.
  const converted = await act(c, 'convert', undefined, { who: max });
  assert.equal(converted.status, 201, converted.text);
  assert.equal(converted.json.created, true);
  assert.equal(converted.json.conversation.status, 'closed');
  assert.equal(converted.json.conversation.close_reason, 'converted');
  const number = converted.json.ticket_number;
  const twice = await act(c, 'convert', undefined, { who: max });
  assert.equal(twice.status, 200);
  assert.equal(twice.json.ticket_number, number);
  const ticket = (await lia.get(`/api/v1/tickets/${number}`)).json;
  assert.equal(ticket.channel, 'chat');
  assert.equal(ticket.requester.email, 'rosa@agencia.test');
  assert.deepEqual(ticket.tags, ['chat']);
  const transcript = (await lia.get(`/api/v1/tickets/${number}/messages`)).json.items[0].body;
  assert.match(transcript, new RegExp(`^Chat ${c.chat_id}\n`));
  assert.match(transcript, /Cliente: O relatório de horas não abre\nlia: Qual navegador você usa\?/);
  assert.equal((await say(c, { text: 'oi' }, { who: rosa })).status, 409);  // closed
});

test('out of hours the widget is told when people are back and the customer may open a ticket', async () => {
  await setClock(MONDAY_1230);
  const started = await start({ language: 'en' }, { who: rosa });
  const c = started.json.conversation;
  assert.equal(c.status, 'bot');
  const notice = started.json.messages[0];
  assert.equal(notice.notice, 'closed_hours');
  assert.equal(notice.back_at, '2026-11-30T16:00:00Z');
  assert.equal(notice.offer_ticket, true);
  assert.match(notice.text, /back on 2026-11-30 13:00 \(America\/Sao_Paulo\)/);
  assert.equal((await list('?status=waiting')).json.items.some((i) => i.id === c.id), false);
  await say(c, { text: 'The invoice export is empty' }, { who: rosa });
  const converted = await act(c, 'convert', undefined, { who: rosa });
  assert.equal(converted.status, 201, converted.text);
  const ticket = (await rosa.get(`/api/v1/tickets/${converted.json.ticket_number}`)).json;
  assert.equal(ticket.subject, 'The invoice export is empty');
  await setClock(MONDAY_10);
});

test('without chat in the plan, and anonymous, nobody is offered; an anonymous ticket needs an address', async () => {
  const plain = await start({}, { who: tito });
  assert.equal(plain.json.conversation.status, 'bot');
  assert.equal(plain.json.messages[0].notice, 'no_chat');
  const visitor = await start({ language: 'es' });
  assert.equal(visitor.status, 201);
  const { conversation: v, token } = visitor.json;
  assert.match(token, /^[A-Za-z0-9_-]{20,}$/);
  assert.equal(visitor.json.messages[0].notice, 'no_chat');
  assert.match(visitor.json.messages[0].text, /ticket/);
  await say(v, { text: 'Precio del plan anual' }, { token });
  // The transcript by mail needs an address too.
  const noAddress = await act(v, 'transcript', undefined, { token });
  assert.equal(noAddress.status, 400, noAddress.text);
  assert.equal(noAddress.json.errors[0].field, 'email');
  const refused = await act(v, 'convert', undefined, { token });
  assert.equal(refused.status, 400);
  assert.equal(refused.json.errors[0].field, 'email');
  assert.equal((await call('PUT', `/api/v1/conversations/${v.id}/email`, `${T}/email`, { email: 'no' }, { token })).status, 400);
  const email = await call('PUT', `/api/v1/conversations/${v.id}/email`, `${T}/email`, { email: 'Cliente@Ejemplo.es' }, { token });
  assert.equal(email.status, 200, email.text);
  assert.equal(email.json.conversation.email, 'cliente@ejemplo.es');
  // "Email me the transcript": one mail to that address, in the conversation's language.
  const mailed = await act(v, 'transcript', undefined, { token });
  assert.equal(mailed.status, 202, mailed.text);
  assert.deepEqual(mailed.json, { to: 'cliente@ejemplo.es' });
  const queued = (await admin.get('/api/v1/outbox?limit=200')).json.items.filter((n) => n.event === 'mail.conversation_transcript');
  assert.equal(queued.length, 1);
  assert.equal(queued[0].recipient, 'cliente@ejemplo.es');
  // Nobody else's conversation: without its token the visitor's conversation is not found.
  assert.equal((await act(v, 'transcript', undefined, {})).status, 404);
  const converted = await act(v, 'convert', undefined, { token });
  assert.equal(converted.status, 201, converted.text);
  const ticket = (await lia.get(`/api/v1/tickets/${converted.json.ticket_number}`)).json;
  assert.equal(ticket.requester.email, 'cliente@ejemplo.es');
});

test('with the flow applied the bot talks first, hands off in hours, and an agent reply stops it', async () => {
  run('bot', 'apply', flowFile, '--data', data);
  const s = (await start({}, { who: rosa })).json;
  const c = s.conversation;
  assert.equal(c.status, 'bot');
  assert.equal(s.messages[0].author, 'bot');
  assert.ok(s.messages[0].options.length >= 2);
  await say(c, { option: '1' }, { who: rosa });
  await say(c, { text: 'Não' }, { who: rosa });
  await say(c, { text: 'xyzzyqwv' }, { who: rosa });
  const handed = await say(c, { option: '1' }, { who: rosa });
  assert.equal(handed.json.conversation.status, 'waiting', handed.text);
  assert.deepEqual(handed.json.messages.map((m) => m.author), ['customer', 'bot']);
  assert.equal(handed.json.messages[0].text, 'Falar com uma pessoa');

  // Another conversation still with the bot: an agent's reply takes it and the bot says no more.
  const other = (await start({}, { who: rosa })).json.conversation;
  const joined = await say(other, { text: 'Oi Rosa, vi que você está aqui. Como posso ajudar?' }, { who: max });
  assert.equal(joined.status, 201, joined.text);
  assert.equal(joined.json.conversation.status, 'waiting_on_customer');
  const answer = await say(other, { text: 'Preciso de ajuda com notas fiscais' }, { who: rosa });
  assert.deepEqual(answer.json.messages.map((m) => m.author), ['customer']);
});

test("a host site's signed identity starts the customer's conversation; a forged or expired one is refused", async () => {
  const org = (await admin.get('/api/v1/organizations?q=Rosa')).json.items[0];
  assert.equal((await call('POST', `/api/v1/organizations/${org.id}/chat-secret`, '/api/v1/organizations/{id}/chat-secret', undefined, { who: lia })).status, 403);
  const rotated = await call('POST', `/api/v1/organizations/${org.id}/chat-secret`, '/api/v1/organizations/{id}/chat-secret', undefined, { who: admin });
  assert.equal(rotated.status, 201, rotated.text);
  const sign = (secret, data) => `${data}:${createHmac('sha256', secret).update(data).digest('base64url')}`;
  const later = Math.floor(Date.parse('2026-12-01T00:00:00Z') / 1000);
  const good = await start({ identity: sign(rotated.json.secret, `${org.id}:${later}:rosa@agencia.test`) });
  assert.equal(good.status, 201, good.text);
  assert.equal(good.json.conversation.contact_id, rosa.user.id);
  assert.equal(good.json.conversation.status, 'bot');  // the flow applied above talks first
  for (const identity of [
    sign('another-secret', `${org.id}:${later}:rosa@agencia.test`),
    sign(rotated.json.secret, `${org.id}:1700000000:rosa@agencia.test`),   // expired
    sign(rotated.json.secret, `${org.id}:${later}:tito@outra.test`),       // not a contact of that organization
    'rosa@agencia.test',
  ]) {
    const r = await start({ identity });
    assert.equal(r.status, 400, identity);
    assert.equal(r.json.errors[0].field, 'identity');
  }
  // A new secret: identities signed with the old one stop working.
  const again = await call('POST', `/api/v1/organizations/${org.id}/chat-secret`, '/api/v1/organizations/{id}/chat-secret', undefined, { who: admin });
  assert.notEqual(again.json.secret, rotated.json.secret);
  assert.equal((await start({ identity: sign(rotated.json.secret, `${org.id}:${later}:rosa@agencia.test`) })).status, 400);
  // No such organization: nothing is rotated and no secret is handed out.
  const missing = await call('POST', '/api/v1/organizations/999999/chat-secret', '/api/v1/organizations/{id}/chat-secret', undefined, { who: admin });
  assert.equal(missing.status, 404, missing.text);
  // The operator's way: `chamado chat secret` prints the new secret on its last line.
  const printed = run('chat', 'secret', '--data', data, '--organization', org.name).trim().split('\n');
  const cliSecret = printed[printed.length - 1];
  assert.match(cliSecret, /^[A-Za-z0-9_-]{43}$/);
  assert.equal((await start({ identity: sign(cliSecret, `${org.id}:${later}:rosa@agencia.test`) })).status, 201);
  assert.equal((await start({ identity: sign(again.json.secret, `${org.id}:${later}:rosa@agencia.test`) })).status, 400);
  assert.throws(() => run('chat', 'secret', '--data', data, '--organization', 'Nobody Ltd'), /No organization is named or numbered "Nobody Ltd"/);
});
