// One case = one ticket in the browser: an agent merges a ticket into another of the same
// customer from the ticket page (picking it among the customer's active tickets, then
// confirming), the merged ticket shows "merged into #A" and the survivor where its messages
// came from; the customer's portal shows the merged request closed with a link to the
// survivor; the agent undoes the merge. Then a bulk action from the tickets list: choose
// tickets with checkboxes, set their priority, and read the report of what changed.
//
// Needs: web/dist built, /usr/bin/chromium (or CHROMIUM_BIN), the server binary (CHAMADO_BIN).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, tokenClient } from '../lib/server.mjs';
import { Browsers, assertBrowserReady, dist, signIn } from '../lib/browser.mjs';

const AGENT = { email: 'agent@desk.test', password: 'agent-pass-1' };
const CUSTOMER = { email: 'bia@lojaazul.com.br', password: 'customer-pass-1' };
let server, admin, agentApi;
const browsers = new Browsers();

async function open(subject, description) {
  const r = await agentApi.post('/api/v1/tickets', { subject, description, requester: { email: CUSTOMER.email } });
  assert.equal(r.status, 201, r.text);
  return r.json.number;
}

before(async () => {
  assertBrowserReady();
  server = await startServer({ web: dist });
  server.addUser('admin', 'admin@desk.test');
  server.addUser('agent', AGENT.email, AGENT.password, ['--name', 'Ana Agent']);
  admin = tokenClient(server.url, server.token('admin@desk.test'));
  agentApi = tokenClient(server.url, server.token(AGENT.email));
  const org = await admin.post('/api/v1/organizations', { name: 'Loja Azul', language: 'pt-BR', time_zone: 'America/Sao_Paulo' });
  assert.equal(org.status, 201, org.text);
  const contact = await admin.post('/api/v1/contacts', { email: CUSTOMER.email, name: 'Bia Lima', language: 'pt-BR', organization_id: org.json.id, password: CUSTOMER.password });
  assert.equal(contact.status, 201, contact.text);
});
after(async () => {
  await browsers.closeAll();
  if (server) await server.stop();
});

test('an agent merges a ticket into another, the customer sees it closed with a link, and the merge is undone', { timeout: 180_000 }, async () => {
  const survivor = await open('Boleto não chega', 'O boleto de novembro não chegou.');
  const merged = await open('Boleto de novembro', 'Ainda sem boleto: tucano-azul.');

  const desk = await browsers.open();
  await desk.goto(`${server.url}/agent`);
  await signIn(desk, AGENT, '/agent');
  await desk.goto(`${server.url}/agent/tickets/${merged}`);
  await desk.getByTestId('merge-open').click();
  await desk.getByTestId('merge-candidate').filter({ hasText: `#${survivor}` }).click();
  assert.match(await desk.getByTestId('merge-confirm-box').innerText(), new RegExp(`#${merged}.*#${survivor}`));
  await desk.getByTestId('merge-confirm').click();
  await desk.getByTestId('merged-into').waitFor();
  assert.match(await desk.getByTestId('merged-into').innerText(), new RegExp(`#${survivor}`));
  await desk.waitForFunction(() => /closed|fechado/i.test(document.querySelector('[data-testid="ticket-status"]')?.textContent ?? ''));
  assert.equal(await desk.getByTestId('unmerge').count(), 1, 'the merged ticket offers to undo it');

  await desk.getByTestId('merged-into').getByRole('link').click();
  await desk.getByTestId('merged-from').waitFor();
  assert.match(await desk.getByTestId('merged-from').innerText(), new RegExp(`#${merged}`));
  await desk.getByText('tucano-azul').first().waitFor();
  await desk.getByTestId('history').locator('summary').click();
  const recorded = desk.getByTestId('history-item').filter({ hasText: 'merged tickets' });
  await recorded.first().waitFor();
  assert.match(await recorded.first().innerText(), new RegExp(`Merged from\\s+#${merged}`));

  const portal = await browsers.open();
  await portal.goto(`${server.url}/portal`);
  await signIn(portal, CUSTOMER, '/portal');
  await portal.goto(`${server.url}/portal/tickets/${merged}`);
  await portal.getByTestId('merged-into').waitFor();
  assert.match(await portal.getByTestId('merged-into').innerText(), new RegExp(`unificad.*#${survivor}`, 'i'), 'in Portuguese');
  assert.equal(await portal.getByTestId('request-closed').count(), 1, 'shown closed');
  assert.equal(await portal.getByTestId('merged-into').getByRole('link').getAttribute('href'), `/portal/tickets/${survivor}`);

  await desk.goto(`${server.url}/agent/tickets/${merged}`);
  await desk.getByTestId('unmerge').click();
  await desk.getByTestId('merge-open').waitFor();
  assert.equal(await desk.getByTestId('merge-banner').count(), 0);
  await desk.getByText('tucano-azul').first().waitFor();
  const back = await agentApi.get(`/api/v1/tickets/${merged}`);
  assert.equal(back.json.status, 'new');
  assert.equal(back.json.merged_into, null);
});

