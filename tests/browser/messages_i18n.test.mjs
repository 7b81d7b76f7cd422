// Languages where the server speaks (issue 9): a refusal on the sign-in page in the language
// chosen there; a customer's escalation request labelled in each reader's language; an
// administrator deactivating and reactivating an organization.
//
// Needs what story.test.mjs needs (web/dist, Chromium, the server binary).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, sessionClient } from '../lib/server.mjs';
import { Browsers, assertBrowserReady, dist, signIn } from '../lib/browser.mjs';

const browsers = new Browsers();
let demo;

before(async () => {
  assertBrowserReady();
  demo = await startServer({ web: dist, demo: true });
});
after(async () => {
  await browsers.closeAll();
  if (demo) await demo.stop();
});

test('the sign-in page hears the server in the language chosen there', { timeout: 60_000 }, async () => {
  const page = await browsers.open();
  await page.goto(`${demo.url}/login`);
  await page.getByTestId('language-select').selectOption('de');
  await page.getByTestId('login-email').fill('maria@acme.com.br');
  await page.getByTestId('login-password').fill('not-her-password');
  await page.getByTestId('login-submit').click();
  const error = page.getByTestId('login-error');
  await error.waitFor();
  assert.equal((await error.innerText()).trim(), 'E-Mail-Adresse oder Passwort sind nicht richtig.');
});

test("an escalation request is labelled in each reader's language", { timeout: 90_000 }, async () => {
  const maria = await sessionClient(demo.url, 'maria@acme.com.br', 'chamado-customer');
  const t = (await maria.post('/api/v1/tickets', { subject: 'Fechamento parado', description: 'Nada carrega.' })).json;
  const impact = 'O fechamento do mês está parado para 40 pessoas.';
  const asked = await maria.post(`/api/v1/tickets/${t.number}/escalation`, { impact });
  assert.equal(asked.status, 201, asked.text);

  const customer = await browsers.open();
  await customer.goto(`${demo.url}/portal/tickets/${t.number}`);
  await signIn(customer, { email: 'maria@acme.com.br', password: 'chamado-customer' }, `/portal/tickets/${t.number}`);
  const hers = customer.locator('[data-testid=message]', { hasText: impact });
  await hers.waitFor();
  assert.equal((await hers.getByTestId('message-label').innerText()).trim(), 'Escalonamento solicitado. Impacto no negócio:');

  // Sofia reads English.
  const agent = await browsers.open();
  await agent.goto(`${demo.url}/agent/tickets/${t.number}`);
  await signIn(agent, { email: 'sofia@chamado.example', password: 'chamado-agent' }, `/agent/tickets/${t.number}`);
  const seen = agent.locator('[data-testid=message]', { hasText: impact });
  await seen.waitFor();
  assert.equal((await seen.getByTestId('message-label').innerText()).trim(), 'Escalation requested. Business impact:');
  assert.equal((await seen.getByTestId('message-body').innerText()).trim(), impact, 'the body is the impact alone');
});

test('an administrator deactivates an organization and reactivates it', { timeout: 90_000 }, async () => {
  const page = await browsers.open();
  await page.goto(`${demo.url}/agent/admin/organizations?q=Globex`);
  await signIn(page, { email: 'admin@chamado.example', password: 'chamado-admin' }, '/agent/admin/organizations');
  await page.getByTestId('organization-link').first().click();
  await page.getByTestId('organization-deactivate').click();
  await page.getByTestId('organization-reactivate').waitFor();
  assert.match(await page.getByTestId('organization-active-hint').innerText(), /Desativada/);
  // Hans, of Globex, is locked out, in his own language (the sign-in page follows his browser).
  const hans = await fetch(`${demo.url}/api/v1/session`, {
    method: 'POST', headers: { 'content-type': 'application/json', 'accept-language': 'de' },
    body: JSON.stringify({ email: 'hans@globex.de', password: 'chamado-customer' }),
  });
  assert.equal(hans.status, 401);
  assert.match((await hans.json()).detail, /Support-Zugang Ihrer Organisation ist deaktiviert/);
  await page.goto(`${demo.url}/agent/admin/organizations?q=Globex`);
  const row = page.getByTestId('organization-row').first();
  await row.waitFor();
  assert.equal((await row.getByTestId('active-badge').innerText()).trim(), 'Desativado');
  await row.getByTestId('organization-link').click();
  await page.getByTestId('organization-reactivate').click();
  await page.getByTestId('organization-deactivate').waitFor();
  assert.equal((await sessionClient(demo.url, 'hans@globex.de', 'chamado-customer')).user.email, 'hans@globex.de');
});
