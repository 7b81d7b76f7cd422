// Ticket search through the API: stemming and folding in the ticket's language, filters
// written in the query, snippets, tenancy, and errors that say what to write.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, tokenClient, sessionClient } from '../lib/server.mjs';
import { assertDocumented } from '../lib/openapi.mjs';

let server, agent, ana, gus;
let nfe, boleto, export_;

const search = async (who, q, extra = '') => {
  const r = await who.get(`/api/v1/search/tickets?q=${encodeURIComponent(q)}${extra}`);
  assertDocumented('GET', '/api/v1/search/tickets', r);
  return r;
};
const numbers = (r) => r.json.items.map((i) => i.ticket.number).sort((a, b) => a - b);

before(async () => {
  server = await startServer();
  server.addUser('agent', 'agent@desk.test', 'agent-pass-1', ['--name', 'Carla Agente']);
  server.addUser('customer', 'ana@acme.test', 'customer-pass-1', ['--organization', 'Acme', '--name', 'Ana Souza']);
  server.addUser('customer', 'gus@globex.test', 'customer-pass-1', ['--organization', 'Globex']);
  agent = tokenClient(server.url, server.token('agent@desk.test'));
  ana = await sessionClient(server.url, 'ana@acme.test', 'customer-pass-1');
  gus = await sessionClient(server.url, 'gus@globex.test', 'customer-pass-1');
  // Ana writes Portuguese: her tickets are indexed in it.
  const p = await agent.patch(`/api/v1/contacts/${ana.user.id}`, { language: 'pt-BR' });
  assert.equal(p.status, 200, p.text);

  const open = async (who, subject, description) => {
    const r = await who.post('/api/v1/tickets', { subject, description });
    assert.equal(r.status, 201, r.text);
    return r.json.number;
  };
  nfe = await open(ana, 'Erro na emissão de notas fiscais', 'Desde ontem a configuração do certificado falha com ERR_CERT_EXPIRED na versão 2.4.1.');
  boleto = await open(ana, 'Boleto <img src=x onerror=alert(1)> não chega', 'O boleto de março não chegou por e-mail.');
  export_ = await open(gus, 'Cannot export invoices', 'The export button does nothing.');
  const note = await agent.post(`/api/v1/tickets/${boleto}/messages`, { body: 'Cliente inadimplente, conferir antes de reenviar.', kind: 'internal_note' });
  assert.equal(note.status, 201, note.text);
});

after(async () => { await server?.stop(); });

test('a ticket is found at once by any form of its words, with the match marked', async () => {
  for (const q of ['emissao', 'Emissões', '"nota fiscal"', 'configura*', 'ERR_CERT_EXPIRED', '2.4.1']) {
    const r = await search(agent, q);
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(numbers(r), [nfe], q);
  }
  assert.deepEqual(numbers(await search(agent, 'souza')), [nfe, boleto]);  // the requester's name
  const r = await search(agent, 'emissao certificado');
  const hit = r.json.items[0];
  assert.equal(hit.subject, 'Erro na <mark>emissão</mark> de notas fiscais');
  assert.match(hit.snippet, /<mark>certificado<\/mark>/);
  assert.equal(hit.message.kind, 'customer_message');
  assert.ok(hit.score > 0);
  assert.equal(r.json.total, 1);
  assert.equal(r.json.next, null);
});

test("a ticket's number alone finds that ticket first, when the searcher may see it", async () => {
  for (const q of [`#${boleto}`, String(boleto), ` ${boleto} `]) {
    const r = await search(agent, q);
    assert.equal(r.json.items[0]?.ticket.number, boleto, q);
  }
  assert.equal((await search(ana, `#${boleto}`)).json.items[0]?.ticket.number, boleto);
  assert.deepEqual(numbers(await search(gus, `#${boleto}`)), []);
  assert.deepEqual(numbers(await search(agent, '#99999')), []);
});

test('subjects and snippets are escaped text with marks only', async () => {
  const r = await search(agent, 'boleto');
  assert.deepEqual(numbers(r), [boleto]);
  assert.equal(r.json.items[0].subject, '<mark>Boleto</mark> &lt;img src=x onerror=alert(1)&gt; não chega');
});

test('agents match internal notes; customers never do, and see only their organization', async () => {
  const a = await search(agent, 'inadimplente');
  assert.deepEqual(numbers(a), [boleto]);
  assert.equal(a.json.items[0].message.kind, 'internal_note');
  assert.deepEqual(numbers(await search(ana, 'inadimplente')), []);
  assert.deepEqual(numbers(await search(ana, 'boleto OR invoices')), [boleto]);
  assert.deepEqual(numbers(await search(gus, 'boleto OR invoices')), [export_]);
  // Filters alone list what the customer may see.
  assert.deepEqual(numbers(await search(gus, 'status:new')), [export_]);
});

