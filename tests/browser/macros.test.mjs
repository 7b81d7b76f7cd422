// Canned replies in the browser: an agent creates a macro on the canned-replies page (reached
// from the top bar), picks it in a ticket's composer, and the reply the customer gets has the
// placeholders filled (the due time in the customer's zone and language) while the ticket
// takes the macro's status, priority, tags and group.
//
// Needs: web/dist built, /usr/bin/chromium (or CHROMIUM_BIN), the server binary (CHAMADO_BIN).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, tokenClient } from '../lib/server.mjs';
import { Browsers, assertBrowserReady, dist, signIn } from '../lib/browser.mjs';

const AGENT = { email: 'agent@desk.test', password: 'agent-pass-1' };
let server, admin, agentApi, group;
const browsers = new Browsers();

before(async () => {
  assertBrowserReady();
  server = await startServer({ web: dist });
  server.addUser('admin', 'admin@desk.test');
  server.addUser('agent', AGENT.email, AGENT.password, ['--name', 'Ana Agent']);
  admin = tokenClient(server.url, server.token('admin@desk.test'));
  agentApi = tokenClient(server.url, server.token(AGENT.email));
  const org = await admin.post('/api/v1/organizations', { name: 'Loja Azul', language: 'pt-BR', time_zone: 'America/Sao_Paulo' });
  assert.equal(org.status, 201, org.text);
  const contact = await admin.post('/api/v1/contacts', { email: 'bia@lojaazul.com.br', name: 'Bia Lima', language: 'pt-BR', time_zone: 'America/Sao_Paulo', organization_id: org.json.id });
  assert.equal(contact.status, 201, contact.text);
  group = await admin.post('/api/v1/groups', { name: 'Billing' });
  assert.equal(group.status, 201, group.text);
});
after(async () => {
  await browsers.closeAll();
  if (server) await server.stop();
});

test('an agent creates a canned reply and uses it: placeholders filled, fields set', { timeout: 180_000 }, async () => {
  const opened = await agentApi.post('/api/v1/tickets', { subject: 'Cobrança em dobro', description: 'Fui cobrada duas vezes.', priority: 'P3', requester: { email: 'bia@lojaazul.com.br' } });
  assert.equal(opened.status, 201, opened.text);
  const n = opened.json.number;

  const desk = await browsers.open();
  await desk.goto(`${server.url}/agent`);
  await signIn(desk, AGENT, '/agent');
  await desk.getByTestId('nav-macros').click();
  await desk.getByTestId('macro-new').click();
  await desk.getByTestId('macro-name').fill('Estorno');
  // An unknown placeholder is refused, naming it.
  await desk.getByTestId('macro-body').fill('Olá {{cliente}}');
  await desk.getByTestId('macro-save').click();
  assert.match(await desk.getByTestId('macro-error').innerText(), /\{\{cliente\}\}/);
  await desk.getByTestId('macro-body').fill('Olá {{customer.name}}, o chamado #{{ticket.number}} ({{ticket.priority}}) será resolvido até {{ticket.due}}. {{agent.name}}');
  await desk.getByTestId('macro-status').selectOption('pending_customer');
  await desk.getByTestId('macro-priority').selectOption('P2');
  await desk.getByTestId('macro-tags').fill('estorno, cobranca');
  await desk.getByTestId('macro-group').selectOption({ label: 'Billing' });
  await desk.getByTestId('macro-save').click();
  const row = desk.getByTestId('macro-row').filter({ hasText: 'Estorno' });
  await row.waitFor();
  assert.match(await row.innerText(), /personal/);
  assert.match(await row.innerText(), /\+cobranca \+estorno/);

  await desk.goto(`${server.url}/agent/tickets/${n}`);
  await desk.getByTestId('composer-body').waitFor();
  await desk.getByTestId('macro-picker').selectOption({ label: 'Estorno' });
  const body = desk.getByTestId('composer-body');
  await desk.waitForFunction(() => document.querySelector('[data-testid="composer-body"]').value.startsWith('Olá'));
  const text = await body.inputValue();
  assert.match(text, new RegExp(`^Olá Bia Lima, o chamado #${n} \\(P3\\) será resolvido até \\d{2}/\\d{2}/\\d{4} \\d{2}:\\d{2} \\(America/Sao_Paulo\\)\\. Ana Agent$`));
  assert.equal(await desk.getByTestId('composer-status').inputValue(), 'pending_customer', 'the status is pre-set in the composer');
  // The groups' names arrive with their own request: the summary names the group once they have.
  await desk.waitForFunction(() => /Group: Billing/.test(document.querySelector('[data-testid="macro-pending"]')?.textContent ?? ''));
  const pending = await desk.getByTestId('macro-pending').innerText();
  assert.match(pending, /Priority: P2/);
  assert.match(pending, /Group: Billing/);
  await desk.getByTestId('composer-submit').click();
  await desk.getByTestId('composer-sent').waitFor();
  await desk.waitForFunction(() => /P2/.test(document.querySelector('[data-testid="ticket-priority"]')?.textContent ?? ''));

  const after = await agentApi.get(`/api/v1/tickets/${n}`);
  assert.equal(after.json.status, 'pending_customer');
  assert.equal(after.json.priority, 'P2');
  assert.equal(after.json.group?.name, 'Billing');
  assert.deepEqual([...after.json.tags].sort(), ['cobranca', 'estorno']);
  const messages = (await agentApi.get(`/api/v1/tickets/${n}/messages`)).json.items;
  const reply = messages.find((m) => m.kind === 'public_reply');
  assert.equal(reply?.body, text, 'the reply is the filled text');
  assert.doesNotMatch(reply.body, /\{\{/);
});
