// Required details per category (issue 11), end to end on seed 004's policy: a project ticket
// needs its project number, item name, steps taken and screenshots when it is opened on the web
// or through the API (customers and agents alike), a 400 names every missing one at once, later
// changes never ask for them, and mail is accepted without them.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot, sessionClient, startServer, tokenClient } from '../lib/server.mjs';
import { assertDocumented, documentedCall } from '../lib/openapi.mjs';

let s, admin, agent, customer;
const policy004 = readFileSync(join(repoRoot, 'examples', 'policies', '004_agency_management.toml'), 'utf8');
const holidays = readFileSync(join(repoRoot, 'examples', 'policies', 'holidays-br.ics'), 'utf8');
const allFour = ['custom_fields.project_number', 'custom_fields.item_name', 'custom_fields.steps_taken', 'detail.screenshots'];

before(async () => {
  s = await startServer();
  s.addUser('admin', 'admin@desk.test');
  s.addUser('agent', 'agent@desk.test', 'password-123', ['--name', 'Alice Agent']);
  admin = tokenClient(s.url, s.token('admin@desk.test'));
  agent = tokenClient(s.url, s.token('agent@desk.test'));
  const applied = await admin.request('PUT', '/api/v1/policy', { source: policy004, files: { 'holidays-br.ics': holidays } });
  assert.equal(applied.status, 200, applied.text);
  const org = await admin.post('/api/v1/organizations', { name: 'Agência Norte', domains: ['agencianorte.com.br'], language: 'pt-BR' });
  assert.equal(org.status, 201, org.text);
  const c = await admin.post('/api/v1/contacts', { email: 'rui@agencianorte.com.br', name: 'Rui Costa', language: 'pt-BR', organization_id: org.json.id, password: 'password-123' });
  assert.equal(c.status, 201, c.text);
  customer = await sessionClient(s.url, 'rui@agencianorte.com.br', 'password-123');
});
after(async () => { await s?.stop(); });

function projectForm(details, files, requester) {
  const f = new FormData();
  if (requester) f.append('requester_email', requester);
  f.append('subject', 'O projeto não mostra as peças');
  f.append('description', 'Abri o projeto e a lista está vazia.');
  f.append('category', 'projects');
  for (const [k, v] of Object.entries(details)) f.append(`custom_fields.${k}`, v);
  for (const k of files) f.append(`detail.${k}`, new Blob(['\x89PNG screenshot'], { type: 'image/png' }), `${k}.png`);
  return f;
}

test('GET /categories lists each category\'s details in the reader\'s language', async () => {
  const r = await documentedCall(customer, 'GET', '/api/v1/categories', '/api/v1/categories');
  assert.equal(r.status, 200, r.text);
  const projects = r.json.items.find((c) => c.key === 'projects');
  assert.deepEqual(projects.details.map((d) => [d.key, d.kind, d.required, d.field, d.label]), [
    ['project_number', 'number', true, 'custom_fields.project_number', 'Número do projeto'],
    ['item_name', 'text', true, 'custom_fields.item_name', 'Nome da peça'],
    ['steps_taken', 'text', true, 'custom_fields.steps_taken', 'Passo a passo seguido'],
    ['screenshots', 'attachment', true, 'detail.screenshots', 'Prints da tela inteira'],
  ]);
  assert.deepEqual(r.json.items.find((c) => c.key === 'invoices').details, []);
  const policy = await documentedCall(admin, 'GET', '/api/v1/policy', '/api/v1/policy');
  assert.equal(policy.json.categories.find((c) => c.key === 'projects').details[0].names['pt-BR'], 'Número do projeto');
});