test('an agent splits a message of a ticket into a new one', { timeout: 180_000 }, async () => {
  const n = await open('Dois assuntos', 'Primeiro assunto: nota fiscal.');
  const second = await agentApi.post(`/api/v1/tickets/${n}/messages`, { body: 'Segundo assunto: senha-girafa.', kind: 'internal_note' });
  assert.equal(second.status, 201, second.text);

  const desk = await browsers.open();
  await desk.goto(`${server.url}/agent`);
  await signIn(desk, AGENT, '/agent');
  await desk.goto(`${server.url}/agent/tickets/${n}`);
  await desk.getByTestId('split-open').click();
  await desk.locator(`[data-testid="split-message"][data-id="${second.json.message.id}"]`).check();
  await desk.getByTestId('split-subject').fill('Senha');
  await desk.getByTestId('split-confirm').click();
  await desk.waitForFunction(() => document.querySelector('[data-testid="ticket-subject"]')?.textContent === 'Senha');
  const made = Number(new URL(desk.url()).pathname.split('/').pop());
  assert.notEqual(made, n);
  await desk.getByText('senha-girafa').first().waitFor();
  const linked = desk.getByTestId('linked-ticket').filter({ hasText: `#${n}` });
  assert.match(await linked.innerText(), new RegExp(`Split from #${n}`));
});

test('a bulk action sets the priority of the chosen tickets and reports each', { timeout: 180_000 }, async () => {
  const one = await open('Primeiro', 'um');
  const two = await open('Segundo', 'dois');
  const untouched = await open('Terceiro', 'três');

  const desk = await browsers.open();
  await desk.goto(`${server.url}/agent`);
  await signIn(desk, AGENT, '/agent');
  await desk.goto(`${server.url}/agent/tickets`);
  const row = (n) => desk.locator(`[data-testid="ticket-row"][data-number="${n}"]`);
  await row(one).waitFor();
  await row(one).getByTestId('row-check').check();
  await row(two).getByTestId('row-check').check();
  assert.match(await desk.getByTestId('bulk-count').innerText(), /2/);
  await desk.getByTestId('bulk-action').selectOption('priority');
  await desk.getByTestId('bulk-value').selectOption('P1');
  await desk.getByTestId('bulk-apply').click();
  await desk.getByTestId('bulk-report').waitFor();
  assert.match(await desk.getByTestId('bulk-report').innerText(), /2 changed, 0 not changed/);
  await desk.waitForFunction((n) => /P1/.test(document.querySelector(`[data-testid="ticket-row"][data-number="${n}"]`)?.textContent ?? ''), one);

  for (const n of [one, two]) assert.equal((await agentApi.get(`/api/v1/tickets/${n}`)).json.priority, 'P1');
  assert.equal((await agentApi.get(`/api/v1/tickets/${untouched}`)).json.priority, 'P3');

  // Select all, then a status no ticket may take from new: each refusal is listed.
  await desk.getByTestId('select-all').check();
  await desk.getByTestId('bulk-action').selectOption('status');
  await desk.getByTestId('bulk-value').selectOption('closed');
  await desk.getByTestId('bulk-apply').click();
  await desk.getByTestId('bulk-failure').first().waitFor();
  assert.match(await desk.getByTestId('bulk-report').innerText(), /0 changed/);
  assert.ok((await desk.getByTestId('bulk-failure').count()) >= 3);
});
