// Required details per category in a real browser, on seed 004's policy: choosing "Projects"
// in the portal's new-request form shows its four details in the customer's language, marked
// required; sending without them is refused on the page (nothing is sent), and with them (the
// screenshot through the file picker) the request opens carrying them.
//
// Needs what story.test.mjs needs (web/dist, Chromium, the server binary).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot, startServer, tokenClient } from '../lib/server.mjs';
import { Browsers, assertBrowserReady, dist, signIn } from '../lib/browser.mjs';

const CUSTOMER = { email: 'rui@agencianorte.com.br', password: 'customer-pass-1' };
const AGENT = { email: 'agent@desk.test', password: 'agent-pass-1' };
let server, admin;
const browsers = new Browsers();

before(async () => {
  assertBrowserReady();
  server = await startServer({ web: dist });
  server.addUser('admin', 'admin@desk.test');
  server.addUser('agent', AGENT.email, AGENT.password, ['--name', 'Ana Agent']);
  admin = tokenClient(server.url, server.token('admin@desk.test'));
  const policy = readFileSync(join(repoRoot, 'examples', 'policies', '004_agency_management.toml'), 'utf8');
  const holidays = readFileSync(join(repoRoot, 'examples', 'policies', 'holidays-br.ics'), 'utf8');
  const applied = await admin.request('PUT', '/api/v1/policy', { source: policy, files: { 'holidays-br.ics': holidays } });
  assert.equal(applied.status, 200, applied.text);
  const org = await admin.post('/api/v1/organizations', { name: 'Agência Norte', language: 'pt-BR' });
  assert.equal(org.status, 201, org.text);
  const c = await admin.post('/api/v1/contacts', { email: CUSTOMER.email, name: 'Rui Costa', language: 'pt-BR', organization_id: org.json.id, password: CUSTOMER.password });
  assert.equal(c.status, 201, c.text);
});

after(async () => {
  await browsers.closeAll();
  if (server) await server.stop();
});

test('the portal asks for a category\'s details, refuses without them and sends them', { timeout: 90_000 }, async (t) => {
  const page = await browsers.open();
  const detail = (key) => page.getByTestId(`new-detail-${key}`);

  await t.test('choosing the category shows its details, labelled in the customer\'s language', async () => {
    await page.goto(`${server.url}/portal/new`);
    await signIn(page, CUSTOMER, '/portal/new');
    await page.getByTestId('new-subject').fill('O projeto não mostra as peças');
    await page.getByTestId('new-description').fill('Abri o projeto e a lista de peças está vazia.');
    assert.equal(await page.getByTestId('new-details').count(), 0, 'no category, no details');
    await page.getByTestId('new-category').selectOption('invoices');
    assert.equal(await page.getByTestId('new-details').count(), 0, 'invoices asks for nothing');
    await page.getByTestId('new-category').selectOption('projects');
    const box = page.getByTestId('new-details');
    await box.waitFor();
    const labels = await box.locator('label:not(.file-button)').allTextContents();
    assert.deepEqual(labels.map((l) => l.replace(/\s*\*$/, '').trim()),
      ['Número do projeto', 'Nome da peça', 'Passo a passo seguido', 'Prints da tela inteira']);
    assert.equal(await box.locator('.required-mark').count(), 4);
  });

  await t.test('sending without them is refused on the page, each field saying what it needs', async () => {
    let posted = 0;
    page.on('request', (r) => { if (r.method() === 'POST' && r.url().endsWith('/api/v1/tickets')) posted++; });
    await detail('project_number').fill('doze');
    await page.getByTestId('new-submit').click();
    await page.getByTestId('new-detail-item_name-error').waitFor();
    assert.match(await page.getByTestId('new-detail-project_number-error').textContent(), /Número do projeto/);
    assert.match(await page.getByTestId('new-detail-item_name-error').textContent(), /Nome da peça/);
    assert.match(await page.getByTestId('new-detail-steps_taken-error').textContent(), /Passo a passo seguido/);
    assert.match(await page.getByTestId('new-detail-screenshots-error').textContent(), /Prints da tela inteira/);
    assert.equal(await detail('item_name').getAttribute('aria-invalid'), 'true');
    assert.equal(posted, 0, 'nothing was sent');
    assert.equal(new URL(page.url()).pathname, '/portal/new');
  });

  await t.test('with every detail the request opens and carries them', async () => {
    await detail('project_number').fill('1234');
    await detail('item_name').fill('Logo');
    await detail('steps_taken').fill('Abri o projeto 1234 e cliquei em Peças.');
    await detail('screenshots').setInputFiles({ name: 'tela.png', mimeType: 'image/png', buffer: Buffer.from('\x89PNG tela') });
    await page.getByTestId('new-submit').click();
    await page.waitForURL(/\/portal\/tickets\/\d+/);
    const number = Number(new URL(page.url()).pathname.split('/').pop());
    const ticket = (await admin.get(`/api/v1/tickets/${number}`)).json;
    assert.equal(ticket.category, 'projects');
    assert.deepEqual([ticket.custom_fields.project_number, ticket.custom_fields.item_name], ['1234', 'Logo']);
    const messages = (await admin.get(`/api/v1/tickets/${number}/messages`)).json.items;
    assert.deepEqual(messages[0].attachments.map((a) => a.filename), ['tela.png']);
  });
});

test('an agent recording a project case by phone is asked for the same details', { timeout: 90_000 }, async () => {
  const page = await browsers.open();
  await page.goto(`${server.url}/agent/new`);
  await signIn(page, AGENT, '/agent/new');
  await page.getByTestId('agent-new-email').fill(CUSTOMER.email);
  await page.getByTestId('agent-new-subject').fill('Projeto 88 sem peças');
  await page.getByTestId('agent-new-description').fill('Ligou: o projeto 88 não mostra as peças.');
  await page.getByTestId('agent-new-category').selectOption('projects');
  await page.getByTestId('agent-new-details').waitFor();
  await page.getByTestId('agent-new-submit').click();
  await page.getByTestId('agent-new-detail-screenshots-error').waitFor();
  assert.equal(new URL(page.url()).pathname, '/agent/new', 'refused on the page');
  await page.getByTestId('agent-new-detail-project_number').fill('88');
  await page.getByTestId('agent-new-detail-item_name').fill('Banner');
  await page.getByTestId('agent-new-detail-steps_taken').fill('Abriu o projeto 88.');
  await page.getByTestId('agent-new-detail-screenshots').setInputFiles({ name: 'print.png', mimeType: 'image/png', buffer: Buffer.from('\x89PNG print') });
  await page.getByTestId('agent-new-submit').click();
  await page.waitForURL((u) => /^\/agent\/tickets\/\d+$/.test(u.pathname));
  const number = Number(new URL(page.url()).pathname.split('/').pop());
  const ticket = (await admin.get(`/api/v1/tickets/${number}`)).json;
  assert.deepEqual([ticket.channel, ticket.requester.email, ticket.custom_fields.project_number], ['phone', CUSTOMER.email, '88']);
});