test('filters are written in the query and names are resolved', async () => {
  assert.deepEqual(numbers(await search(agent, 'org:acme')), [nfe, boleto]);
  assert.deepEqual(numbers(await search(agent, 'org:Acme boleto')), [boleto]);
  assert.deepEqual(numbers(await search(agent, 'requester:ana@acme.test -boleto')), [nfe]);
  assert.deepEqual(numbers(await search(agent, 'status:pending')), []);
  assert.deepEqual(numbers(await search(agent, 'status:new,open assignee:none')), [nfe, boleto, export_]);
  assert.deepEqual(numbers(await search(agent, 'created>=2000-01-01 created<2100-01-01 invoices')), [export_]);
  assert.deepEqual(numbers(await search(agent, 'created<2000-01-01')), []);
});

test('mistakes are 400s that say what to write', async () => {
  const cases = [
    [agent, 'org:nobody', /org:nobody: no organization has this name or domain/],
    [agent, 'status:waiting', /no such status/],
    [agent, 'created>=2026-13-01', /not a day of the calendar/],
    [agent, 'assignee:"Nobody Here"', /nobody has this name/],
    // Ana reads Portuguese; the filter and its value stay as she wrote them.
    [ana, 'assignee:me', /^assignee: só atendentes filtram por assignee\.$/],
  ];
  for (const [who, q, says] of cases) {
    const r = await search(who, q);
    assert.equal(r.status, 400, `${q}: ${r.text}`);
    assert.match(r.json.detail, says, q);
  }
  const long = await agent.get(`/api/v1/search/tickets?q=${'a'.repeat(1001)}`);
  assert.equal(long.status, 400);
  const far = await agent.get('/api/v1/search/tickets?q=boleto&offset=1000');
  assert.equal(far.status, 400);
  assert.match(far.json.detail, /first 1,000 results/);
});

test('duplicate hints: open tickets of the same organization that read alike', async () => {
  const again = await ana.post('/api/v1/tickets', { subject: 'Boleto de março não chegou', description: 'Não recebi o boleto de março por e-mail.' });
  assert.equal(again.status, 201, again.text);
  const r = await ana.get(`/api/v1/tickets/${again.json.number}/similar`);
  assertDocumented('GET', '/api/v1/tickets/{number}/similar', r);
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json.items.map((i) => i.ticket.number), [boleto]);
  assert.ok(r.json.items[0].score > 0.35 && r.json.items[0].likely);
  // Before sending: the portal's form asks with what is typed.
  const typed = await ana.post('/api/v1/tickets/similar', { subject: 'boleto não chegou', description: 'cadê o boleto de março?' });
  assertDocumented('POST', '/api/v1/tickets/similar', typed);
  assert.deepEqual(typed.json.items.map((i) => i.ticket.number).sort(), [boleto, again.json.number].sort());
  // Another organization sees nothing of Acme's, and agents say whose tickets they mean.
  assert.deepEqual((await gus.post('/api/v1/tickets/similar', { subject: 'boleto não chegou' })).json.items, []);
  assert.equal((await gus.get(`/api/v1/tickets/${boleto}/similar`)).status, 404);
  const bare = await agent.post('/api/v1/tickets/similar', { subject: 'boleto' });
  assert.equal(bare.status, 400);
  assert.match(bare.json.detail, /organization_id or requester_email/);
  const byAgent = await agent.post('/api/v1/tickets/similar', { subject: 'boleto não chegou', requester_email: 'ana@acme.test' });
  assert.ok(byAgent.json.items.some((i) => i.ticket.number === boleto));
  const closed = await agent.patch(`/api/v1/tickets/${again.json.number}`, { status: 'solved' });
  assert.equal(closed.status, 200, closed.text);
  const afterClose = await ana.get(`/api/v1/tickets/${boleto}/similar`);
  assert.deepEqual(afterClose.json.items, [], 'solved tickets are not hints');
});

test('pages follow next', async () => {
  const seen = [];
  let next = '0';
  while (next !== null) {
    const r = await search(agent, 'status:new', `&limit=2&offset=${next}`);
    assert.equal(r.status, 200, r.text);
    seen.push(...r.json.items.map((i) => i.ticket.number));
    next = r.json.next;
  }
  assert.deepEqual(seen.filter((n) => n <= export_), [export_, boleto, nfe]);  // newest first without words
});
