// The chatbot (issue 12), end to end on seed 004: its flow applied with `chamado bot apply`,
// edited and rolled back through the API, and conversations through
// POST /api/v1/bot/sessions and .../messages, anonymous and signed in, in and out of the
// live-chat hours (09-12 and 13-17 in São Paulo) on the test clock. Every answer is checked
// against the OpenAPI document.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, tokenClient, sessionClient, repoRoot, chamadoBin } from '../lib/server.mjs';
import { assertDocumented } from '../lib/openapi.mjs';

const policyFile = join(repoRoot, 'examples', 'policies', '004_agency_management.toml');
const flowFile = join(repoRoot, 'examples', 'bots', '004_agency_management.toml');
const flowText = readFileSync(flowFile, 'utf8');
const MONDAY_10 = '2026-11-30T10:00:00-03:00';  // live chat open
const MONDAY_1230 = '2026-11-30T12:30:00-03:00';  // lunch: closed until 13:00

let server, admin, agent, rosa, tito, data;

const run = (...args) => execFileSync(chamadoBin, args, { encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
const fails = (...args) => {
  try {
    run(...args);
  } catch (e) {
    return { status: e.status, stderr: String(e.stderr) };
  }
  assert.fail(`chamado ${args.join(' ')} should have failed`);
};

// A client for the bot as any front end: anonymous with the session's token, or someone's client.
async function call(method, path, template, body, { token, who } = {}) {
  const headers = { 'content-type': 'application/json' };
  if (token) headers['x-bot-token'] = token;
  let r;
  if (who) r = await who.request(method, path, body, token ? { 'x-bot-token': token } : {});
  else {
    const res = await fetch(server.url + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    r = { status: res.status, headers: res.headers, text, json: text ? JSON.parse(text) : null };
  }
  assertDocumented(method, template, r);
  return r;
}
const start = (body = {}, opts) => call('POST', '/api/v1/bot/sessions', '/api/v1/bot/sessions', body, opts);
const answer = (s, body, opts = { token: s.token }) =>
  call('POST', `/api/v1/bot/sessions/${s.id}/messages`, '/api/v1/bot/sessions/{id}/messages', body, opts);
const transcript = (s, opts = { token: s.token }) => call('GET', `/api/v1/bot/sessions/${s.id}`, '/api/v1/bot/sessions/{id}', undefined, opts);
const setClock = (set) => admin.post('/api/v1/test/clock', { set });
const botSaid = (r) => r.json.turns.filter((t) => t.author === 'bot');
const lastBot = (r) => botSaid(r).at(-1);

// From a new session to the search node: "Tenho uma dúvida sobre a plataforma", then "Não" typed.
async function toSearch(opts = {}) {
  const s = (await start({ language: 'pt-BR' }, opts)).json;
  const as = opts.who ? { who: opts.who } : { token: s.token };
  assert.equal((await answer(s, { option: '1' }, as)).status, 200);
  const r = await answer(s, { text: 'Não' }, as);
  assert.equal(r.json.awaiting, 'words');
  return { s, as };
}

before(async () => {
  data = mkdtempSync(join(tmpdir(), 'chamado-bot-'));
  run('policy', 'apply', policyFile, '--data', data);
  run('help', 'import', join(repoRoot, 'tests', 'search', 'eval', 'articles'), '--data', data);
  server = await startServer({ data, extraArgs: ['--test-clock'] });
  server.addUser('admin', 'ana@desk.test', 'admin-pass-1');
  server.addUser('agent', 'lia@desk.test', 'agent-pass-1');
  server.addUser('customer', 'rosa@agencia.test', 'customer-pass-1', ['--organization', 'Agência Rosa']);
  server.addUser('customer', 'tito@outra.test', 'customer-pass-2', ['--organization', 'Outra Agência']);
  admin = tokenClient(server.url, server.token('ana@desk.test'));
  agent = tokenClient(server.url, server.token('lia@desk.test'));
  const orgs = (await admin.get('/api/v1/organizations?q=Rosa')).json.items;
  assert.equal((await admin.patch(`/api/v1/organizations/${orgs[0].id}`, { plan: 'standard', time_zone: 'America/Sao_Paulo' })).status, 200);
  rosa = await sessionClient(server.url, 'rosa@agencia.test', 'customer-pass-1');
  assert.equal((await admin.patch(`/api/v1/contacts/${rosa.user.id}`, { time_zone: 'America/Sao_Paulo' })).status, 200);
  tito = await sessionClient(server.url, 'tito@outra.test', 'customer-pass-2');
  await setClock(MONDAY_10);
});

after(async () => { await server?.stop(); });

test('without a flow there is no bot; `chamado bot` checks, applies, lists and rolls back', async () => {
  assert.equal((await start()).status, 404);
  assert.match(run('bot', 'check', '--policy', policyFile, flowFile), /bot flow "Agency management assistant" is valid: 8 node\(s\), starting at "welcome"/);
  const broken = join(data, 'broken.toml');
  writeFileSync(broken, flowText.replace('next = "search" }', 'next = "serch" }').replace('category = "invoices"', 'category = "faturas"'));
  const bad = fails('bot', 'check', '--policy', policyFile, broken);
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /the flow has 2 problem\(s\)/);
  assert.match(bad.stderr, /broken\.toml:33: nodes\.invoices\.options\[1\]\.next: Unknown node "serch"/);
  assert.match(bad.stderr, /broken\.toml:39: nodes\.invoices_ticket\.category: Unknown category "faturas"/);
  assert.match(run('bot', 'apply', flowFile, '--data', data), /is in effect as version 1/);
  assert.match(run('bot', 'history', '--data', data), /^v1 .*Agency management assistant {2}\[in effect\]/);
  assert.equal(run('bot', 'export', '--data', data), flowText);
});

test('administrators edit the flow through the API: errors by line and node, history, rollback', async () => {
  const current = await call('GET', '/api/v1/bot/flow', '/api/v1/bot/flow', undefined, { who: agent });
  assert.equal(current.status, 200);
  assert.equal(current.json.version, 1);
  assert.equal(current.json.source, flowText);
  assert.deepEqual(current.json.warnings, []);

  const looping = flowText.replace('next = "invoices_ticket" }', 'next = "welcome" }').replace('next = "search" }', 'next = "invoices" }')
    .replace('next = "ticket" },\n]\n\n[nodes.invoices]', 'next = "invoices" },\n]\n\n[nodes.invoices]');
  const refused = await call('PUT', '/api/v1/bot/flow', '/api/v1/bot/flow', { source: looping }, { who: admin });
  assert.equal(refused.status, 400);
  assert.deepEqual(refused.json.errors.map((e) => e.field), ['bot.toml:20: nodes.welcome', 'bot.toml:28: nodes.invoices']);
  assert.match(refused.json.errors[0].message, /loop without exit/);
  assert.equal((await call('PUT', '/api/v1/bot/flow', '/api/v1/bot/flow', { source: flowText }, { who: agent })).status, 403);

  const extra = `${flowText}\n[nodes.old_menu]\ntype = "end"\ntext = "Tchau"\n`;
  const put = await call('PUT', '/api/v1/bot/flow', '/api/v1/bot/flow', { source: extra }, { who: admin });
  assert.equal(put.status, 200, put.text);
  assert.equal(put.json.version, 2);
  assert.equal(put.json.warnings.length, 1);
  assert.match(put.json.warnings[0].field, /^bot\.toml:\d+: nodes\.old_menu$/);

  const back = await call('POST', '/api/v1/bot/flow/rollback', '/api/v1/bot/flow/rollback', { version: 1 }, { who: admin });
  assert.equal(back.status, 200);
  assert.equal(back.json.version, 3);
  assert.equal(back.json.restored_from, 1);
  assert.equal(back.json.source, flowText);
  assert.equal((await call('POST', '/api/v1/bot/flow/rollback', '/api/v1/bot/flow/rollback', { version: 99 }, { who: admin })).status, 400);
  const history = await call('GET', '/api/v1/bot/flow/history', '/api/v1/bot/flow/history', undefined, { who: agent });
  assert.deepEqual(history.json.items.map((h) => [h.version, h.restored_from]), [[3, 1], [2, null], [1, null]]);
  assert.match(run('bot', 'history', '--data', data), /v3 .*\(rollback to v1\) {2}\[in effect\]/);
});

test("an anonymous visitor walks the seed's path to an article that helped", async () => {
  const created = await start({ language: 'pt-BR' });
  assert.equal(created.status, 201);
  const s = created.json;
  assert.match(s.token, /^[A-Za-z0-9_-]{20,}$/);
  assert.equal(s.status, 'active');
  assert.equal(s.awaiting, 'choice');
  assert.equal(s.signed_in, false);
  assert.equal(s.turns[0].text, 'Olá! Sou o assistente do suporte. Como posso ajudar?');
  assert.deepEqual(s.turns[0].options.map((o) => o.label), ['Tenho uma dúvida sobre a plataforma', 'Quero abrir um ticket']);

  const invoices = await answer(s, { option: '1' });
  assert.deepEqual(invoices.json.turns.map((t) => [t.author, t.text]), [
    ['customer', 'Tenho uma dúvida sobre a plataforma'],
    ['bot', 'É sobre faturas ou notas fiscais?'],
  ]);
  const search = await answer(s, { text: 'não' });
  assert.equal(lastBot(search).text, 'Digite palavras-chave da sua dúvida (por exemplo: abrir projeto).');
  const found = await answer(s, { text: 'como cancelar uma nota fiscal' });
  const shown = lastBot(found);
  assert.equal(shown.text, 'Algum destes artigos da Central de Ajuda respondeu à sua dúvida?');
  assert.ok(shown.articles.length >= 1 && shown.articles.length <= 3, JSON.stringify(shown.articles));
  assert.ok(shown.articles.some((a) => /^invoices-cancel-nfs?e$/.test(a.key)), JSON.stringify(shown.articles));
  for (const a of shown.articles) assert.match(a.url, /^\/help\/pt-BR\/[a-z0-9-]+\/[a-z0-9-]+\/[a-z0-9-]+$/);
  assert.deepEqual(shown.options.map((o) => o.label), ['Sim', 'Não']);
  const glad = await answer(s, { option: '1' });
  assert.equal(lastBot(glad).text, 'Que bom que ajudou! A Central de Ajuda está disponível 24 horas por dia.');
  assert.equal(glad.json.status, 'ended');
  assert.equal(glad.json.awaiting, 'nothing');

  const counted = await call('GET', '/api/v1/bot/deflections', '/api/v1/bot/deflections', undefined, { who: agent });
  const keys = shown.articles.map((a) => a.key);
  assert.deepEqual(counted.json.items.filter((i) => keys.includes(i.key)).map((i) => i.count), keys.map(() => 1));
  // And in the help center's count per article, beside the portal's deflections.
  for (const key of keys) {
    const article = await call('GET', `/api/v1/help/articles/${key}?language=pt-BR&drafts=true`, '/api/v1/help/articles/{key}', undefined, { who: agent });
    assert.equal(article.status, 200);
    assert.equal(article.json.feedback.deflections, 1, key);
  }

  const whole = await transcript(s);
  assert.equal(whole.status, 200);
  assert.equal(whole.json.turns.length, 9);
  assert.deepEqual(whole.json.turns.map((t) => t.seq), [1, 2, 3, 4, 5, 6, 7, 8, 9]);
});

test('a session is read and answered only with its token or by its customer', async () => {
  const s = (await start()).json;
  assert.equal((await transcript(s, {})).status, 404);
  assert.equal((await transcript(s, { token: 'x'.repeat(43) })).status, 404);
  assert.equal((await answer(s, { option: '1' }, {})).status, 404);
  assert.equal((await transcript(s)).status, 200);
  const mine = (await start({}, { who: rosa })).json;
  assert.equal(mine.signed_in, true);
  assert.equal((await transcript(mine, { who: rosa })).status, 200);
  assert.equal((await transcript(mine, { who: tito })).status, 404);
  assert.equal((await transcript(mine, { who: tito, token: s.token })).status, 404);
  assert.equal((await transcript(mine, { token: mine.token })).status, 200);
  // A signed-in customer's change needs the CSRF token like every other.
  const forged = await fetch(`${server.url}/api/v1/bot/sessions`, { method: 'POST', headers: { cookie: rosa.cookie, 'content-type': 'application/json' }, body: '{}' });
  assert.equal(forged.status, 403);
});

test('the bot speaks the session language, with the flow default where it has no text', async () => {
  const es = (await start({ language: 'es' })).json;
  assert.equal(es.turns[0].text, '¡Hola! Soy el asistente de soporte. ¿Cómo puedo ayudar?');
  const de = (await start({ language: 'de' })).json;
  assert.equal(de.turns[0].text, 'Olá! Sou o assistente do suporte. Como posso ajudar?');
  const mine = (await start({}, { who: rosa })).json;
  assert.equal(mine.language, 'en');  // Rosa's own language (the user default)
  assert.equal(mine.turns[0].text, 'Hello! I am the support assistant. How can I help?');
  assert.equal((await start({ language: 'fr' })).status, 400);
  const unmatched = await answer(es, { text: 'banana' });
  assert.equal(lastBot(unmatched).text, 'Lo siento, no entendí. Elija una de las opciones de abajo.');
  assert.equal(lastBot(unmatched).options.length, 2);
  assert.equal(unmatched.json.awaiting, 'choice');
});

test('anonymous: nothing found, not helped, then a ticket opened with the email given and the conversation', async () => {
  const { s } = await toSearch();
  const none = await answer(s, { text: 'xyzzyqwv' });
  assert.deepEqual(botSaid(none).map((t) => t.text), ['Não encontrei nenhum artigo sobre isso.', 'Como prefere seguir?']);
  const asked = await answer(s, { option: '2' });
  assert.equal(asked.json.awaiting, 'description');
  const email = await answer(s, { text: 'O projeto 4711 não abre depois da atualização' });
  assert.equal(email.json.awaiting, 'email');
  const bad = await answer(s, { text: 'não tenho' });
  assert.equal(lastBot(bad).text, 'Isso não parece um endereço de email; digite-o novamente.');
  const done = await answer(s, { text: 'visitante@exemplo.test' });
  assert.equal(done.json.status, 'ticket_opened');
  const number = done.json.ticket_number;
  assert.ok(number > 0);
  assert.equal(lastBot(done).text, `Abrimos o ticket #${number}. Responderemos por email em até 24 horas úteis. Lembre-se: um ticket por assunto.`);
  assert.deepEqual(lastBot(done).ticket, { number, url: `/portal/tickets/${number}` });

  const ticket = (await agent.get(`/api/v1/tickets/${number}`)).json;
  assert.equal(ticket.subject, 'O projeto 4711 não abre depois da atualização');
  assert.equal(ticket.category, 'platform_question');
  assert.equal(ticket.channel, 'chat');
  assert.equal(ticket.requester.email, 'visitante@exemplo.test');
  assert.ok(ticket.tags.includes('chatbot'));
  assert.equal(ticket.group?.name ?? null, null);  // platform_question's group Support does not exist here
  const first = (await agent.get(`/api/v1/tickets/${number}/messages`)).json.items[0];
  // The speakers are named in the conversation's language.
  assert.match(first.body, /^Assistente: Olá! Sou o assistente do suporte\. Como posso ajudar\?\nCliente: Tenho uma dúvida sobre a plataforma\n/);
  assert.match(first.body, /Cliente: O projeto 4711 não abre depois da atualização\n/);
  assert.match(first.body, /Cliente: visitante@exemplo\.test\n$/);
  const after = await answer(s, { text: 'olá?' });
  assert.equal(lastBot(after).text, 'Esta conversa terminou. Comece uma nova para perguntar outra coisa.');
});

test('the invoices path opens its ticket in the invoices category, for the signed-in customer', async () => {
  const s = (await start({ language: 'pt-BR' }, { who: rosa })).json;
  await answer(s, { option: '1' }, { who: rosa });
  const asked = await answer(s, { text: 'Sim' }, { who: rosa });
  assert.equal(asked.json.awaiting, 'description');
  const done = await answer(s, { text: 'A nota 77 foi recusada pela prefeitura' }, { who: rosa });
  assert.equal(done.json.status, 'ticket_opened');
  const ticket = (await agent.get(`/api/v1/tickets/${done.json.ticket_number}`)).json;
  assert.equal(ticket.category, 'invoices');
  assert.equal(ticket.requester.email, 'rosa@agencia.test');
  assert.equal((await rosa.get(`/api/v1/tickets/${done.json.ticket_number}`)).status, 200);
});

test('in live-chat hours a customer whose plan has chat is handed to a person', async () => {
  await setClock(MONDAY_10);
  const { s, as } = await toSearch({ who: rosa });
  await answer(s, { text: 'xyzzyqwv' }, as);
  const handed = await answer(s, { option: '1' }, as);
  assert.equal(handed.json.status, 'waiting_for_agent');
  assert.equal(lastBot(handed).text, 'Vou chamar uma pessoa do nosso time; ela continua esta conversa em instantes.');
  const waiting = await answer(s, { text: 'Oi, alguém aí?' }, as);
  assert.deepEqual(waiting.json.turns.map((t) => t.author), ['customer']);  // the agent answers, not the bot
  assert.equal(waiting.json.status, 'waiting_for_agent');
});

test('out of hours the bot says when people are back, in the customer time zone, and offers a ticket', async () => {
  await setClock(MONDAY_1230);
  const { s, as } = await toSearch({ who: rosa });
  await answer(s, { text: 'xyzzyqwv' }, as);
  const closed = await answer(s, { option: '1' }, as);
  assert.equal(closed.json.status, 'active');
  assert.equal(lastBot(closed).text,
    'Nosso atendimento ao vivo funciona das 9h às 12h e das 13h às 17h, em dias úteis. Voltamos em 30/11/2026 13:00 (America/Sao_Paulo).');
  assert.deepEqual(lastBot(closed).options, [{ id: '1', label: 'Abrir um ticket' }]);
  const asked = await answer(s, { option: '1' }, as);
  assert.equal(asked.json.awaiting, 'description');
  const done = await answer(s, { text: 'Preciso de ajuda com o cronograma' }, as);
  assert.equal(done.json.status, 'ticket_opened');  // signed in: no email asked

  // Friday after 17:00: back on Monday at 09:00.
  await setClock('2026-12-04T17:30:00-03:00');
  const friday = await toSearch({ who: rosa });
  await answer(friday.s, { text: 'xyzzyqwv' }, friday.as);
  const weekend = await answer(friday.s, { option: '1' }, friday.as);
  assert.match(lastBot(weekend).text, /Voltamos em 07\/12\/2026 09:00 \(America\/Sao_Paulo\)\.$/);
  await setClock(MONDAY_10);
});

test('without chat in the plan, or anonymous, nobody takes over even in hours', async () => {
  await setClock(MONDAY_10);
  for (const opts of [{ who: tito }, {}]) {
    const { s, as } = await toSearch(opts);
    await answer(s, { text: 'xyzzyqwv' }, as);
    const r = await answer(s, { option: '1' }, as);
    assert.equal(lastBot(r).text, 'O atendimento ao vivo não faz parte do seu plano.');
    assert.equal(r.json.status, 'active');
    assert.equal(lastBot(r).options[0].label, 'Abrir um ticket');
  }
});

test('bounds: message size, one kind of answer, idle expiry, and conversations per address', async () => {
  await setClock(MONDAY_10);
  const s = (await start()).json;
  const big = await answer(s, { text: 'x'.repeat(2001) });
  assert.equal(big.status, 400);
  assert.equal(big.json.errors[0].field, 'text');
  assert.equal((await answer(s, { option: '1', text: 'oi' })).status, 400);
  assert.equal((await answer(s, {})).status, 400);
  assert.equal((await answer(s, { option: '1', extra: true })).status, 400);
  await admin.post('/api/v1/test/clock', { advance: '31m' });
  const late = await answer(s, { option: '1' });
  assert.equal(late.status, 409);
  assert.match(late.json.detail, /expired after 30 minutes/);
  assert.equal((await transcript(s)).json.status, 'expired');

  let refused = null;
  for (let i = 0; i < 80 && !refused; i++) {
    const r = await start();
    if (r.status === 429) refused = r;
    else assert.equal(r.status, 201);
  }
  assert.ok(refused, 'a limit on conversations per address');
  assert.ok(Number(refused.headers.get('retry-after')) > 0);
});