test('a project ticket without its details is refused with a 400 naming each missing one', async () => {
  const json = await documentedCall(customer, 'POST', '/api/v1/tickets', '/api/v1/tickets',
    { subject: 'Projeto sem peças', description: 'Vazio.', category: 'projects' });
  assert.equal(json.status, 400, json.text);
  assert.deepEqual(json.json.errors.map((e) => e.field), allFour);
  assert.match(json.json.errors[0].message, /Project number is required \(category "Projects and jobs"\)/);
  assert.match(json.json.detail, /3 more problem/);

  const partial = await documentedCall(agent, 'POST', '/api/v1/tickets', '/api/v1/tickets',
    projectForm({ project_number: 'doze', item_name: 'Logo' }, [], 'rui@agencianorte.com.br'));
  assert.equal(partial.status, 400, partial.text);
  assert.deepEqual(partial.json.errors.map((e) => e.field), ['custom_fields.project_number', 'custom_fields.steps_taken', 'detail.screenshots'],
    'an agent is asked too; a number detail must be a number');

  const list = await customer.get('/api/v1/tickets');
  assert.equal(list.json.items.length, 0, 'nothing was opened');
  const other = await documentedCall(customer, 'POST', '/api/v1/tickets', '/api/v1/tickets',
    { subject: 'Nota fiscal', description: 'A nota não chegou.', category: 'invoices' });
  assert.equal(other.status, 201, 'a category without details asks for nothing');
});

test('with every detail the ticket opens, keeping the details as fields and the screenshot as an attachment', async () => {
  const r = await documentedCall(customer, 'POST', '/api/v1/tickets', '/api/v1/tickets',
    projectForm({ project_number: '1234', item_name: 'Logo', steps_taken: 'Abri o projeto 1234' }, ['screenshots']));
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.custom_fields.project_number, '1234');
  assert.equal(r.json.custom_fields.item_name, 'Logo');
  const messages = await agent.get(`/api/v1/tickets/${r.json.number}/messages`);
  assert.deepEqual(messages.json.items[0].attachments.map((a) => a.filename), ['screenshots.png']);

  const viaJson = await documentedCall(agent, 'POST', '/api/v1/tickets', '/api/v1/tickets', {
    subject: 'Projeto 77', description: 'Por telefone.', category: 'projects', requester: { email: 'rui@agencianorte.com.br' },
    custom_fields: { project_number: 77, item_name: 'Banner', steps_taken: 'Abriu o projeto' },
  });
  assert.equal(viaJson.status, 400, 'JSON carries no file: the screenshot is still missing');
  assert.deepEqual(viaJson.json.errors.map((e) => e.field), ['detail.screenshots']);
});

test('changing a ticket that lacks details is never refused for them', async () => {
  const opened = await documentedCall(agent, 'POST', '/api/v1/tickets', '/api/v1/tickets',
    { subject: 'Dúvida', description: 'Como exporto?', category: 'platform_question', requester: { email: 'rui@agencianorte.com.br' } });
  assert.equal(opened.status, 201, opened.text);
  const moved = await documentedCall(agent, 'PATCH', `/api/v1/tickets/${opened.json.number}`, '/api/v1/tickets/{number}', { category: 'projects' });
  assert.equal(moved.status, 200, moved.text);
  const retagged = await documentedCall(agent, 'PATCH', `/api/v1/tickets/${opened.json.number}`, '/api/v1/tickets/{number}', { priority: "urgent", add_tags: ["urgente"] });
  assert.equal(retagged.status, 200, retagged.text);
  assert.equal(retagged.json.category, 'projects');
});

test('mail is accepted without the details (refusing it would lose it)', async () => {
  const raw = ['From: Rui Costa <rui@agencianorte.com.br>', 'To: suporte@desk.test', 'Subject: Projeto 55 sem peças',
    'Message-ID: <details-1@agencianorte.com.br>', 'Date: Mon, 23 Nov 2026 10:00:00 -0300', 'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8', '', 'O projeto 55 não mostra as peças.', ''].join('\r\n');
  const r = await admin.post('/api/v1/mail/inbound', raw, { 'content-type': 'message/rfc822' });
  assertDocumented('POST', '/api/v1/mail/inbound', r);
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.outcome, 'opened');
  const t = await agent.get(`/api/v1/tickets/${r.json.ticket}`);
  assert.equal(t.status, 200, t.text);
  assert.equal(t.json.channel, 'email');
});
